/** The real training worker (dist/worker.js, built by scripts/build.mjs) behind the pool. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { formatGradcheckTitle } from '../../src/runner/format';
import { performance } from 'node:perf_hooks';
import { WorkerPool } from '../../src/runner/pool';
import { runJob } from '../../src/runner/job';
import { resolveExperimentText } from '../../src/core/experiment';
import { datasetShape, moduleExists } from '../../src/node/experiment';
import type { ExperimentConfig } from '../../src/core/types';

const WORKER = join(__dirname, '..', '..', '..', 'dist', 'worker.js');
const CHARTS_WORKER = join(__dirname, '..', '..', '..', 'dist', 'charts-worker.js');

function configs(text: string): ExperimentConfig[] {
  const resolved = resolveExperimentText(text, {
    baseDir: __dirname,
    dataShape: datasetShape,
    moduleExists,
    advice: false,
  });
  assert.deepEqual(
    resolved.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    [],
  );
  return resolved.experiments;
}

const TINY = JSON.stringify({
  experiments: {
    tiny: {
      data: { dataset: 'moons', samples: 64, noise: 0.2, seed: 1 },
      model: { layers: [2, 4, 1] },
      train: { epochs: 30 },
    },
  },
});

test('50 real training runs queued at once all finish, and no worker thread is alive afterwards', async () => {
  const [config] = configs(TINY);
  let spawned = 0;
  let exited = 0;
  const pool = new WorkerPool({
    size: 2,
    idleMs: 0,
    createWorker: () => {
      spawned++;
      const w = new Worker(WORKER);
      w.on('exit', () => exited++);
      return w;
    },
  });
  const epochsSeen = new Array<number>(50).fill(0);
  const handles = Array.from({ length: 50 }, (_, i) =>
    pool.submit(
      { kind: 'train', config: { ...config!, name: `tiny${i}` }, baseDir: __dirname, allowModules: false },
      { onProgress: (p) => (epochsSeen[i] += p.costs.length) },
    ),
  );
  const outcomes = await Promise.all(handles.map((h) => h.done));
  for (const [i, o] of outcomes.entries()) {
    assert.equal(o.kind, 'train', JSON.stringify(o));
    if (o.kind !== 'train') continue;
    assert.equal(o.result.status, 'ok');
    assert.equal(o.result.name, `tiny${i}`);
    assert.equal(o.result.costs.length, 30);
    assert.equal(o.boundary?.p.length, 100 * 100, 'two-feature runs come back with their decision boundary');
    assert.equal(epochsSeen[i], 30, 'every epoch arrived as progress');
  }
  // A stored run's boundary, recomputed from its parameters, is the one the run came back with.
  const stored = outcomes[0]!;
  if (stored.kind === 'train') {
    const charts = new WorkerPool({ size: 1, idleMs: 0, createWorker: () => new Worker(CHARTS_WORKER) });
    const again = await charts.submit({
      kind: 'boundary',
      config: { ...config!, name: 'tiny0' },
      baseDir: __dirname,
      parameters: stored.result.parameters,
    }).done;
    assert.equal(again.kind, 'boundary');
    assert.deepEqual(again.kind === 'boundary' ? again.boundary : undefined, stored.boundary);
    await charts.dispose();
  }
  // Identical configs give identical results: the runs are deterministic whichever worker ran them.
  assert.deepEqual(outcomes[0], {
    ...outcomes[49]!,
    result: {
      ...(outcomes[49] as { result: object }).result,
      name: 'tiny0',
      durationMs: (outcomes[0] as { result: { durationMs: number } }).result.durationMs,
    },
  });
  await new Promise<void>((resolve) => {
    const check = (): void => (exited === spawned ? resolve() : void setTimeout(check, 5));
    check();
  });
  assert.equal(pool.stats.workers, 0);
  assert.ok(spawned >= 2 && spawned <= 50);
});

test('the worker refuses a model module when modules are not allowed, and reports a bad CSV path as an error', async () => {
  const [config] = configs(TINY);
  const pool = new WorkerPool({ size: 1, idleMs: 0, createWorker: () => new Worker(WORKER) });
  const refused = await pool.submit({
    kind: 'train',
    config: { ...config!, model: { ...config!.model, module: './model.js' } },
    baseDir: __dirname,
    allowModules: false,
  }).done;
  assert.equal(refused.kind, 'error');
  assert.match(refused.kind === 'error' ? refused.message : '', /untrusted workspace/);
  // Trusted, a module experiment still does not train: the trainer would ignore the module's forward/backward.
  const notTrained = await pool.submit({
    kind: 'train',
    config: { ...config!, name: 'mine', model: { ...config!.model, module: './model.js' } },
    baseDir: __dirname,
    allowModules: true,
  }).done;
  assert.match(
    notTrained.kind === 'error' ? notTrained.message : '',
    /^"mine" uses a model module \(model\.module\): model modules are for gradient checks/,
  );
  const csv = await pool.submit({
    kind: 'train',
    config: { ...config!, data: { ...config!.data, dataset: 'csv', path: 'nope.csv' } },
    baseDir: __dirname,
    allowModules: true,
  }).done;
  assert.equal(csv.kind, 'error');
  await pool.dispose();
});

test('the chart worker renders a cost chart (SVG) and the Save report document (HTML); the training worker refuses', async () => {
  const pool = new WorkerPool({ size: 1, idleMs: 0, createWorker: () => new Worker(CHARTS_WORKER) });
  const run = {
    id: '1',
    name: 'adam',
    status: 'ok' as const,
    config: {},
    costs: [0.7, 0.5, 0.3, 0.2],
    costEvery: 1,
    testEvery: 1,
    epochs: 4,
    trainAccuracy: 0.9,
    testAccuracy: null,
    durationMs: 10,
  };
  const t0 = performance.now();
  const outcome = await pool.submit({ kind: 'costSvg', runs: [run], width: 240 }).done;
  console.log(`cost SVG in a fresh worker: ${(performance.now() - t0).toFixed(0)} ms`);
  assert.equal(outcome.kind, 'rendered');
  assert.match(outcome.kind === 'rendered' ? outcome.text : '', /^<svg[\s\S]*<\/svg>\s*$/);
  const report = await pool.submit({
    kind: 'reportHtml',
    runs: [run, { ...run, id: '2', name: 'gd', costs: [0.7, 0.6, 0.55, 0.5] }],
    title: 'adam vs gd',
  }).done;
  assert.equal(report.kind, 'rendered');
  const html = report.kind === 'rendered' ? report.text : '';
  assert.match(html, /^<!DOCTYPE html>[\s\S]*<title>adam vs gd<\/title>[\s\S]*<svg[\s\S]*<table/);
  assert.doesNotMatch(html, /<script/);
  await pool.dispose();
  const training = new WorkerPool({ size: 1, idleMs: 0, createWorker: () => new Worker(WORKER) });
  const refused = await training.submit({ kind: 'costSvg', runs: [run], width: 240 }).done;
  assert.match(refused.kind === 'error' ? refused.message : '', /run in the chart worker/);
  await training.dispose();
});

test('a gradient check runs in the worker: the course bug names W2 and b1, the network passes', async () => {
  const dir = join(__dirname, '..', '..', '..', 'examples', 'gradient-checking');
  const text = readFileSync(join(dir, 'gradient-checking.nnlab.json'), 'utf8');
  const resolved = resolveExperimentText(text, { baseDir: dir, dataShape: datasetShape, moduleExists, advice: false });
  const byName = new Map(resolved.experiments.map((c) => [c.name, c]));
  const pool = new WorkerPool({ size: 2, idleMs: 0, createWorker: () => new Worker(WORKER) });
  const [buggy, network] = await Promise.all(
    ['course-buggy', 'network'].map(
      (name) =>
        pool.submit({ kind: 'gradcheck', config: byName.get(name)!, baseDir: dir, allowModules: true, gradcheck: {} })
          .done,
    ),
  );
  assert.equal(buggy!.kind, 'gradcheck', JSON.stringify(buggy));
  if (buggy!.kind === 'gradcheck') {
    assert.equal(buggy!.report.passed, false);
    assert.ok(Math.abs(buggy!.report.difference - 0.2850931568) < 1e-6);
    assert.equal(formatGradcheckTitle(buggy!.report), '∇ ✗ W2, b1 (0.285)');
  }
  assert.equal(network!.kind === 'gradcheck' && network!.report.passed, true, JSON.stringify(network).slice(0, 300));
  await pool.dispose();
});

test('pipelined jobs on the real worker (two in hand, no boundary) give exactly the in-process numbers', async () => {
  const [base] = configs(TINY);
  const variants: ExperimentConfig[] = [0.1, 0.03, 0.01, 0.003].flatMap((learningRate, i) => [
    { ...base!, name: `lr${i}`, train: { ...base!.train, learningRate } },
    // A different data config between equal ones: the worker's data cache must key on the whole config.
    { ...base!, name: `lr${i}-noise`, data: { ...base!.data, noise: 0.3 }, train: { ...base!.train, learningRate } },
  ]);
  const pool = new WorkerPool({ size: 1, idleMs: 0, pipeline: 2, createWorker: () => new Worker(WORKER) });
  const job = (config: ExperimentConfig) => ({
    kind: 'train' as const,
    config,
    baseDir: __dirname,
    allowModules: false,
    boundary: false,
  });
  const outcomes = await Promise.all(variants.map((c) => pool.submit(job(c)).done));
  await pool.dispose();
  for (const [i, o] of outcomes.entries()) {
    assert.equal(o.kind, 'train', JSON.stringify(o));
    if (o.kind !== 'train') continue;
    assert.equal(o.boundary, undefined, 'boundary: false skips the grid');
    const local = await runJob(job(variants[i]!), { onEpoch: () => {}, shouldStop: () => false });
    assert.equal(local.kind, 'train');
    if (local.kind !== 'train') continue;
    assert.deepEqual({ ...o.result, durationMs: 0 }, { ...local.result, durationMs: 0 });
  }
});

test('progress: false posts no progress message, only the result with every cost; absent, the costs stream', async () => {
  const [config] = configs(TINY);
  const pool = new WorkerPool({ size: 1, idleMs: 0, createWorker: () => new Worker(WORKER) });
  const streamed = [0, 0];
  const outcomes = await Promise.all(
    [false, undefined].map(
      (progress, i) =>
        pool.submit(
          {
            kind: 'train',
            config: config!,
            baseDir: __dirname,
            allowModules: false,
            boundary: false,
            ...(progress === undefined ? {} : { progress }),
          },
          { onProgress: (p) => (streamed[i]! += p.costs.length) },
        ).done,
    ),
  );
  await pool.dispose();
  assert.deepEqual(streamed, [0, 30], 'the quiet job streamed nothing, the default one every epoch');
  for (const o of outcomes) assert.equal(o.kind === 'train' && o.result.costs.length, 30);
});

test('gradient checks handed over together run one after the other (a module load awaits; they must not interleave)', async () => {
  const dir = join(__dirname, '..', '..', '..', 'examples', 'gradient-checking');
  const text = readFileSync(join(dir, 'gradient-checking.nnlab.json'), 'utf8');
  const resolved = resolveExperimentText(text, { baseDir: dir, dataShape: datasetShape, moduleExists, advice: false });
  const byName = new Map(resolved.experiments.map((c) => [c.name, c]));
  const pool = new WorkerPool({ size: 1, idleMs: 0, pipeline: 2, createWorker: () => new Worker(WORKER) });
  const [buggy, network] = await Promise.all(
    ['course-buggy', 'network'].map(
      (name) =>
        pool.submit({ kind: 'gradcheck', config: byName.get(name)!, baseDir: dir, allowModules: true, gradcheck: {} })
          .done,
    ),
  );
  await pool.dispose();
  assert.equal(buggy!.kind === 'gradcheck' && buggy!.report.name, 'course-buggy');
  assert.equal(buggy!.kind === 'gradcheck' && buggy!.report.passed, false);
  assert.equal(network!.kind === 'gradcheck' && network!.report.name, 'network');
  assert.equal(network!.kind === 'gradcheck' && network!.report.passed, true);
});

test('a WebAssembly kernel one worker built is handed to the other workers and to later ones, which do not build it again', async () => {
  const [config] = configs(TINY);
  // [2,4,1] relu/sigmoid takes the wasm kernel; what each worker posts shows which kernels it built itself.
  const built: string[][] = [];
  const pool = new WorkerPool({
    size: 2,
    idleMs: 0,
    createWorker: () => {
      const mine: string[] = [];
      built.push(mine);
      const w = new Worker(WORKER);
      w.on('message', (m: { type?: string; modules?: Array<{ key: string }> }) => {
        if (m.type === 'modules') mine.push(...m.modules!.map((e) => e.key));
      });
      return w;
    },
  });
  const job = (name: string, epochs: number) =>
    pool.submit({
      kind: 'train',
      config: { ...config!, name, train: { ...config!.train, epochs } },
      baseDir: __dirname,
      allowModules: false,
      boundary: false,
    }).done;
  // One worker builds the kernel; with idleMs 0 it retires, and the next job runs on a new thread.
  const first = await job('first', 30);
  const second = await job('second', 30);
  // Two at once on two fresh threads that both start with the module the pool holds.
  const [third, fourth] = await Promise.all([job('third', 30), job('fourth', 30)]);
  await pool.dispose();
  assert.ok(built.length >= 3, `${built.length} workers started`);
  assert.deepEqual(built[0], ['2,4,1|relu|64|true'], 'the first worker built the kernel and posted it');
  assert.deepEqual(built.slice(1).flat(), [], 'no later worker built it again');
  for (const o of [first, second, third, fourth]) {
    assert.equal(o.kind, 'train');
    if (o.kind === 'train' && first.kind === 'train')
      assert.deepEqual(o.result.costs, first.result.costs, 'same numbers from a shared module');
  }
});

test('a CSV job says it is loading (rows read) in status messages; progress: false sends none', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-status-'));
  const rows = Array.from({ length: 2500 }, (_, i) => `${(i % 50) / 50},${(i % 7) / 7},${i % 2}`);
  writeFileSync(join(dir, 'data.csv'), `a,b,label\n${rows.join('\n')}\n`);
  const [config] = configs(
    JSON.stringify({
      experiments: {
        csv: {
          data: { dataset: 'csv', path: join(dir, 'data.csv') },
          model: { layers: [2, 3, 1] },
          train: { epochs: 3, batchSize: 100 },
        },
      },
    }),
  );
  const pool = new WorkerPool({ size: 1, createWorker: () => new Worker(WORKER) });
  try {
    const statuses: Array<{ rows?: number; batch?: { epoch: number; done: number; batches: number } }> = [];
    const job = (progress: boolean) =>
      pool.submit(
        { kind: 'train', config: config!, baseDir: dir, allowModules: false, boundary: false, progress },
        { onStatus: (s) => statuses.push(s) },
      ).done;
    const outcome = await job(true);
    assert.equal(outcome.kind, 'train');
    assert.ok(statuses.length >= 1, 'at least the first status goes out at once');
    // The reader reports whole thousands of rows as each read chunk is parsed (this small file is one chunk).
    assert.ok(
      statuses[0]!.rows !== undefined && statuses[0]!.rows >= 1000 && statuses[0]!.rows % 1000 === 0,
      `the first status says how many rows were read: ${JSON.stringify(statuses[0])}`,
    );
    for (const s of statuses) {
      if (s.rows !== undefined) assert.ok((s.rows > 0 && s.rows <= 2500 && s.rows % 1000 === 0) || s.rows === 2500);
      if (s.batch)
        assert.ok(s.batch.done < s.batch.batches && s.batch.batches === 25 && s.batch.epoch < 3, JSON.stringify(s));
    }
    statuses.length = 0;
    assert.equal((await job(false)).kind, 'train');
    assert.deepEqual(statuses, []);
  } finally {
    await pool.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the CLI asks its workers for normal priority; the editor's (no workerData) train at nice 10 on Linux", async () => {
  const { readdirSync, readFileSync: read } = await import('node:fs');
  // Field 19 of /proc/self/task/TID/stat is the thread's nice value (after the command name in parentheses).
  const niceThreads = () =>
    readdirSync('/proc/self/task').filter((tid) => {
      const stat = read(`/proc/self/task/${tid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16] === '10';
    }).length;
  const [config] = configs(TINY);
  const niceWith = async (workerData?: { background: boolean }) => {
    const pool = new WorkerPool({ size: 1, createWorker: () => new Worker(WORKER, workerData ? { workerData } : {}) });
    try {
      // The job finishing means the worker's top level (where it sets its priority) has run.
      assert.equal(
        (
          await pool.submit({
            kind: 'train',
            config: config!,
            baseDir: __dirname,
            allowModules: false,
            boundary: false,
          }).done
        ).kind,
        'train',
      );
      return niceThreads();
    } finally {
      await pool.dispose();
    }
  };
  const before = niceThreads();
  assert.equal(await niceWith({ background: false }), before, 'no thread was lowered');
  assert.ok((await niceWith()) > before, "the editor's worker thread runs at nice 10");
});
