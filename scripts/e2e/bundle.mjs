// Bundles the in-host test runner (test/e2e/driver/host-runner.ts) and each in-host suite
// (test/e2e/host/**/*.test.ts) into one folder: <out>/index.js is the extensionTestsPath, the suites go to
// <out>/suites/. `vscode` and node_modules stay external (mocha resolves from the repo's node_modules).
// Used by scripts/e2e/run.mjs (code-server) and test/e2e/electron/run.mjs (@vscode/test-electron).
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { root } from './lib.mjs';

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return testFiles(full);
    return name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Returns how many suite files there are and which failed to bundle (one bad suite does not hide the rest). */
export async function bundleHost(out) {
  rmSync(out, { recursive: true, force: true });
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    packages: 'external',
    logLevel: 'warning',
    absWorkingDir: root,
  };
  await build({ ...common, entryPoints: ['test/e2e/driver/host-runner.ts'], outfile: join(out, 'index.js') });
  const hostDir = join(root, 'test/e2e/host');
  const suites = testFiles(hostDir);
  const built = await Promise.allSettled(
    suites.map((file) =>
      build({
        ...common,
        entryPoints: [file],
        outfile: join(out, 'suites', relative(hostDir, file).replace(/\.ts$/, '.js')),
      }),
    ),
  );
  const failed = [];
  built.forEach((r, i) => {
    if (r.status === 'rejected')
      failed.push({ file: relative(root, suites[i]), error: r.reason?.message ?? String(r.reason) });
  });
  return { suites: suites.length, failed };
}
