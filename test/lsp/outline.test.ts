/** Document symbols and code lenses, over the real protocol. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import {
  CodeLensRequest,
  DidChangeConfigurationNotification,
  DocumentSymbolRequest,
  type DocumentSymbol,
} from 'vscode-languageserver-protocol/node';
import { Commands } from '../../src/protocol/lsp';
import { VALID } from './fixtures';
import { positionOf, startClient, type TestClient } from './harness';

const uri = 'file:///outline.nnlab.json';
let client: TestClient;
let lensesEnabled = true;

before(async () => {
  client = await startClient({ configuration: () => ({ codeLens: { enabled: lensesEnabled } }) });
  await client.open(uri, VALID);
});
after(async () => assert.equal(await client.close(), 0));

test('symbols: defaults and experiments, each experiment with its sections', async () => {
  const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, {
    textDocument: { uri },
  })) as DocumentSymbol[];
  assert.deepEqual(
    symbols.map((s) => [s.name, (s.children ?? []).map((c) => [c.name, (c.children ?? []).map((g) => g.name)])]),
    [
      [
        'defaults',
        [
          ['data', []],
          ['model', []],
          ['train', []],
        ],
      ],
      [
        'experiments',
        [
          ['gd', ['train']],
          ['adam', ['model', 'train']],
        ],
      ],
    ],
  );
  const adam = symbols[1]!.children![1]!;
  assert.deepEqual(adam.selectionRange.start, positionOf(VALID, '"adam"'));
  assert.deepEqual(adam.range.end, positionOf(VALID, '    }\n  }', 5));
  assert.equal(adam.children![1]!.detail, 'optimizer=adam');
});

test('code lenses: Compare all above experiments, Run, Check gradients and Export to numpy above each one', async () => {
  const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
  assert.deepEqual(
    lenses!.map((l) => [l.range.start.line, l.command!.title, l.command!.command, l.command!.arguments]),
    [
      [
        positionOf(VALID, '"experiments"').line,
        '⇄ Compare all',
        Commands.compareExperiments,
        [{ uri, experiments: ['gd', 'adam'] }],
      ],
      [positionOf(VALID, '"gd"').line, '▶ Run', Commands.runExperiment, [{ uri, experiment: 'gd' }]],
      [positionOf(VALID, '"gd"').line, '∇ Check gradients', Commands.checkGradients, [{ uri, experiment: 'gd' }]],
      [positionOf(VALID, '"gd"').line, '⤓ Export to numpy', Commands.exportNumpy, [{ uri, experiment: 'gd' }]],
      [positionOf(VALID, '"adam"').line, '▶ Run', Commands.runExperiment, [{ uri, experiment: 'adam' }]],
      [positionOf(VALID, '"adam"').line, '∇ Check gradients', Commands.checkGradients, [{ uri, experiment: 'adam' }]],
      [positionOf(VALID, '"adam"').line, '⤓ Export to numpy', Commands.exportNumpy, [{ uri, experiment: 'adam' }]],
    ],
  );
});

test('code lenses: nnlab.codeLens.enabled = false hides them (pulled via workspace/configuration)', async () => {
  lensesEnabled = false;
  // The server answers with a refresh request once it has pulled the new settings.
  const refreshed = new Promise<void>((done) =>
    client.connection.onRequest('workspace/codeLens/refresh', () => done()),
  );
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  await refreshed;
  assert.deepEqual(await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }), []);
  lensesEnabled = true;
  const again = new Promise<void>((done) => client.connection.onRequest('workspace/codeLens/refresh', () => done()));
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  await again;
  assert.equal((await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }))!.length, 7);
});

test('code lenses: pushed settings and initializationOptions are honoured too', async () => {
  const pushed = await startClient({ initializationOptions: { settings: { codeLens: { enabled: false } } } });
  try {
    await pushed.open(uri, VALID);
    assert.deepEqual(await pushed.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }), []);
    const refreshed = new Promise<void>((done) =>
      pushed.connection.onRequest('workspace/codeLens/refresh', () => done()),
    );
    await pushed.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { nnlab: { codeLens: { enabled: true } } },
    });
    await refreshed;
    assert.equal((await pushed.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }))!.length, 7);
  } finally {
    assert.equal(await pushed.close(), 0);
  }
});

test('code lenses: a sweep experiment says how many trials it runs', async () => {
  const sweepUri = 'file:///sweep.nnlab.json';
  const text = VALID.replace(
    '"gd": { "train": { "optimizer": "gd" } }',
    '"gd": { "sweep": { "train.learningRate": [0.1, 0.01, 0.001], "train.batchSize": [32, 64] } }',
  );
  assert.deepEqual(await client.open(sweepUri, text), []);
  const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: sweepUri } });
  assert.deepEqual(
    lenses!
      .filter((l) => l.command!.command === Commands.runExperiment)
      .map((l) => [l.command!.title, l.command!.arguments]),
    [
      ['▶ Run sweep (6 trials)', [{ uri: sweepUri, experiment: 'gd' }]],
      ['▶ Run', [{ uri: sweepUri, experiment: 'adam' }]],
    ],
  );
});

test('code lenses: a model-module experiment offers a gradient check but no Run (NN Lab does not train modules)', async () => {
  const file = resolve('examples/gradient-checking/gradient-checking.nnlab.json');
  const uri = pathToFileURL(file).href;
  await client.open(uri, readFileSync(file, 'utf8'));
  const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
  const titlesFor = (experiment: string): string[] =>
    lenses!
      .filter((l) => (l.command!.arguments?.[0] as { experiment?: string }).experiment === experiment)
      .map((l) => l.command!.title);
  assert.deepEqual(titlesFor('course-buggy'), ['∇ Check gradients']);
  assert.deepEqual(titlesFor('network'), ['▶ Run', '∇ Check gradients', '⤓ Export to numpy']);
});
