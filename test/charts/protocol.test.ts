// The extension ↔ webview protocol guards, the panel's HTML shell and the comparison table logic (pure, no browser).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparisonTable, differingKeys, sortOrder } from '../../src/charts/compare';
import { panelCsp, panelHtml } from '../../src/charts/panelHtml';
import { chartRunFromResult, flattenConfig } from '../../src/charts/runs';
import { fromWebviewMessage, ProtocolError, toWebviewMessage } from '../../src/protocol/webview';
import { gradcheckReport, grid, run } from './fixtures';

/** What arrives after JSON: NaN became null. */
const wire = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

test('toWebviewMessage: a state round-trips through JSON, with null costs back to NaN', () => {
  const r = run('1', 'he', 3, { costs: [0.7, Number.NaN, 0.5], boundary: grid(10) });
  const message = toWebviewMessage(
    wire({ type: 'state', data: { view: 'compare', runs: [r], gradcheck: gradcheckReport() } }),
  );
  assert.equal(message.type, 'state');
  if (message.type !== 'state') return;
  assert.ok(Number.isNaN(message.data.runs[0]!.costs[1]));
  assert.equal(message.data.runs[0]!.boundary!.p.length, 100);
  assert.ok(Number.isNaN(message.data.gradcheck!.entries!.W1!.relativeError[4]));
});

test('toWebviewMessage: progress test costs default to the train chunk index', () => {
  const m = toWebviewMessage({ type: 'progress', runId: 'a', firstIndex: 40, costs: [1, 2], testCosts: [3, 4] });
  assert.deepEqual(m, {
    type: 'progress',
    runId: 'a',
    firstIndex: 40,
    costs: [1, 2],
    testCosts: [3, 4],
    firstTestIndex: 40,
  });
});

test('guards name the offending field', () => {
  const cases: Array<[unknown, RegExp]> = [
    [null, /^message: expected an object$/],
    [{ type: 'progress', runId: 'a', firstIndex: 0, costs: [1, 'x'] }, /^progress\.costs\[1\]: expected a number$/],
    [{ type: 'showView', view: 'table' }, /^showView\.view: unknown view "table"$/],
    [{ type: 'runStarted', run: { ...run('1', 'x', 2), status: 'done' } }, /^runStarted\.run\.status: unknown "done"$/],
    [
      { type: 'runFinished', run: { ...run('1', 'x', 2), boundary: { ...grid(10), p: [0.5] } } },
      /^runFinished\.run\.boundary\.p: expected 100 cells, got 1$/,
    ],
    [
      {
        type: 'gradcheck',
        report: {
          ...gradcheckReport(),
          parameters: [{ name: 'W1', shape: [2], difference: 0, passed: true, share: 0, kinks: 0, worst: [] }],
        },
      },
      /^gradcheck\.report\.parameters\[0\]\.shape: expected \[number, number\]$/,
    ],
    [
      { type: 'gradcheck', report: { ...gradcheckReport(), verdict: 'maybe' } },
      /^gradcheck\.report\.verdict: unknown "maybe"$/,
    ],
  ];
  for (const [value, message] of cases)
    assert.throws(
      () => toWebviewMessage(value),
      (e: Error) => e instanceof ProtocolError && message.test(e.message),
    );
});

test('fromWebviewMessage: ready, viewChanged, error (bounded); anything else is rejected', () => {
  assert.deepEqual(fromWebviewMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(fromWebviewMessage({ type: 'viewChanged', view: 'gradcheck' }), {
    type: 'viewChanged',
    view: 'gradcheck',
  });
  const long = fromWebviewMessage({ type: 'error', message: 'x'.repeat(5000) });
  assert.equal(long.type === 'error' && long.message.length, 2000);
  assert.throws(() => fromWebviewMessage({ type: 'runCommand', command: 'rm' }), /unknown "runCommand"/);
});

test('panelHtml: nonce on the one script, strict CSP without eval or inline scripts, escaped URIs', () => {
  const html = panelHtml({
    scriptUri: 'https://x/webview.js?a="b"',
    styleUri: 'https://x/webview.css',
    cspSource: 'https://x',
    nonce: 'abc123',
  });
  assert.equal(
    panelCsp('https://x', 'abc123'),
    "default-src 'none'; script-src 'nonce-abc123'; style-src https://x 'nonce-abc123'; img-src https://x data:; font-src https://x",
  );
  assert.equal((html.match(/<script /g) ?? []).length, 1);
  assert.match(html, /<script nonce="abc123" src="https:\/\/x\/webview\.js\?a=&quot;b&quot;"><\/script>/);
  assert.doesNotMatch(html, /unsafe/);
  assert.throws(() => panelHtml({ scriptUri: '', styleUri: '', cspSource: '', nonce: "a' 'unsafe-eval" }), /nonce/);
});

test('comparison table: only differing config keys, then outcomes; sorting keeps nulls last', () => {
  const runs = [
    run('1', 'gd', 10, {
      config: { 'train.optimizer': 'gd', 'train.learningRate': 0.1, 'data.dataset': 'moons' },
      costs: [0.5, 0.3],
    }),
    run('2', 'adam', 10, {
      config: { 'train.optimizer': 'adam', 'train.learningRate': 0.1, 'data.dataset': 'moons' },
      costs: [0.5, 0.1],
    }),
    run('3', 'boom', 10, {
      config: { 'train.optimizer': 'adam', 'train.learningRate': 0.1, 'data.dataset': 'moons' },
      costs: [Number.NaN],
      status: 'diverged',
    }),
  ];
  assert.deepEqual(differingKeys(runs), ['train.optimizer']);
  const table = comparisonTable(runs);
  assert.deepEqual(
    table.columns.map((c) => c.key),
    ['name', 'config:train.optimizer', 'finalCost', 'trainAccuracy', 'testAccuracy', 'epochs', 'durationMs', 'status'],
  );
  assert.deepEqual(sortOrder(table, 'finalCost', 'ascending'), [1, 0, 2]);
  assert.deepEqual(sortOrder(table, 'finalCost', 'descending'), [0, 1, 2]);
  assert.deepEqual(sortOrder(table, 'config:train.optimizer', 'ascending'), [1, 2, 0]);
});

test('chartRunFromResult: flattened config, testEvery from costEvery, planned epochs', () => {
  const config = {
    name: 'e',
    data: { dataset: 'moons' },
    model: { layers: [2, 3, 1] },
    train: { epochs: 500, costEvery: 10 },
  };
  assert.deepEqual(flattenConfig(config), {
    name: 'e',
    'data.dataset': 'moons',
    'model.layers': '[2,3,1]',
    'train.epochs': 500,
    'train.costEvery': 10,
  });
  const result = {
    name: 'e',
    status: 'ok' as const,
    costs: [1, 0.5],
    testCosts: [1.1],
    trainAccuracy: 0.9,
    testAccuracy: 0.8,
    parameters: {},
    durationMs: 12,
  };
  const r = chartRunFromResult('id', result, { config: config as never });
  assert.equal(r.testEvery, 10);
  assert.equal(r.epochs, 500);
  assert.equal(r.config['model.layers'], '[2,3,1]');
});
