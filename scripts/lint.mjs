// `npm run lint`: eslint over the tree, then prettier's check. Until the tree is formatted in one commit of its own,
// the check covers the files listed in scripts/formatted-files.txt (those already formatted); once that file is gone
// it covers the whole tree (.prettierignore says what is left out).
// `--relist` rewrites that list to the files prettier passes now (after a merge changed a listed file's layout).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const allowlist = new URL('formatted-files.txt', import.meta.url);
const PRETTIER = 'node_modules/prettier/bin/prettier.cjs';
const run = (script, args) =>
  spawnSync(process.execPath, [script, ...args], { stdio: 'inherit', cwd: root }).status === 0;

if (process.argv.includes('--relist')) {
  const tracked = spawnSync('git', ['ls-files', '*.ts', '*.mjs', '*.js', '*.cjs', '*.css'], {
    cwd: root,
    encoding: 'utf8',
  });
  const files = tracked.stdout.split('\n').filter((f) => f && existsSync(root + f));
  const differ = spawnSync(process.execPath, [PRETTIER, '--list-different', ...files], { cwd: root, encoding: 'utf8' });
  const unformatted = new Set(differ.stdout.split('\n'));
  const header = readFileSync(allowlist, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('#'));
  const formatted = files.filter((f) => !unformatted.has(f)).sort();
  writeFileSync(allowlist, [...header, ...formatted, ''].join('\n'));
  console.log(`scripts/formatted-files.txt: ${formatted.length} of ${files.length} files`);
  process.exit(0);
}

const listed = existsSync(allowlist)
  ? readFileSync(allowlist, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#') && existsSync(root + l))
  : ['.'];
const eslint = run('node_modules/eslint/bin/eslint.js', ['--max-warnings=0', '.']);
const prettier = run(PRETTIER, ['--check', '--log-level=warn', ...listed]);
if (prettier) {
  console.log(`prettier: ${listed[0] === '.' ? 'the whole tree is' : `${listed.length} listed files are`} formatted`);
} else if (listed[0] !== '.') {
  console.log(
    'prettier: `npx prettier --write FILE`, or `node scripts/lint.mjs --relist` to check only what is formatted',
  );
}
process.exit(eslint && prettier ? 0 : 1);
