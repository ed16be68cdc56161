/**
 * The slow-run estimate (core/nn/runTime.ts) and the warning built on it (advice.ts): within 1.5× of the times
 * measured on the bench machine, counting set-up (initial weights, kernel building, CSV loading), and quiet on the
 * course's runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { adviseExperiment } from '../../src/core/experiment';
import { loadExperimentFile } from '../../src/node/experiment';
import { estimateRunTime } from '../../src/core/nn/runTime';
import { experimentConfig } from './experimentConfig';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * Training times measured on the bench machine with the tiled kernels (the peers bench's training seconds, quiet
 * machine) and moons-Adam's whole training from the course
 * bench. When the kernels change these times and COST_NS change together; the bench's peers rows print the estimate
 * next to each measured whole-process time.
 */
const MEASURED: Array<{
  name: string;
  layers: number[];
  epochs: number;
  batchSize: number;
  samples: number;
  seconds: number;
}> = [
  // Training seconds of the peers bench on the quiet machine (default two threads), 2026-12-08 02:49 UTC.
  { name: 'digits', layers: [64, 128, 64, 10], epochs: 200, batchSize: 64, samples: 1500, seconds: 2.07 },
  { name: '784-wide', layers: [784, 128, 64, 10], epochs: 5, batchSize: 128, samples: 20_000, seconds: 3.42 },
  { name: 'W=32', layers: [784, 32, 32, 10], epochs: 5, batchSize: 128, samples: 20_000, seconds: 1.79 },
  { name: 'W=128', layers: [784, 128, 128, 10], epochs: 5, batchSize: 128, samples: 20_000, seconds: 3.77 },
  { name: 'W=512', layers: [784, 512, 512, 10], epochs: 5, batchSize: 128, samples: 20_000, seconds: 17.61 },
  // `nnlab run --threads 1`, 300 epochs in 589 ms of training (quiet machine).
  { name: '[2,100,100,1]', layers: [2, 100, 100, 1], epochs: 100, batchSize: 64, samples: 300, seconds: 100 * 0.00196 },
  { name: 'moons-adam', layers: [2, 5, 2, 1], epochs: 10_000, batchSize: 64, samples: 300, seconds: 0.147 },
];

test('the training estimate lands within 1.5× of the measured training times', () => {
  for (const w of MEASURED) {
    const output = w.layers.at(-1) === 1 ? 'sigmoid' : 'softmax';
    const t = estimateRunTime({
      model: { layers: w.layers, activation: 'relu', output, keepProb: 1 },
      train: { epochs: w.epochs, batchSize: w.batchSize },
      samples: w.samples,
      csv: true,
      test: true,
    });
    assert.ok(
      t.train >= w.seconds / 1.5 && t.train <= w.seconds * 1.5,
      `${w.name}: estimated ${t.train.toFixed(2)} s, measured ${w.seconds.toFixed(2)} s`,
    );
    assert.ok(Math.abs(t.seconds - (t.load + t.init + t.build + t.train)) < 1e-9);
  }
});

test('set-up counts: a 10⁶-column CSV gets the warning for its loading; [2,1000,1000,1] on 10 examples no longer builds for seconds', () => {
  const wide = adviseExperiment(
    experimentConfig({ layers: [1_000_000, 10, 1] }, { epochs: 1 }, { dataset: 'csv', path: 'wide.csv' }),
    100,
  );
  const slow = wide.find((a) => a.code === 'advice/slow-run');
  assert.ok(slow, 'a warning for the 10⁶-column CSV');
  assert.match(slow.message, /about \d+ s \(loading the data ~\d+(\.\d)? s/);
  assert.match(slow.message, /before the first epoch/);
  // Measured 0.64 s of CPU with the tiled kernels (the unrolled source is no longer built for it): no warning.
  const big = estimateRunTime({
    model: { layers: [2, 1000, 1000, 1], activation: 'relu', output: 'sigmoid', keepProb: 1 },
    train: { epochs: 1 },
    samples: 10,
    csv: false,
    test: false,
  });
  assert.equal(big.kernel, 'tiled');
  assert.ok(big.seconds > 0.64 / 1.5 && big.seconds < 0.64 * 1.5, `${big.seconds}`);
  assert.deepEqual(
    adviseExperiment(experimentConfig({ layers: [2, 1000, 1000, 1] }, { epochs: 1 }, { samples: 10 }), 10),
    [],
  );
});

test('no course experiment gets the slow-run warning', () => {
  for (const file of ['initialization.nnlab.json', 'optimization.nnlab.json']) {
    const loaded = loadExperimentFile(join(ROOT, 'examples', file), { advice: true });
    assert.ok(loaded.experiments.length >= 3);
    assert.deepEqual(
      loaded.diagnostics.filter((d) => d.code === 'advice/slow-run').map((d) => d.message),
      [],
      file,
    );
  }
});
