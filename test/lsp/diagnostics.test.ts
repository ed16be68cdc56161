/** Diagnostics (errors and tutor warnings) and the quick fixes that repair them, over the real protocol. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CodeActionRequest,
  DiagnosticSeverity,
  type CodeAction,
  type Diagnostic,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { INVALID, LAYERS, VALID, WARNINGS } from './fixtures';
import { positionOf, startClient, type TestClient } from './harness';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

let client: TestClient;
before(async () => {
  client = await startClient();
});
after(async () => assert.equal(await client.close(), 0));

/** The range of the `n`th occurrence of `needle`. */
function rangeOf(text: string, needle: string, n = 0) {
  return { start: positionOf(text, needle, 0, n), end: positionOf(text, needle, needle.length, n) };
}

function summary(diagnostics: Diagnostic[]) {
  return diagnostics.map((d) => ({ message: d.message, severity: d.severity, range: d.range, code: d.code }));
}

async function quickFixes(uri: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
  const actions = await client.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range: diagnostic.range,
    context: { diagnostics: [diagnostic] },
  });
  return (actions ?? []) as CodeAction[];
}

/** Applies a workspace edit to the client's copy of the text, as an editor would. */
function applied(uri: string, action: CodeAction): string {
  const doc = TextDocument.create(uri, 'nnlab', 0, client.text(uri));
  return TextDocument.applyEdits(doc, action.edit!.changes![uri]!);
}

test('a valid file has no diagnostics', async () => {
  assert.deepEqual(await client.open('file:///valid.nnlab.json', VALID), []);
});

test('errors: unknown enum value on the value, unknown key on the key, with did-you-mean', async () => {
  const diagnostics = await client.open('file:///invalid.nnlab.json', INVALID);
  assert.deepEqual(summary(diagnostics), [
    {
      message:
        'unknown dataset "moon"; did you mean "moons"? (expected one of: moons, circles, xor, gauss, spiral, csv)',
      severity: DiagnosticSeverity.Error,
      range: rangeOf(INVALID, '"moon"'),
      code: 'enum',
    },
    {
      message: 'unknown key "learningrate" in train; did you mean "learningRate"?',
      severity: DiagnosticSeverity.Error,
      range: rangeOf(INVALID, '"learningrate"'),
      code: 'unknown-key',
    },
  ]);
});

test('quick fixes: did-you-mean for a key and an enum value; applying them clears the diagnostics', async () => {
  const uri = 'file:///invalid.nnlab.json';
  let diagnostics = await client.diagnostics(uri);
  for (const expected of ['"moons"', '"learningRate"']) {
    const fixes = await quickFixes(uri, diagnostics[0]!);
    assert.deepEqual(
      fixes.map((f) => [f.title, f.isPreferred]),
      [[`Change to ${expected}`, true]],
    );
    diagnostics = await client.change(uri, applied(uri, fixes[0]!));
  }
  assert.deepEqual(diagnostics, []);
  assert.match(client.text(uri), /"dataset": "moons".*\n.*\n.*"learningRate": 0.001/);
});

test('layers[0] against the dataset: error on the value, and a fix that sets the feature count', async () => {
  const uri = 'file:///layers.nnlab.json';
  const [diagnostic, ...rest] = await client.open(uri, LAYERS);
  assert.deepEqual(rest, []);
  assert.deepEqual(summary([diagnostic!]), [
    {
      message: 'layers[0] must equal the number of features of moons (2), got 3',
      severity: DiagnosticSeverity.Error,
      range: rangeOf(LAYERS, '3', 0),
      code: 'layers-input',
    },
  ]);
  const fixes = await quickFixes(uri, diagnostic!);
  assert.equal(fixes[0]!.title, 'Set layers[0] to 2');
  assert.deepEqual(await client.change(uri, applied(uri, fixes[0]!)), []);
  assert.match(client.text(uri), /"layers": \[2, 4, 1\]/);
});

test('a CSV checked in the background: its shape reaches the diagnostics of the opened version, with no edit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-lsp-csv-'));
  const rows = Array.from({ length: 2000 }, (_, i) => `${i % 7},${i % 5},${i % 3},${i % 2}`);
  writeFileSync(join(dir, 'three.csv'), `a,b,c,y\n${rows.join('\n')}\n`);
  const uri = pathToFileURL(join(dir, 'csv.nnlab.json')).toString();
  const text = JSON.stringify(
    { experiments: { e: { data: { dataset: 'csv', path: 'three.csv' }, model: { layers: [2, 4, 1] } } } },
    null,
    2,
  );
  const layersError = (p: { uri: string; diagnostics: Diagnostic[] }) =>
    p.uri === uri && p.diagnostics.some((d) => d.code === 'layers-input');
  let published: { version?: number; diagnostics: Diagnostic[] } | undefined;
  const arrived = new Promise<void>((resolve) =>
    client.onEveryPublish((p) => {
      if (!published && layersError(p)) {
        published = p;
        resolve();
      }
    }),
  );
  try {
    await client.open(uri, text);
    await arrived;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(published!.version, 1, 'the diagnostic describes the opened version');
  assert.deepEqual(
    published!.diagnostics.map((d) => d.message),
    ['layers[0] must equal the number of features of "three.csv" (3), got 2'],
  );
});

test('tutor warnings are warnings, each on the key it is about', async () => {
  const diagnostics = await client.open('file:///warnings.nnlab.json', WARNINGS);
  assert.ok(diagnostics.length >= 3, JSON.stringify(diagnostics));
  assert.ok(diagnostics.every((d) => d.severity === DiagnosticSeverity.Warning));
  const byCode = new Map(diagnostics.map((d) => [d.code, d]));
  assert.deepEqual(byCode.get('advice/zeros-init')?.range, rangeOf(WARNINGS, '"zeros"'));
  assert.match(byCode.get('advice/zeros-init')!.message, /symmetry/);
  assert.deepEqual(
    [...byCode.keys()].filter((c) => /learning|batch/i.test(String(c))).length,
    2,
    [...byCode.keys()].join(),
  );
});

test('didChange updates the diagnostics for the new version', async () => {
  const uri = 'file:///valid.nnlab.json';
  const broken = VALID.replace('"epochs": 100', '"epochs": 100.5');
  const [d, ...rest] = await client.change(uri, broken);
  assert.deepEqual(rest, []);
  assert.equal(d!.message, 'epochs must be an integer, got 100.5');
  assert.deepEqual(d!.range, rangeOf(broken, '100.5'));
  assert.deepEqual(await client.change(uri, VALID), []);
});

test('incremental edits: typing a key character by character updates the diagnostics each time', async () => {
  const uri = 'file:///typing.nnlab.json';
  await client.open(uri, VALID);
  let at = positionOf(VALID, '"optimizer": "gd"');
  let last: Diagnostic[] = [];
  for (const ch of '"l2": 0.5x, ') {
    last = await client.edit(uri, { start: at, end: at }, ch);
    at = { line: at.line, character: at.character + 1 };
  }
  const typed = client.text(uri);
  assert.match(typed, /"train": \{ "l2": 0.5x, "optimizer": "gd" \}/);
  const x = { start: positionOf(typed, '0.5x', 3), end: positionOf(typed, '0.5x', 4) };
  assert.deepEqual(
    summary(last).map((d) => [d.code, d.range]),
    [['syntax', x]],
  );
  const fixed = await client.edit(uri, x, '');
  assert.deepEqual(fixed, []);
});

test('syntax errors are reported at their position and the rest of the file is still checked', async () => {
  const uri = 'file:///syntax.nnlab.json';
  const text = INVALID.replace('"samples": 200 }', '"samples": 200, }').replace('"epochs": 10', '"epochs" 10');
  const diagnostics = await client.open(uri, text);
  const syntax = diagnostics.find((d) => d.code === 'syntax');
  assert.ok(syntax, JSON.stringify(diagnostics));
  assert.deepEqual(syntax.range.start, positionOf(text, '10 }'));
  assert.ok(diagnostics.some((d) => d.code === 'unknown-key'));
});

test('10000 nested brackets: one syntax error at the bracket that is too deep, no crash', async () => {
  const uri = 'file:///deep.nnlab.json';
  const text = `{ "experiments": ${'['.repeat(10000)} }`;
  const diagnostics = await client.open(uri, text);
  assert.deepEqual(summary(diagnostics), [
    {
      message: 'syntax error: nested deeper than 256 levels',
      severity: DiagnosticSeverity.Error,
      range: { start: { line: 0, character: 17 + 255 }, end: { line: 0, character: 17 + 256 } },
      code: 'syntax',
    },
  ]);
});
