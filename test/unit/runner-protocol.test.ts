import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromWorkerMessage, toWorkerMessage, ProtocolError } from '../../src/protocol/worker';

const config = { name: 'adam', data: {}, model: {}, train: {} };

test('toWorkerMessage accepts start and cancel, rejects the rest with the field named', () => {
  const start = toWorkerMessage({
    type: 'start',
    runId: 1,
    kind: 'train',
    config,
    baseDir: '/x',
    allowModules: false,
    gradcheck: { epsilon: 1e-7 },
  });
  assert.equal(start.type, 'start');
  const noGrid = toWorkerMessage({
    type: 'start',
    runId: 2,
    kind: 'train',
    config,
    baseDir: '/x',
    allowModules: false,
    boundary: false,
  });
  assert.equal(noGrid.type === 'start' && noGrid.kind === 'train' && noGrid.boundary, false);
  const quiet = toWorkerMessage({
    type: 'start',
    runId: 3,
    kind: 'train',
    config,
    baseDir: '/x',
    allowModules: false,
    progress: false,
  });
  assert.equal(quiet.type === 'start' && quiet.kind === 'train' && quiet.progress, false);
  const threaded = toWorkerMessage({
    type: 'start',
    runId: 5,
    kind: 'train',
    config,
    baseDir: '/x',
    allowModules: false,
    threads: 2,
  });
  assert.equal(threaded.type === 'start' && threaded.kind === 'train' && threaded.threads, 2);
  assert.deepEqual(toWorkerMessage({ type: 'cancel', runId: 4 }), { type: 'cancel', runId: 4 });
  const bad: Array<[unknown, RegExp]> = [
    [null, /expected an object/],
    [{ type: 'start', runId: 1.5 }, /start.runId: expected an integer/],
    [{ type: 'start', runId: 1, kind: 'fly', config, baseDir: '/x', allowModules: true }, /start.kind/],
    [
      { type: 'start', runId: 1, kind: 'train', config: { name: 'a' }, baseDir: '/x', allowModules: true },
      /start.config.data/,
    ],
    [{ type: 'start', runId: 1, kind: 'train', config, baseDir: '/x' }, /allowModules/],
    [
      {
        type: 'start',
        runId: 1,
        kind: 'gradcheck',
        config,
        baseDir: '/x',
        allowModules: true,
        gradcheck: { sample: -1 },
      },
      /gradcheck.sample/,
    ],
    [
      { type: 'start', runId: 1, kind: 'train', config, baseDir: '/x', allowModules: true, boundary: 'no' },
      /start.boundary/,
    ],
    [
      { type: 'start', runId: 1, kind: 'train', config, baseDir: '/x', allowModules: true, progress: 0 },
      /start.progress: expected a boolean/,
    ],
    [
      { type: 'start', runId: 1, kind: 'train', config, baseDir: '/x', allowModules: true, threads: 0 },
      /start.threads: expected an integer from 1 to 64/,
    ],
    [
      { type: 'start', runId: 1, kind: 'train', config, baseDir: '/x', allowModules: true, threads: 1.5 },
      /start.threads/,
    ],
    [{ type: 'boom', runId: 1 }, /unknown "boom"/],
    [{ type: 'start', runId: 1, kind: 'costSvg', runs: {}, width: 10 }, /start.runs/],
    [{ type: 'start', runId: 1, kind: 'reportHtml', runs: [], title: 5 }, /start.title/],
  ];
  for (const [value, message] of bad)
    assert.throws(
      () => toWorkerMessage(value),
      (e: Error) => e instanceof ProtocolError && message.test(e.message),
    );
});

test('fromWorkerMessage checks progress buffers, results and reports', () => {
  const p = fromWorkerMessage({
    type: 'progress',
    runId: 2,
    firstIndex: 0,
    epoch: 1,
    epochs: 10,
    costs: new Float64Array([1, 2]),
  });
  assert.equal(p.type === 'progress' && p.costs.length, 2);
  assert.throws(
    () => fromWorkerMessage({ type: 'progress', runId: 2, firstIndex: 0, epoch: 1, epochs: 10, costs: [1, 2] }),
    /Float64Array/,
  );
  assert.throws(
    () => fromWorkerMessage({ type: 'done', runId: 2, result: { kind: 'train', result: { name: 'a', status: 'ok' } } }),
    /done\.result\.result\.costs/,
  );
  assert.throws(
    () => fromWorkerMessage({ type: 'done', runId: 2, result: { kind: 'result', result: {} } }),
    /done\.result\.kind: unknown "result"/,
  );
  const report = {
    name: 'n',
    difference: 0,
    differenceWithoutKinks: 0,
    passed: true,
    verdict: 'passed',
    message: 'ok',
    epsilon: 1e-7,
    threshold: 2e-7,
    sampled: false,
    tensors: [
      {
        name: 'W1',
        shape: [1, 2],
        difference: 0,
        contribution: 0,
        passed: true,
        checked: 2,
        kinkCount: 0,
        nonFiniteCount: 0,
        entries: [],
      },
    ],
  };
  const done = (result: unknown) => fromWorkerMessage({ type: 'done', runId: 2, result });
  assert.deepEqual(done({ kind: 'gradcheck', report }), {
    type: 'done',
    runId: 2,
    result: { kind: 'gradcheck', report },
  });
  assert.throws(
    () => done({ kind: 'gradcheck', report: { ...report, passed: 'yes' } }),
    /done\.result\.report\.passed: expected a boolean/,
  );
  assert.throws(
    () => done({ kind: 'gradcheck', report: { ...report, tensors: [{ name: 'W1' }] } }),
    /done\.result\.report\.tensors\[0\]\.shape/,
  );
  assert.deepEqual(fromWorkerMessage({ type: 'error', runId: 3, message: 'x' }), {
    type: 'error',
    runId: 3,
    message: 'x',
  });
  assert.deepEqual(done({ kind: 'rendered', text: '<svg/>' }), {
    type: 'done',
    runId: 2,
    result: { kind: 'rendered', text: '<svg/>' },
  });
  assert.throws(() => done({ kind: 'rendered', text: 1 }), /done\.result\.text/);
  assert.throws(
    () =>
      fromWorkerMessage({
        type: 'progress',
        runId: 2,
        firstIndex: 0,
        epoch: 1,
        epochs: 10,
        costs: new Float64Array(1),
        testCosts: new Float64Array(1),
      }),
    /firstTestIndex/,
  );
});

test('a modules message (both ways) carries WebAssembly.Module objects with a key and offsets, nothing else', () => {
  // The smallest valid module: the magic number and version 1.
  const wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object } }).WebAssembly;
  const module = new wasm.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  const ok = { type: 'modules', modules: [{ key: '2,4,1|relu|64|true', module, meta: { P: 0, G: 64 } }] };
  for (const guard of [toWorkerMessage, fromWorkerMessage]) {
    const msg = guard(ok);
    assert.equal(msg.type === 'modules' && msg.modules[0]!.module, module);
    const bad: Array<[unknown, RegExp]> = [
      [{ type: 'modules', modules: {} }, /modules.modules: expected an array/],
      [{ type: 'modules', modules: [{ key: 1, module, meta: {} }] }, /modules.modules\[0\].key/],
      [
        { type: 'modules', modules: [{ key: 'k', module: new Uint8Array(8), meta: {} }] },
        /\[0\].module: expected a WebAssembly.Module/,
      ],
      [{ type: 'modules', modules: [{ key: 'k', module, meta: { P: -1 } }] }, /meta.P: expected an offset/],
      [{ type: 'modules', modules: [{ key: 'k', module, meta: { P: 'x' } }] }, /meta.P/],
    ];
    for (const [value, message] of bad)
      assert.throws(
        () => guard(value),
        (e: Error) => e instanceof ProtocolError && message.test(e.message),
      );
  }
});

test('a status message carries counts: rows read, or the batch of an epoch', () => {
  assert.deepEqual(fromWorkerMessage({ type: 'status', runId: 1, rows: 3000 }), {
    type: 'status',
    runId: 1,
    rows: 3000,
  });
  const batch = { epoch: 0, done: 12, batches: 24 };
  assert.deepEqual(fromWorkerMessage({ type: 'status', runId: 1, batch }), { type: 'status', runId: 1, batch });
  const bad: Array<[unknown, RegExp]> = [
    [{ type: 'status', runId: 1, rows: -1 }, /status.rows: expected a count/],
    [{ type: 'status', runId: 1, rows: 1.5 }, /status.rows/],
    [{ type: 'status', runId: 1, batch: 3 }, /status.batch: expected an object/],
    [{ type: 'status', runId: 1, batch: { epoch: 0, done: 'x', batches: 2 } }, /status.batch.done/],
  ];
  for (const [value, message] of bad)
    assert.throws(
      () => fromWorkerMessage(value),
      (e: Error) => e instanceof ProtocolError && message.test(e.message),
    );
});
