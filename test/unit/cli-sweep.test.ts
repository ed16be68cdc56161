// `nnlab run` on a sweep: trials with their sweep values, pruning, and the same numbers with --jobs 1 and 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = join(process.cwd(), 'dist/cli.js');
const file = join(mkdtempSync(join(tmpdir(), 'nnlab-sweep-')), 'sweep.nnlab.json');
writeFileSync(
  file,
  `{
  "defaults": { "data": { "dataset": "moons", "samples": 80, "seed": 3 }, "model": { "layers": [2, 4, 1] }, "train": { "epochs": 60, "optimizer": "adam", "batchSize": 32 } },
  "experiments": {
    "lr": { "sweep": { "train.learningRate": [0.1, 0.0001, 0.05, 0.00005, 0.02] }, "search": { "prune": { "after": 20, "quantile": 0.5 } } },
    "alone": { "train": { "learningRate": 0.05 } }
  }
}`,
);

function runJson(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, 'run', file, '--json', ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout).experiments as any[];
}

test('a pruned sweep: statuses, histories cut at the pruning epoch, sweep values, identical on 1 and 2 threads', () => {
  const one = runJson('--jobs', '1');
  const two = runJson('--jobs', '2');
  const strip = (rs: any[]) => rs.map(({ durationMs: _, ...r }) => r);
  assert.deepEqual(strip(two), strip(one));
  assert.deepEqual(
    one.map((r) => [r.name, r.status, r.costs.length]),
    [
      ['lr[learningRate=0.1]', 'ok', 60],
      ['lr[learningRate=0.0001]', 'pruned', 20],
      ['lr[learningRate=0.05]', 'ok', 60],
      ['lr[learningRate=0.00005]', 'pruned', 20],
      ['lr[learningRate=0.02]', 'ok', 60],
      ['alone', 'ok', 60],
    ],
  );
  assert.deepEqual(one[1].sweep, { 'train.learningRate': 0.0001 });
  assert.equal(one[1].trainAccuracy, null);
  assert.deepEqual(one[1].parameters, {});
  // The trial with learningRate 0.05 is the standalone experiment with that value; only the standalone run is
  // inspected (sweep trials carry no snapshots, see protocol/worker.ts's `inspect`).
  const { name: _a, sweep: _s, durationMs: _d, ...trial } = one[2];
  const { name: _b, durationMs: _e, inspection, ...alone } = one[5];
  assert.equal(trial.inspection, undefined);
  assert.ok(inspection.snapshots.length > 0);
  assert.deepEqual(trial, alone);
});

test('-e picks single trials by name', () => {
  const picked = runJson('-e', 'lr[learningRate=0.02]', '-j', '1');
  assert.deepEqual(
    picked.map((r) => [r.name, r.status]),
    [['lr[learningRate=0.02]', 'ok']],
  );
});
