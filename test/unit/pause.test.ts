/**
 * Pause, resume and step through the real training worker (dist/worker.js) behind the pool: a run paused before its
 * first epoch, stepped, paused mid-run and resumed ends with the uninterrupted run's numbers to the bit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadExperimentFile } from '../../src/node/experiment';
import { WorkerPool, type JobOutcome } from '../../src/runner/pool';
import { PauseControl } from '../../src/runner/pause';
import { snapshotEpochs } from '../../src/core/inspect';
import type { ExperimentJob } from '../../src/protocol/worker';

const root = join(__dirname, '..', '..', '..');
const WORKER = join(root, 'dist', 'worker.js');
const examples = join(root, 'examples');

function heJob(): ExperimentJob {
  const loaded = loadExperimentFile(join(examples, 'initialization.nnlab.json'));
  const config = loaded.entries.find((e) => e.name === 'he')!.config!;
  return { kind: 'train', config, baseDir: examples, allowModules: false };
}

/** What must match to the bit: everything but the timing. */
function numbers(outcome: JobOutcome) {
  assert.equal(outcome.kind, 'train');
  const { durationMs: _, ...rest } = (outcome as Extract<JobOutcome, { kind: 'train' }>).result;
  return { ...rest, boundary: (outcome as Extract<JobOutcome, { kind: 'train' }>).boundary };
}

test('paused before epoch 0, stepped 3 epochs, paused mid-run, resumed: bit-identical to an uninterrupted run', async () => {
  const pool = new WorkerPool({ size: 1, idleMs: 0, createWorker: () => new Worker(WORKER) });
  try {
    const plain = await pool.submit(heJob()).done;

    const control = new PauseControl();
    control.pause();
    let reached = 0;
    let waiting: { epochs: number; resolve: () => void } | undefined;
    const reach = (epochs: number) =>
      new Promise<void>((resolve) => (reached >= epochs ? resolve() : (waiting = { epochs, resolve })));
    const live: number[] = [];
    const handle = pool.submit(
      { ...heJob(), control: control.buffer },
      {
        onProgress: (p) => {
          if (p.snapshot) {
            live.push(p.snapshot.epoch);
            assert.equal(p.snapshot.parameters.length, 91);
          }
          reached = p.firstIndex + p.costs.length;
          if (waiting && reached >= waiting.epochs) waiting.resolve();
        },
      },
    );
    // Paused before the first epoch: nothing trains.
    await sleep(200);
    assert.equal(reached, 0);
    for (let k = 1; k <= 3; k++) {
      control.step();
      await reach(k);
      assert.equal(reached, k, `one step is one epoch (step ${k})`);
    }
    assert.equal(control.paused, true);
    control.resume();
    await reach(100);
    control.pause();
    // The worker posts what it trained before it blocks; after that nothing moves.
    await sleep(300);
    const at = reached;
    await sleep(300);
    assert.equal(reached, at, 'paused mid-run');
    assert.ok(at < 15000);
    control.resume();
    const resumed = await handle.done;
    assert.deepEqual(numbers(resumed), numbers(plain));
    // Progress carried the latest snapshots for live views: snapshot epochs, in order, among them epoch 0.
    assert.equal(live[0], 0);
    assert.ok(
      live.every((e) => snapshotEpochs(15000).includes(e)) && live.every((e, i) => i === 0 || e > live[i - 1]!),
      live.join(),
    );
  } finally {
    await pool.dispose();
  }
});

test('a paused run can be cancelled', async () => {
  const pool = new WorkerPool({ size: 1, idleMs: 0, createWorker: () => new Worker(WORKER) });
  try {
    const control = new PauseControl();
    control.pause();
    const handle = pool.submit({ ...heJob(), control: control.buffer });
    await sleep(100);
    handle.cancel();
    assert.equal((await handle.done).kind, 'cancelled');
  } finally {
    await pool.dispose();
  }
});
