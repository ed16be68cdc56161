// `npm run test:e2e`: NN Lab in a real VS Code (code-server 4.139.1 = VS Code 1.139) driven by headless Chromium.
//   1. provision Node 24 + code-server (idempotent, cached; scripts/e2e/provision-code-server.sh)
//   2. production build, `vsce package` (offline)
//   3. in-host suites: the VSIX installed into a throwaway code-server, test/e2e/host/**/*.test.ts run by mocha
//      inside its extension host (payload + enable-smoke-test-driver; see test/e2e/README.md)
//   4. the UI journey (test/e2e/ui/journey.ts) through Playwright, screenshots under test-results/e2e/
// The last line is `N passed, N failed`; exit 1 on any failure, 124 when the driver's own timeout fires.
// Options: --only=host|ui, --keep (leave the temp run dirs), NNLAB_E2E_TIMEOUT_MS (default 900000, after provisioning).
import { build } from 'esbuild';
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { bundleHost } from './bundle.mjs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  cliReference,
  freePort,
  installVsix,
  launchChromium,
  log,
  packageVsix,
  pkg,
  prepareRunDir,
  provision,
  root,
  startCodeServer,
  stopAllCodeServers,
  treePssMiB,
} from './lib.mjs';

const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const keep = process.argv.includes('--keep');
const results = join(root, 'test-results/e2e');
const outHost = join(root, 'out/e2e/host');
const outUi = join(root, 'out/e2e/ui');

/** Everything that must be stopped however the run ends (timeout, exception, success). */
const cleanups = [];
async function cleanup() {
  stopAllCodeServers();
  while (cleanups.length) {
    try {
      await cleanups.pop()();
    } catch (e) {
      console.error(`cleanup: ${e.message}`);
    }
  }
}

const tally = { passed: 0, failed: 0, lines: [] };
function record(kind, title, ok, detail) {
  if (ok) tally.passed++;
  else tally.failed++;
  tally.lines.push(
    `${ok ? 'PASS' : 'FAIL'} [${kind}] ${title}${!ok && detail ? `\n       ${detail.split('\n').slice(0, 8).join('\n       ')}` : ''}`,
  );
}

async function bundleUi() {
  rmSync(outUi, { recursive: true, force: true });
  await build({
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    packages: 'external',
    logLevel: 'warning',
    absWorkingDir: root,
    entryPoints: ['test/e2e/ui/journey.ts'],
    outfile: join(outUi, 'journey.mjs'),
  });
}

/** A throwaway workspace: a copy of examples/, so edits and run history never touch the repo. */
function makeWorkspace(dir) {
  const ws = join(dir, 'examples');
  mkdirSync(ws, { recursive: true });
  if (existsSync(join(root, 'examples'))) cpSync(join(root, 'examples'), ws, { recursive: true });
  // The examples name their schema as ../schemas/nnlab.schema.json, so it goes beside the copy.
  if (existsSync(join(root, 'schemas'))) cpSync(join(root, 'schemas'), join(dir, 'schemas'), { recursive: true });
  return ws;
}

async function hostPhase(cs, vsix) {
  const { suites, failed } = await bundleHost(outHost);
  for (const f of failed) record('host', `bundle ${f.file}`, false, f.error);
  log(`bundled ${suites} host suite file(s) into ${relative(root, outHost)}`);
  const dir = prepareRunDir(mkdtempSync(join(tmpdir(), 'nnlab-e2e-host-')));
  if (!keep) cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  installVsix(cs, dir, vsix);
  const workspace = makeWorkspace(dir);
  const port = await freePort();
  const resultsFile = join(dir, 'host-results.json');
  const logFile = join(results, 'code-server-host.log');
  const server = await startCodeServer(cs, {
    dir,
    port,
    folder: workspace,
    smokeDriver: true,
    logFile,
    env: { NNLAB_E2E_RESULTS: resultsFile, ...cliReference(workspace, dir) },
  });
  cleanups.push(() => server.stop());
  log(`code-server (host suites) on ${server.url}`);
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  let exit;
  const exited = new Promise((resolve) => {
    exit = resolve;
  });
  await page.exposeFunction('codeAutomationExit', (code) => exit(code));
  // The whole page console goes to a file; mocha's report and the suites' `[measure]` lines also to stdout.
  const consoleLog = createWriteStream(join(results, 'host-console.log'));
  cleanups.push(() => new Promise((r) => consoleLog.end(r)));
  page.on('console', (m) => {
    const t = m.text();
    consoleLog.write(`${m.type()}: ${t}\n`);
    const i = t.indexOf('[mocha] ');
    if (i >= 0) console.log(`    ${t.slice(i + 8)}`);
    else if (t.includes('[measure]')) console.log(`    ${t.slice(t.indexOf('[measure]'))}`);
  });
  const authority = `127.0.0.1:${port}`;
  const remote = (path) => `vscode-remote://${authority}${path}`;
  // Which extension the suites exercise (test/e2e/README.md has what each mode does):
  //   vsix (default): the folder the VSIX was installed into is also given as extensionDevelopmentPath, so the
  //     tests run against exactly the packaged files;
  //   repo: the working tree as the development extension (what @vscode/test-electron does);
  //   tests-only: the installed VSIX plus extensionTestsPath alone.
  const mode = process.env.NNLAB_E2E_HOST_MODE ?? 'vsix';
  const installed = readdirSync(join(dir, 'exts')).find((n) => n.startsWith(`${pkg.publisher}.${pkg.name}-`));
  const payload = [['extensionTestsPath', remote(join(outHost, 'index.js'))]];
  if (mode === 'vsix') payload.push(['extensionDevelopmentPath', remote(join(dir, 'exts', installed))]);
  if (mode === 'repo') payload.push(['extensionDevelopmentPath', remote(root)]);
  log(`host mode ${mode}${mode === 'vsix' ? ` (${installed})` : ''}`);
  await page.goto(
    `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
  );
  const hostTimeout = Number(process.env.NNLAB_E2E_HOST_TIMEOUT_MS ?? 480_000);
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), hostTimeout).unref())]);
  await page.screenshot({ path: join(results, 'host-final.png') }).catch(() => {});
  log(`in-host runner finished: codeAutomationExit(${code})`);
  if (existsSync(resultsFile)) {
    const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
    for (const title of r.passes) record('host', title, true);
    for (const f of r.failures) record('host', f.title, false, f.error);
    if (r.files === 0) record('host', 'at least one host suite exists', false, 'no test/e2e/host/**/*.test.ts');
    else if (r.passes.length + r.failures.length === 0)
      record('host', 'the host suites ran tests', false, `${r.files} suite file(s), no test ran`);
    if (code !== 0 && r.failures.length === 0 && r.files > 0) record('host', 'runner exit code', false, `exit ${code}`);
  } else {
    record(
      'host',
      'in-host runner reported results',
      false,
      code === 'timeout'
        ? `no result after ${hostTimeout} ms`
        : `exit ${code}, no results file (runner failed to load?)`,
    );
  }
  await browser.close();
  server.stop();
}

async function uiPhase(cs, vsix) {
  await bundleUi();
  const { journey } = await import(join(outUi, 'journey.mjs'));
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  // Each scenario gets its own code-server: trusted (the main journey) and untrusted (Restricted Mode).
  const startServer = async ({ trust, name }) => {
    const dir = prepareRunDir(mkdtempSync(join(tmpdir(), `nnlab-e2e-${name}-`)));
    if (!keep) cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    installVsix(cs, dir, vsix);
    const workspace = makeWorkspace(dir);
    const port = await freePort();
    const server = await startCodeServer(cs, {
      dir,
      port,
      folder: workspace,
      trust,
      logFile: join(results, `code-server-${name}.log`),
    });
    cleanups.push(() => server.stop());
    log(`code-server (${name}) on ${server.url}`);
    return { ...server, workspace };
  };
  // code-server and Chromium are both children of this process: the driver's tree minus code-server's is
  // Chromium plus the driver.
  const memory = (server) => {
    try {
      const total = treePssMiB(process.pid);
      const cs = treePssMiB(server.child.pid);
      log(`memory PSS: code-server tree ${cs} MiB; chromium + driver ${total - cs} MiB; total ${total} MiB`);
    } catch (e) {
      log(`memory: not measured (${e.message})`);
    }
  };
  await journey({
    browser,
    startServer,
    screenshots: join(results, 'screens'),
    log,
    memory,
    step: (title, ok, detail) => record('ui', title, ok, detail),
  });
  await browser.close();
}

async function main() {
  rmSync(results, { recursive: true, force: true });
  mkdirSync(join(results, 'screens'), { recursive: true });
  const cs = provision();
  log(`code-server ${cs.codeServerVersion} (VS Code ${cs.vscodeVersion}), Node 24 at ${cs.node24}`);
  const timeoutMs = Number(process.env.NNLAB_E2E_TIMEOUT_MS ?? 900_000);
  setTimeout(async () => {
    console.error(`e2e: driver timeout after ${timeoutMs} ms`);
    await cleanup();
    console.log(`${tally.passed} passed, ${tally.failed + 1} failed`);
    process.exit(124);
  }, timeoutMs).unref();
  const vsix = packageVsix(join(results, `${pkg.name}-${pkg.version}.vsix`));
  log(`packaged ${relative(root, vsix)} (${(statSync(vsix).size / 1024).toFixed(0)} KiB)`);
  if (only !== 'ui') {
    log('--- in-host suites');
    await hostPhase(cs, vsix);
  }
  if (only !== 'host') {
    log('--- UI journey');
    await uiPhase(cs, vsix);
  }
}

let exitCode = 0;
try {
  await main();
} catch (e) {
  record('driver', 'e2e driver', false, e.stack ?? String(e));
  if (e.timedOut) exitCode = 124;
} finally {
  await cleanup();
}
console.log(`\n${tally.lines.join('\n')}`);
console.log(`screenshots and logs: ${relative(root, results)}/`);
if (!exitCode && (tally.failed > 0 || tally.passed === 0)) exitCode = 1;
console.log(`${tally.passed} passed, ${tally.failed} failed`);
process.exit(exitCode);
