/**
 * The pool's scheduling, cancel and failure semantics, against workers that speak the worker protocol from a
 * small script (so these tests do not depend on the trainer's speed). The real worker is exercised by
 * runner-worker.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { WorkerPool, type JobSpec, type PoolStats } from '../../src/runner/pool';
import type { ExperimentConfig } from '../../src/core/types';

// Behaviour is chosen by the experiment's name: ok (2 progress messages then a result), hang, crash, garbage, slow.
const SCRIPT = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.type !== 'start') return;
  const name = m.config.name;
  if (name === 'hang') { for (;;) {} }
  if (name === 'crash') throw new Error('boom');
  if (name === 'garbage') return parentPort.postMessage({ type: 'done', runId: m.runId, result: { kind: 'train' } });
  const finish = () => {
    const costs = new Float64Array([0.5, 0.25]);
    parentPort.postMessage({ type: 'progress', runId: m.runId, firstIndex: 0, epoch: 1, epochs: 2, costs }, [costs.buffer]);
    parentPort.postMessage({ type: 'done', runId: m.runId, result: { kind: 'train', result: { name, status: 'ok', costs: [0.5, 0.25],
      trainAccuracy: 1, testAccuracy: null, parameters: {}, durationMs: 1 } } });
  };
  if (name === 'slow') setTimeout(finish, 30); else finish();
});`;

function spec(name: string): JobSpec {
  return { kind: 'train', config: { name } as unknown as ExperimentConfig, baseDir: '/', allowModules: false };
}

function makePool(size: number, idleMs = 0, pipeline = 1) {
  let spawned = 0;
  let exited = 0;
  const pool = new WorkerPool({
    size,
    idleMs,
    pipeline,
    createWorker: () => {
      spawned++;
      const w = new Worker(SCRIPT, { eval: true });
      w.on('exit', () => exited++);
      return w;
    },
  });
  return { pool, counts: () => ({ spawned, exited }) };
}

/** Resolves when the pool's stats satisfy `pred` (checked on every change), or rejects after `ms`. */
function until(pool: WorkerPool, pred: (s: PoolStats) => boolean, ms = 5000): Promise<void> {
  if (pred(pool.stats)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out; stats ${JSON.stringify(pool.stats)}`));
    }, ms);
    const sub = pool.onChange((s) => {
      if (pred(s)) {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  });
}

test('50 jobs queued at once all finish in FIFO start order on 2 workers, and no worker is alive afterwards', async () => {
  const { pool, counts } = makePool(2);
  const started: number[] = [];
  let maxRunning = 0;
  pool.onChange((s) => (maxRunning = Math.max(maxRunning, s.running)));
  const handles = Array.from({ length: 50 }, (_, i) =>
    pool.submit(spec(i % 2 ? 'ok' : 'slow'), { onStart: () => started.push(i) }),
  );
  assert.equal(pool.stats.queued, 48);
  const outcomes = await Promise.all(handles.map((h) => h.done));
  assert.ok(outcomes.every((o) => o.kind === 'train' && o.result.status === 'ok'));
  assert.deepEqual(
    started,
    Array.from({ length: 50 }, (_, i) => i),
  );
  assert.equal(maxRunning, 2);
  await until(pool, (s) => s.workers === 0);
  const { spawned, exited } = counts();
  assert.equal(exited, spawned, 'every spawned thread exited');
});

test('progress reaches the listener with the transferred costs', async () => {
  const { pool } = makePool(1);
  const seen: number[] = [];
  const h = pool.submit(spec('ok'), { onProgress: (p) => seen.push(...p.costs) });
  await h.done;
  assert.deepEqual(seen, [0.5, 0.25]);
  await pool.dispose();
});

// How fast is measured in `npm run bench` (bench/runner.bench.ts: cancel → worker thread exited); here, what happens.
test('cancelling a running job terminates its worker (a busy loop ends no other way) and the next job gets a new one', async () => {
  const { pool, counts } = makePool(1, 10_000);
  let running!: () => void;
  const isRunning = new Promise<void>((r) => (running = r));
  const hang = pool.submit(spec('hang'), { onStart: running });
  const next = pool.submit(spec('ok'));
  await isRunning;
  hang.cancel();
  assert.deepEqual(await hang.done, { kind: 'cancelled' });
  await until(pool, () => counts().exited === 1);
  assert.equal((await next.done).kind, 'train');
  // The slot was freed by ending the hung thread, not by waiting for it: one thread exited, a second one ran `next`.
  assert.deepEqual(counts(), { spawned: 2, exited: 1 });
  await pool.dispose();
  assert.equal(pool.stats.workers, 0);
});

test('cancelling a queued job removes it without running it', async () => {
  const { pool } = makePool(1);
  const first = pool.submit(spec('slow'));
  let started = false;
  const second = pool.submit(spec('ok'), { onStart: () => (started = true) });
  second.cancel();
  assert.deepEqual(await second.done, { kind: 'cancelled' });
  assert.equal((await first.done).kind, 'train');
  assert.equal(started, false);
  await pool.dispose();
});

test('a crash or a malformed message fails that job alone', async () => {
  const { pool } = makePool(2);
  const [crash, garbage, ok] = [pool.submit(spec('crash')), pool.submit(spec('garbage')), pool.submit(spec('ok'))];
  const c = await crash.done;
  assert.equal(c.kind, 'error');
  assert.match(c.kind === 'error' ? c.message : '', /crashed: boom/);
  const g = await garbage.done;
  assert.match(
    g.kind === 'error' ? g.message : '',
    /invalid message from the worker: done.result.result: expected an object/,
  );
  assert.equal((await ok.done).kind, 'train');
  await until(pool, (s) => s.workers === 0);
});

test('dispose cancels everything and leaves no thread', async () => {
  const { pool, counts } = makePool(2, 10_000);
  const hs = [pool.submit(spec('hang')), pool.submit(spec('hang')), pool.submit(spec('ok'))];
  await until(pool, (s) => s.running === 2);
  await pool.dispose();
  assert.deepEqual(
    (await Promise.all(hs.map((h) => h.done))).map((o) => o.kind),
    ['cancelled', 'cancelled', 'cancelled'],
  );
  assert.equal(counts().exited, counts().spawned);
  assert.throws(() => pool.submit(spec('ok')), /disposed/);
});

test('pipeline 2: a busy worker holds the next job too; jobs start in FIFO order, one at a time per worker', async () => {
  const { pool, counts } = makePool(1, 0, 2);
  const started: number[] = [];
  let maxRunning = 0;
  pool.onChange((st) => (maxRunning = Math.max(maxRunning, st.running)));
  const handles = Array.from({ length: 5 }, (_, i) => pool.submit(spec('slow'), { onStart: () => started.push(i) }));
  // One runs, one waits inside the worker, three wait in the pool's queue: all five count as not running.
  assert.deepEqual(pool.stats, { running: 1, queued: 4, workers: 1 });
  assert.deepEqual(started, [0]);
  const outcomes = await Promise.all(handles.map((h) => h.done));
  assert.ok(outcomes.every((o) => o.kind === 'train'));
  assert.deepEqual(started, [0, 1, 2, 3, 4]);
  assert.equal(maxRunning, 1);
  await until(pool, (st) => st.workers === 0);
  assert.equal(counts().spawned, 1);
});

test('pipeline 2: cancelling the running job terminates only it; the job held behind it runs on a new worker', async () => {
  const { pool, counts } = makePool(1, 0, 2);
  let running!: () => void;
  const isRunning = new Promise<void>((r) => (running = r));
  const hang = pool.submit(spec('hang'), { onStart: running });
  let nextStarts = 0;
  const next = pool.submit(spec('ok'), { onStart: () => nextStarts++ });
  await isRunning;
  assert.equal(nextStarts, 0, 'a job held behind a running one has not started');
  hang.cancel();
  assert.deepEqual(await hang.done, { kind: 'cancelled' });
  assert.equal((await next.done).kind, 'train');
  assert.equal(nextStarts, 1);
  await until(pool, (st) => st.workers === 0);
  assert.equal(counts().spawned, 2);
});

test('pipeline 2: cancelling a job held behind the running one settles it and leaves the running job alone', async () => {
  const { pool, counts } = makePool(1, 0, 2);
  const first = pool.submit(spec('slow'));
  let started = false;
  const second = pool.submit(spec('ok'), { onStart: () => (started = true) });
  second.cancel();
  assert.deepEqual(await second.done, { kind: 'cancelled' });
  assert.equal((await first.done).kind, 'train');
  assert.equal(started, false);
  await until(pool, (st) => st.workers === 0);
  assert.equal(counts().spawned, 1, 'no worker was terminated for it');
});

test('warm starts the workers before any job and the jobs then use them', async () => {
  const { pool, counts } = makePool(2, 0, 2);
  pool.warm(5);
  assert.deepEqual(counts(), { spawned: 2, exited: 0 }, 'never more than the size');
  const outcomes = await Promise.all([
    pool.submit(spec('ok')).done,
    pool.submit(spec('slow')).done,
    pool.submit(spec('ok')).done,
  ]);
  assert.ok(outcomes.every((o) => o.kind === 'train'));
  assert.equal(counts().spawned, 2);
  await until(pool, (st) => st.workers === 0);
});

test('resize below the warmed workers ends the idle ones at once', async () => {
  const { pool, counts } = makePool(3, 0);
  pool.warm(3);
  pool.resize(1);
  await until(pool, (st) => st.workers === 1);
  assert.equal((await pool.submit(spec('ok')).done).kind, 'train');
  await until(pool, (st) => st.workers === 0);
  assert.equal(counts().spawned, 3);
});

test('twoEnded: the second worker takes jobs from the back of the queue; every job still runs once', async () => {
  const p = new WorkerPool({
    size: 2,
    idleMs: 0,
    twoEnded: true,
    createWorker: () => new Worker(SCRIPT, { eval: true }),
  });
  const started: number[] = [];
  const handles = p.submitAll(
    Array.from({ length: 6 }, (_, i) => ({ spec: spec('slow'), listener: { onStart: () => started.push(i) } })),
  );
  // Both workers start at once: the first takes job 0, the second job 5.
  assert.deepEqual(started, [0, 5]);
  const outcomes = await Promise.all(handles.map((h) => h.done));
  assert.ok(outcomes.every((o) => o.kind === 'train'));
  assert.deepEqual([...started].sort(), [0, 1, 2, 3, 4, 5]);
  await until(p, (st) => st.workers === 0);
});
