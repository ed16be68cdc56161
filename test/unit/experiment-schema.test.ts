// The schema is the one definition: the shipped JSON schema and the doc's key reference must be regenerated from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { experimentFileJsonSchemaText } from '../../src/core/experiment/jsonSchema';
import { experimentField, fieldAt, type Field } from '../../src/core/experiment/schema';
import { withReference } from '../../scripts/experiment-docs';

const root = process.cwd();

test('schemas/nnlab.schema.json is generated from schema.ts (run `npm run schema` if this fails)', () => {
  assert.equal(readFileSync(join(root, 'schemas/nnlab.schema.json'), 'utf8'), experimentFileJsonSchemaText());
});

test('the key reference in docs/experiment-files.md is up to date (run `npm run schema` if this fails)', () => {
  const doc = readFileSync(join(root, 'docs/experiment-files.md'), 'utf8');
  assert.equal(doc, withReference(doc));
});

function* walk(path: string, field: Field): Generator<[string, Field]> {
  yield [path, field];
  if (field.kind === 'object')
    for (const [k, child] of Object.entries(field.properties)) yield* walk(`${path}.${k}`, child);
  if (field.kind === 'map') yield* walk(`${path}.*`, field.values);
}

test('every key has a description, and every key is in the doc', () => {
  const doc = readFileSync(join(root, 'docs/experiment-files.md'), 'utf8');
  let count = 0;
  for (const [section, field] of Object.entries(experimentField.properties)) {
    for (const [path, f] of walk(section, field)) {
      count++;
      assert.ok(f.description.length > 10, `${path} needs a description`);
      if (!path.includes('*')) assert.ok(doc.includes(`\`${path}\``), `docs/experiment-files.md must mention ${path}`);
      if (f.kind === 'enum') for (const v of f.values) assert.ok(v.doc, `${path}=${v.value} needs a doc line`);
    }
  }
  assert.ok(count > 40, `expected every key, walked ${count}`);
});

test('optimizers and inits carry a formula and a when-to-use line', () => {
  for (const path of [
    ['defaults', 'train', 'optimizer'],
    ['defaults', 'model', 'init'],
  ]) {
    const field = fieldAt(path);
    assert.equal(field?.kind, 'enum');
    if (field?.kind !== 'enum') return;
    for (const v of field.values) {
      assert.ok(v.formula && v.when, `${path.join('.')}=${v.value} needs formula and when`);
    }
  }
});

test('fieldAt resolves through experiment names and array indices', () => {
  assert.equal(fieldAt(['experiments', 'any name', 'model', 'layers', 3])?.kind, 'integer');
  assert.equal(fieldAt(['experiments', 'x', 'data', 'test', 'seed'])?.kind, 'integer');
  assert.equal(fieldAt(['experiments', 'x', 'train', 'nope']), undefined);
});
