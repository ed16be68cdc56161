// The in-host test runner: VS Code's extension host `require`s this file (the payload's `extensionTestsPath`)
// and awaits `run()`; resolve means pass, reject means fail, and the workbench reports it through
// `window.codeAutomationExit`. It is the same contract as @vscode/test-electron's runner, so
// test/e2e/electron/run.mjs uses it too. Suites are the bundled test/e2e/host/**/*.test.ts files beside it.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';

interface MochaRunner {
  on(event: 'pass' | 'fail', listener: (test: { fullTitle(): string }, err?: Error) => void): void;
}
interface MochaInstance {
  addFile(file: string): void;
  run(done: (failures: number) => void): MochaRunner;
  suite: { total(): number };
}
interface MochaModule {
  new (options: Record<string, unknown>): MochaInstance;
  reporters: { Base: { consoleLog: (...args: unknown[]) => void } };
}

/** Each line is tagged, because the extension host forwards console calls to the page unformatted. */
function log(...args: unknown[]): void {
  for (const line of format(...args).split('\n')) console.log(`[mocha] ${line}`);
}

function suites(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) found.push(...suites(full));
    else if (name.endsWith('.test.js')) found.push(full);
  }
  return found.sort();
}

export function run(): Promise<void> {
  // mocha 12 is an ES module with a CommonJS core; Node 24's require(esm) hands back its namespace.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the extension host loads this file as CommonJS
  const loaded = require('mocha') as MochaModule | { default: MochaModule };
  const Mocha = 'default' in loaded ? loaded.default : loaded;
  // VS Code pins console.* in the extension host; mocha's reporters print through this hook instead.
  Mocha.reporters.Base.consoleLog = log;
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  const files = suites(join(__dirname, 'suites'));
  for (const file of files) mocha.addFile(file);
  const failures: { title: string; error: string }[] = [];
  const passes: string[] = [];
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failed) => {
        const total = passes.length + failures.length;
        log(`host suites: ${total - failed} passed, ${failed} failed (${files.length} files)`);
        const resultsFile = process.env.NNLAB_E2E_RESULTS;
        if (resultsFile) writeFileSync(resultsFile, JSON.stringify({ files: files.length, passes, failures }, null, 2));
        if (failed > 0 || files.length === 0) reject(new Error(`${failed} host tests failed`));
        else resolve();
      });
      runner.on('pass', (test) => passes.push(test.fullTitle()));
      runner.on('fail', (test, err) => failures.push({ title: test.fullTitle(), error: String(err?.stack ?? err) }));
    } catch (err) {
      log(`runner failed to start: ${String((err as Error)?.stack ?? err)}`);
      reject(err);
    }
  });
}
