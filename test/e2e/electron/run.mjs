// The same in-host suites (test/e2e/host/**) under @vscode/test-electron, for machines that can download
// VS Code (this one cannot, so CI uses code-server: `npm run test:e2e`). Usage:
//   node test/e2e/electron/run.mjs [--version=stable|1.139.1]
// It builds, bundles the suites with the shared runner, copies examples/ to a temp workspace and runs VS Code
// with the working tree as the development extension. Exit code: 0 pass, 1 fail.
import { runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleHost } from '../../../scripts/e2e/bundle.mjs';
import { cliReference, root } from '../../../scripts/e2e/lib.mjs';

const version = process.argv.find((a) => a.startsWith('--version='))?.slice('--version='.length) ?? 'stable';
const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit', cwd: root });
if (built.status !== 0) process.exit(1);
const out = join(root, 'out/e2e/host');
const { suites, failed } = await bundleHost(out);
for (const f of failed) console.error(`could not bundle ${f.file}: ${f.error}`);
const scratch = mkdtempSync(join(tmpdir(), 'nnlab-electron-'));
const workspace = join(scratch, 'examples');
cpSync(join(root, 'examples'), workspace, { recursive: true });
console.log(`${suites} host suite file(s); VS Code ${version}; workspace ${workspace}`);
try {
  await runTests({
    version,
    extensionDevelopmentPath: root,
    extensionTestsPath: join(out, 'index.js'),
    extensionTestsEnv: { NNLAB_E2E_RESULTS: join(scratch, 'host-results.json'), ...cliReference(workspace, scratch) },
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--user-data-dir',
      join(scratch, 'udd'),
    ],
  });
  process.exit(failed.length ? 1 : 0);
} catch (err) {
  console.error(`host suites failed: ${err.message ?? err}`);
  process.exit(1);
}
