// `npm run lint`: eslint over the tree, then prettier's check. Until the tree is formatted in one commit of its own,
// the check covers the files listed in scripts/formatted-files.txt (those already formatted); once that file is gone
// it covers the whole tree (.prettierignore says what is left out). `--write` formats instead of checking.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const allowlist = new URL('formatted-files.txt', import.meta.url);
const run = (script, args) =>
  spawnSync(process.execPath, [script, ...args], { stdio: 'inherit', cwd: root }).status === 0;

const listed = existsSync(allowlist)
  ? readFileSync(allowlist, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#') && existsSync(root + l))
  : ['.'];
const eslint = run('node_modules/eslint/bin/eslint.js', ['--max-warnings=0', '.']);
const mode = process.argv.includes('--write') ? '--write' : '--check';
const prettier = run('node_modules/prettier/bin/prettier.cjs', [mode, '--log-level=warn', ...listed]);
if (prettier && mode === '--check')
  console.log(`prettier: ${listed[0] === '.' ? 'the whole tree is' : `${listed.length} listed files are`} formatted`);
process.exit(eslint && prettier ? 0 : 1);
