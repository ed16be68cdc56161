/**
 * `npm run bench`: runs every bench/*.bench.ts module in sequence (course.bench.ts first, then by name) and prints
 * one table of times and ratios, all measured in this run, with the machine and OpenBLAS settings above it.
 * Flags: --quick (modules shrink their workloads and say so), --only=NAME (run one module, by file name), --full
 * (course.bench: the tfjs baseline runs all 10000 epochs instead of 1000 scaled). `npm run bench -- --quick`.
 * Progress goes to stderr; the table to stdout.
 */
import { execSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchContext, BenchModule } from './api';
import { numpyVersion, openblasSetting, PYTHON } from './numpy';
import { commitLine, loadLine } from './machine';
import { formatTable, type Section } from './table';

// dist/bench.js → the repository root.
const root = resolve(__dirname, '..');

/** A module exports `run`; a standalone script that happens to be named *.bench.ts would run on import. */
const EXPORTS_RUN = /export\s+(async\s+)?function\s+run\b|export\s+(const|let)\s+run\b/;

function moduleNames(): { modules: string[]; standalone: string[] } {
  const names = readdirSync(join(root, 'bench'))
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.slice(0, -'.bench.ts'.length))
    .sort();
  const ordered = ['course', ...names.filter((n) => n !== 'course')];
  const exportsRun = (n: string) => EXPORTS_RUN.test(readFileSync(join(root, 'bench', `${n}.bench.ts`), 'utf8'));
  return { modules: ordered.filter(exportsRun), standalone: ordered.filter((n) => !exportsRun(n)) };
}

async function load(name: string): Promise<BenchModule> {
  // esbuild turns this template into a table of every bench/*.bench.ts at build time.
  return (await import(`./${name}.bench.ts`)) as BenchModule;
}

function header(commit: string): string {
  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  let python = 'not found';
  const numpy = numpyVersion();
  if (numpy) python = `${execSync(`${PYTHON} --version`, { encoding: 'utf8' }).trim()}, numpy ${numpy}`;
  return [
    `node ${process.version} · ${cpu} × ${cpus().length} · ${new Date().toISOString()} · ${commit}`,
    `numpy baseline: ${PYTHON} (${python}) · ${openblasSetting()}`,
    `machine load when the table was printed: ${loadLine()} (a shared machine: figures are medians of interleaved runs)`,
  ].join('\n');
}

async function main() {
  const argv = process.argv.slice(2);
  const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const ctx: BenchContext = {
    root,
    argv,
    quick: argv.includes('--quick'),
    log: (message) => process.stderr.write(`bench: ${message}\n`),
  };
  // The commit is read before anything runs: the tree may change during a long bench.
  const commit = commitLine(root);
  const sections: Section[] = [];
  const { modules, standalone } = moduleNames();
  for (const name of standalone) ctx.log(`skipping bench/${name}.bench.ts: it exports no run (a standalone script)`);
  for (const name of modules) {
    if (only && only !== name) continue;
    ctx.log(`module ${name}`);
    const mod = await load(name);
    try {
      sections.push({ title: mod.title ?? name, rows: await mod.run(ctx) });
    } catch (e) {
      sections.push({ title: mod.title ?? name, rows: [{ name: 'failed', ms: null, note: String(e) }] });
    }
  }
  process.stdout.write(`${header(commit)}\n\n${formatTable(sections)}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
