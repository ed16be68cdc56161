// `npm run package`: production build, then nnlab-<version>.vsix with @vscode/vsce, offline. Prints a size report:
// every file that goes into the VSIX (raw and gzip), and the VSIX against the 3 MB target.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { packageVsix, pkg, root } from './lib.mjs';

const TARGET = 3 * 1024 * 1024;
const out = join(root, `${pkg.name}-${pkg.version}.vsix`);
const started = Date.now();
packageVsix(out);
const seconds = ((Date.now() - started) / 1000).toFixed(1);

const listed = spawnSync(process.execPath, [join(root, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies'], {
  cwd: root,
  encoding: 'utf8',
});
const files = listed.stdout
  .split('\n')
  .map((l) => l.trim())
  .filter(Boolean)
  .sort();
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`.padStart(11);
console.log(`\nfiles in the VSIX (raw, gzip):`);
let total = 0;
for (const file of files) {
  const raw = statSync(join(root, file)).size;
  total += raw;
  const gz = gzipSync(readFileSync(join(root, file))).length;
  console.log(`  ${kib(raw)} ${kib(gz)}  ${file}`);
}
const size = statSync(out).size;
console.log(`  ${kib(total)}              total (${files.length} files)`);
console.log(
  `\n${relative(root, out)}: ${(size / 1024 / 1024).toFixed(2)} MiB (${size} bytes), target ≤ 3 MiB: ${size <= TARGET ? 'ok' : 'OVER'}; packaged in ${seconds} s`,
);
if (size > TARGET) process.exit(1);
