/** Completion and hover, over the real protocol. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CompletionRequest,
  HoverRequest,
  type CompletionItem,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { VALID } from './fixtures';
import { positionOf, startClient, type TestClient } from './harness';

let client: TestClient;
before(async () => {
  client = await startClient();
});
after(async () => assert.equal(await client.close(), 0));

/** Opens `text` with the cursor at `|` and asks for completions there. */
async function complete(name: string, textWithCursor: string): Promise<CompletionItem[]> {
  const uri = `file:///${name}.nnlab.json`;
  const text = textWithCursor.replace('|', '');
  await client.open(uri, text);
  const result = await client.connection.sendRequest(CompletionRequest.type, {
    textDocument: { uri },
    position: positionOf(textWithCursor, '|'),
  });
  return Array.isArray(result) ? result : (result?.items ?? []);
}

function doc(item: CompletionItem | undefined): string {
  return (item?.documentation as MarkupContent | undefined)?.value ?? '';
}

test('keys in train: all keys not yet present, with type, default and docs', async () => {
  const items = await complete('keys', '{ "experiments": { "a": { "train": { "optimizer": "adam", | } } } }');
  const labels = items.map((i) => i.label);
  assert.ok(!labels.includes('optimizer'), 'optimizer is already present');
  for (const key of ['learningRate', 'epochs', 'batchSize', 'beta1', 'beta2', 'epsilon', 'l2', 'decay'])
    assert.ok(labels.includes(key), key);
  const lr = items.find((i) => i.label === 'learningRate')!;
  assert.equal(lr.detail, 'number · default `0.01`');
  assert.match(doc(lr), /step size/);
  assert.match(doc(lr), /Valid range: `\(0, ∞\)`/);
  assert.equal(lr.textEdit && 'newText' in lr.textEdit ? lr.textEdit.newText : '', '"learningRate": ${1:0.01}');
  const optimizerSnippet = (await complete('keys2', '{ "experiments": { "a": { "train": { | } } } }')).find(
    (i) => i.label === 'optimizer',
  )!;
  assert.equal(
    (optimizerSnippet.textEdit as { newText: string }).newText,
    '"optimizer": "${1|gd,momentum,rmsprop,adam|}"',
  );
});

test('keys at every level: root, experiment sections, data.test', async () => {
  assert.deepEqual(
    (await complete('root', '{ | }')).map((i) => i.label),
    ['$schema', 'defaults', 'experiments'],
  );
  assert.deepEqual(
    (await complete('sections', '{ "defaults": { "model": {}, | } }')).map((i) => i.label),
    ['data', 'train'],
  );
  const test = (await complete('test', '{ "experiments": { "a": { "data": { "test": { "| } } } } }')).map(
    (i) => i.label,
  );
  assert.ok(test.includes('seed') && test.includes('samples') && !test.includes('test'), test.join());
});

test('a half-typed key is replaced, quotes included', async () => {
  const text = '{ "experiments": { "a": { "model": { "act| } } } }';
  const items = await complete('partial', text);
  const activation = items.find((i) => i.label === 'activation')!;
  const edit = activation.textEdit as {
    range: { start: { character: number }; end: { character: number } };
    newText: string;
  };
  assert.equal(edit.range.start.character, text.indexOf('"act'));
  assert.match(edit.newText, /^"activation": "\$\{1\|relu,tanh,sigmoid,leaky_relu,linear\|\}"$/);
});

test('enum values: datasets, activations, inits, optimizers, outputs, with docs', async () => {
  const cases: [string, string[]][] = [
    ['"data": { "dataset": | }', ['moons', 'circles', 'xor', 'gauss', 'spiral', 'csv']],
    ['"model": { "activation": "|" }', ['relu', 'tanh', 'sigmoid', 'leaky_relu', 'linear']],
    ['"model": { "init": | }', ['zeros', 'random', 'he', 'xavier']],
    ['"model": { "output": | }', ['sigmoid', 'softmax']],
    ['"train": { "optimizer": | }', ['gd', 'momentum', 'rmsprop', 'adam']],
  ];
  for (const [i, [body, values]] of cases.entries()) {
    const items = await complete(`enum${i}`, `{ "experiments": { "a": { ${body} } } }`);
    assert.deepEqual(
      items.map((x) => x.label),
      values,
      body,
    );
  }
  const inits = await complete('initdoc', '{ "defaults": { "model": { "init": | } } }');
  const he = inits.find((i) => i.label === 'he')!;
  assert.equal(he.detail, 'default');
  assert.match(doc(he), /√\(2 \/ n_\{l−1\}\)/);
  assert.equal((he.textEdit as { newText: string }).newText, '"he"');
});

test('a snippet for a new experiment', async () => {
  const items = await complete('snippet', '{ "experiments": { | } }');
  assert.deepEqual(
    items.map((i) => i.label),
    ['new experiment'],
  );
  const body = (items[0]!.textEdit as { newText: string }).newText;
  assert.match(body, /"\$\{1:name\}": \{/);
  assert.match(body, /"dataset": "\$\{2\|moons,circles,xor,gauss,spiral\|\}"/);
  assert.match(body, /"optimizer": "\$\{4\|gd,momentum,rmsprop,adam\|\}"/);
});

async function hoverAt(uri: string, text: string, needle: string, delta = 1): Promise<string> {
  const result = await client.connection.sendRequest(HoverRequest.type, {
    textDocument: { uri },
    position: positionOf(text, needle, delta),
  });
  return (result?.contents as MarkupContent | undefined)?.value ?? '';
}

test('hover on a key: what it does, default, valid range', async () => {
  const uri = 'file:///hover.nnlab.json';
  await client.open(uri, VALID);
  const lr = await hoverAt(uri, VALID, '"learningRate"');
  assert.match(lr, /^\*\*learningRate\*\*: number · default `0.01`/);
  assert.match(lr, /The step size α/);
  assert.match(lr, /Valid range: `\(0, ∞\)`/);
  const samples = await hoverAt(uri, VALID, '"samples"');
  assert.match(samples, /default `300`/);
  assert.match(samples, /Valid range: `\[1, ∞\)`/);
});

test('hover on optimizer and init: formulas and when to use them', async () => {
  const uri = 'file:///hover.nnlab.json';
  const optimizer = await hoverAt(uri, VALID, '"optimizer": "adam"');
  assert.match(optimizer, /`W ← W − α·v̂ \/ \(√ŝ \+ ε\)`/);
  assert.match(optimizer, /`v ← β·v \+ \(1−β\)·g`, `W ← W − α·v`/);
  assert.match(optimizer, /\*When to use `adam`:\* A robust default/);
  const adam = await hoverAt(uri, VALID, '"adam" }', 2);
  assert.match(adam, /^\*\*adam\*\*: Momentum and RMSprop/);
  assert.match(adam, /\*When to use:\*/);
  const init = await hoverAt(uri, VALID, '"he"');
  assert.match(init, /`W = randn\(n_l, n_\{l−1\}\) · √\(2 \/ n_\{l−1\}\)`/);
  assert.equal(await hoverAt(uri, VALID, '// Shared', 3), '');
});

test("sweep: dotted parameter paths and the swept key's values are completed, and hover explains the swept key", async () => {
  const items = await complete('sweep', '{ "experiments": { "a": { "sweep": { "train.learningRate": [0.1], | } } } }');
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes('model.layers') && labels.includes('train.decay.rate'), labels.join());
  assert.ok(!labels.includes('train.learningRate'), 'already swept');
  const init = items.find((i) => i.label === 'model.init')!;
  assert.equal((init.textEdit as { newText: string }).newText, '"model.init": [$1]');
  assert.match(doc(init), /How the weights are initialised/);
  const values = await complete('sweepvalues', '{ "experiments": { "a": { "sweep": { "model.init": ["he", |] } } } }');
  assert.deepEqual(
    values.map((i) => i.label),
    ['zeros', 'random', 'he', 'xavier'],
  );
  const uri = 'file:///sweep.nnlab.json';
  const text = '{ "experiments": { "a": { "sweep": { "train.learningRate": [0.1] } } } }';
  await client.open(uri, text);
  assert.match(
    await hoverAt(uri, text, '"train.learningRate"'),
    /^\*\*train.learningRate\*\*: number · default `0.01`\n\nThe step size α/,
  );
});
