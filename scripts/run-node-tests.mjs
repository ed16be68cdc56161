// Runs the bundled node:test files under out/<dir> and prints node's own summary.
// Usage: node scripts/run-node-tests.mjs test/unit [more dirs…]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const files = [];
function walk(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (name.endsWith('.test.js')) files.push(full);
  }
}
for (const dir of process.argv.slice(2)) walk(join(root, 'out', dir));
if (files.length === 0) {
  console.error(`no test files under out/${process.argv.slice(2).join(', out/')}`);
  process.exit(1);
}
files.sort();
// A test that waits for ever (a server that stops answering, a worker that is never terminated) fails instead of
// hanging the run. Far above the slowest test (the 5000-case LSP fuzz, ~20 s on 2 busy cores).
const TEST_TIMEOUT_MS = 300_000;
const result = spawnSync(
  process.execPath,
  ['--enable-source-maps', '--test', '--test-reporter=spec', `--test-timeout=${TEST_TIMEOUT_MS}`, ...files],
  {
    stdio: 'inherit',
    cwd: root,
  },
);
process.exit(result.status ?? 1);
