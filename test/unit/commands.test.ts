// One table of command ids (src/extension/commandIds.ts): package.json contributes exactly these, every command it
// names elsewhere (menus, walkthrough links) is one of them, and no source file spells an id as a string.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandIds } from '../../src/extension/commandIds';

const root = process.cwd();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const ids = Object.values(CommandIds);

test("package.json's contributed commands are exactly the table's ids", () => {
  const contributed: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command);
  assert.equal(new Set(contributed).size, contributed.length, 'no id contributed twice');
  assert.deepEqual([...contributed].sort(), [...ids].sort());
});

test('every command package.json refers to (menus, walkthrough links and events, welcome views) is in the table', () => {
  const text = JSON.stringify({ ...pkg.contributes, commands: undefined });
  const named = [...text.matchAll(/(?:"command":"|command:|onCommand:)(nnlab\.\w+)/g)].map((m) => m[1]!);
  assert.ok(named.length >= 8, `found ${named.length} references`);
  for (const id of named) assert.ok(ids.includes(id as (typeof ids)[number]), `${id} is not in CommandIds`);
});

test('no source file spells a command id as a string outside the table', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    );
  const owners = [join('src', 'extension', 'commandIds.ts'), join('src', 'protocol', 'lsp.ts')];
  const literal = new RegExp(`['"\`](${ids.map((id) => id.replace('.', '\\.')).join('|')})['"\`]`);
  const offenders = [...files(join(root, 'src')), ...files(join(root, 'webview'))]
    .filter((f) => !owners.some((o) => f.endsWith(o)))
    .filter((f) => literal.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});
