// One build script, one esbuild bundle per runtime. Type checking is separate (`npm run typecheck`).
// Entries whose source does not exist yet are skipped, so the build never depends on unfinished parts.
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const production = process.argv.includes('--production');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

const nodeDefaults = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
  // vega's canvas/jsdom fallbacks are optional; SVG rendering needs neither.
  external: ['vscode', 'canvas', 'jsdom'],
  // jsonc-parser's UMD main requires its own files dynamically, which esbuild cannot follow; its ESM build bundles.
  // vega-canvas's Node build tries `await import('canvas')` at top level, which a CJS bundle cannot hold; its
  // browser build returns no canvas in Node, the same outcome without the optional canvas package (SVG needs none).
  alias: {
    'jsonc-parser': 'jsonc-parser/lib/esm/main.js',
    'vega-canvas': './node_modules/vega-canvas/build/vega-canvas.browser.js',
  },
};

/** Runtime bundles: extension host, language server, training worker, CLI, benchmark (all Node), webview (browser). */
const entries = [
  { in: 'src/extension/extension.ts', out: 'dist/extension.js' },
  { in: 'src/server/server.ts', out: 'dist/server.js' },
  { in: 'src/worker/worker.ts', out: 'dist/worker.js' },
  { in: 'src/worker/chartsWorker.ts', out: 'dist/charts-worker.js' },
  { in: 'src/worker/productsWorker.ts', out: 'dist/products-worker.js' },
  { in: 'src/worker/csvPartWorker.ts', out: 'dist/csv-part-worker.js' },
  { in: 'src/cli/main.ts', out: 'dist/cli.js' },
  { in: 'src/cli/charts.ts', out: 'dist/cli-charts.js' },
  { in: 'src/worker/moduleWorker.ts', out: 'dist/gradcheck-worker.js' },
  // playwright-core (bench/render.bench.ts drives Chromium) reads its own files at run time: left to node_modules.
  { in: 'bench/bench.ts', out: 'dist/bench.js', options: { external: [...nodeDefaults.external, 'playwright-core'] } },
  { in: 'bench/csvLoadChild.ts', out: 'dist/bench-csv-load.js' },
  {
    in: 'webview/main.ts',
    out: 'dist/webview.js',
    options: { platform: 'browser', format: 'iife', target: 'es2022', external: [] },
  },
];

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  const found = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) found.push(...testFiles(full));
    else if (name.endsWith('.test.ts')) found.push(relative(root, full));
  }
  return found;
}

const jobs = [];
for (const entry of entries) {
  if (only && !entry.in.includes(only)) continue;
  if (!existsSync(join(root, entry.in))) continue;
  jobs.push(build({ ...nodeDefaults, ...entry.options, entryPoints: [entry.in], outfile: entry.out }));
}
if (!only || only === 'tests') {
  // Tests are bundled per file (dependencies from node_modules stay external) and run with node:test.
  const tests = [...testFiles(join(root, 'test'))].filter((f) => !f.startsWith('test/webview/page'));
  // Bundles of deleted or renamed test files must not keep running from out/.
  rmSync(join(root, 'out', 'test'), { recursive: true, force: true });
  if (tests.length) {
    // One build per file, so one broken test file does not stop the others from being built.
    for (const test of tests) {
      jobs.push(
        build({
          ...nodeDefaults,
          sourcemap: 'inline',
          minify: false,
          packages: 'external',
          // Node loads jsonc-parser's UMD main fine at run time; the ESM alias above only helps bundling.
          alias: {},
          entryPoints: [test],
          outdir: 'out',
          outbase: '.',
        }),
      );
    }
  }
}
const results = await Promise.allSettled(jobs);
const failed = results.filter((r) => r.status === 'rejected');
if (failed.length) {
  console.error(`build: ${failed.length} of ${results.length} bundles failed`);
  process.exit(1);
}
