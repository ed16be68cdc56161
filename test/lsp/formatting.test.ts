/**
 * Document and range formatting over the real protocol. Experiment files are language `nnlab` in VS Code, so the
 * JSON service no longer formats them and the server must: with the client's indentation, comments kept, the
 * author's line layout kept, and the document's line endings.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  DocumentFormattingRequest,
  DocumentRangeFormattingRequest,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startClient, type TestClient } from './harness';

let client: TestClient;

before(async () => {
  client = await startClient();
});
after(async () => assert.equal(await client.close(), 0));

const MESSY = [
  '{',
  '// a comment the formatter keeps',
  '"experiments":{',
  '      "gd":{"train":{"optimizer":"gd","learningRate":0.3}},',
  '"adam": { "train": { "optimizer": "adam" } }',
  '}',
  '}',
].join('\n');

function applied(uri: string, edits: TextEdit[] | null): string {
  assert.ok(edits, 'the server answered with edits');
  return TextDocument.applyEdits(TextDocument.create(uri, 'nnlab', 1, client.text(uri)), edits);
}

test('formatting a document indents with the client options, keeps comments and one-line experiments', async () => {
  const uri = 'file:///format.nnlab.json';
  await client.open(uri, MESSY);
  const edits = await client.connection.sendRequest(DocumentFormattingRequest.type, {
    textDocument: { uri },
    options: { tabSize: 4, insertSpaces: true },
  });
  assert.equal(
    applied(uri, edits),
    [
      '{',
      '    // a comment the formatter keeps',
      '    "experiments": {',
      '        "gd": { "train": { "optimizer": "gd", "learningRate": 0.3 } },',
      '        "adam": { "train": { "optimizer": "adam" } }',
      '    }',
      '}',
    ].join('\n'),
  );
  const tabs = await client.connection.sendRequest(DocumentFormattingRequest.type, {
    textDocument: { uri },
    options: { tabSize: 4, insertSpaces: false, insertFinalNewline: true },
  });
  const tabbed = applied(uri, tabs);
  assert.match(tabbed, /^\t\t"gd": /m);
  assert.ok(tabbed.endsWith('}\n'), 'insertFinalNewline is honoured');
});

test('a formatted document gives no edits, and CRLF documents stay CRLF', async () => {
  const uri = 'file:///formatted.nnlab.json';
  await client.open(uri, '{\r\n  "experiments": {\r\n    "gd": { "seed": 1 }\r\n  }\r\n}');
  const none = await client.connection.sendRequest(DocumentFormattingRequest.type, {
    textDocument: { uri },
    options: { tabSize: 2, insertSpaces: true },
  });
  assert.deepEqual(none, []);
  const wider = await client.connection.sendRequest(DocumentFormattingRequest.type, {
    textDocument: { uri },
    options: { tabSize: 3, insertSpaces: true },
  });
  assert.equal(applied(uri, wider), '{\r\n   "experiments": {\r\n      "gd": { "seed": 1 }\r\n   }\r\n}');
});

test('range formatting touches only the range', async () => {
  const uri = 'file:///range.nnlab.json';
  await client.open(uri, MESSY);
  // Lines 2–3 (0-based): `experiments` and gd. As in VS Code's JSON formatter, the range's first line keeps its
  // indentation and the rest is indented from it; the lines outside keep their broken layout.
  const range = { start: { line: 2, character: 0 }, end: { line: 3, character: MESSY.split('\n')[3]!.length } };
  const edits = await client.connection.sendRequest(DocumentRangeFormattingRequest.type, {
    textDocument: { uri },
    range,
    options: { tabSize: 2, insertSpaces: true },
  });
  const lines = applied(uri, edits).split('\n');
  assert.deepEqual(lines.slice(2, 4), [
    '"experiments": {',
    '  "gd": { "train": { "optimizer": "gd", "learningRate": 0.3 } },',
  ]);
  assert.deepEqual(
    [lines[1], lines[4]],
    ['// a comment the formatter keeps', '"adam": { "train": { "optimizer": "adam" } }'],
  );
});

test('a document with syntax errors still formats without throwing', async () => {
  const uri = 'file:///broken.nnlab.json';
  await client.open(uri, '{"experiments": {"gd": {"train": ');
  const edits = await client.connection.sendRequest(DocumentFormattingRequest.type, {
    textDocument: { uri },
    options: { tabSize: 2, insertSpaces: true },
  });
  assert.ok(Array.isArray(edits));
});
