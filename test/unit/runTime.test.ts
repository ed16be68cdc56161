/**
 * The slow-run estimate (core/nn/runTime.ts) and the warning built on it (advice.ts): within 1.5× of the times
 * measured for issue 18 on the bench machine, counting set-up (initial weights, kernel building, CSV loading), and
 * quiet on the course's runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { adviseExperiment, loadExperimentFile } from '../../src/core/experiment';
import { estimateRunTime } from '../../src/core/nn/runTime';
import { experimentConfig } from './experimentConfig';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * Whole-process times measured with the trainer of issue 18's table (generic kernels for all of these; CSV load
 * included) and moons-Adam's from the course bench. When the kernels get faster these times and COST_NS change
 * together: the bench's peers rows print the estimate next to each measured time.
 */
const MEASURED: Array<{ name: string; layers: number[]; epochs: number; batchSize: number; samples: number; csv: boolean; test: boolean; seconds: [number, number] }> = [
  { name: 'digits', layers: [64, 128, 64, 10], epochs: 200, batchSize: 64, samples: 1500, csv: true, test: true, seconds: [24.3, 24.3] },
  { name: '784-wide', layers: [784, 128, 64, 10], epochs: 5, batchSize: 128, samples: 20_000, csv: true, test: true, seconds: [73, 97] },
  { name: 'W=32', layers: [784, 32, 32, 10], epochs: 5, batchSize: 128, samples: 20_000, csv: true, test: true, seconds: [28.5, 28.5] },
  { name: 'W=128', layers: [784, 128, 128, 10], epochs: 5, batchSize: 128, samples: 20_000, csv: true, test: true, seconds: [65.5, 65.5] },
  { name: 'W=512', layers: [784, 512, 512, 10], epochs: 5, batchSize: 128, samples: 20_000, csv: true, test: true, seconds: [294, 338] },
  { name: 'moons-adam', layers: [2, 5, 2, 1], epochs: 10_000, batchSize: 64, samples: 300, csv: false, test: false, seconds: [0.147, 0.147] },
];

test('the estimate lands within 1.5× of the measured times of the bench workloads', () => {
  for (const w of MEASURED) {
    const output = w.layers.at(-1) === 1 ? 'sigmoid' : 'softmax';
    const t = estimateRunTime({
      model: { layers: w.layers, activation: 'relu', output, keepProb: 1 },
      train: { epochs: w.epochs, batchSize: w.batchSize },
      samples: w.samples,
      csv: w.csv,
      test: w.test,
    });
    const [lo, hi] = w.seconds;
    assert.ok(t.seconds >= lo / 1.5 && t.seconds <= hi * 1.5, `${w.name}: estimated ${t.seconds.toFixed(2)} s, measured ${lo}–${hi} s`);
    assert.equal(Math.abs(t.seconds - (t.load + t.init + t.build + t.train)) < 1e-9, true);
  }
});

test('set-up counts: [2,1000,1000,1] on 10 examples for 1 epoch and a 10⁶-column CSV get the warning', () => {
  const big = adviseExperiment(experimentConfig({ layers: [2, 1000, 1000, 1] }, { epochs: 1 }, { samples: 10 }), 10);
  const slow = big.find((a) => a.code === 'advice/slow-run');
  assert.ok(slow, 'a warning for [2,1000,1000,1]');
  assert.match(slow.message, /about \d+(\.\d)? s \(.*building the kernels ~\d/);
  assert.match(slow.message, /before the first epoch/);
  const wide = adviseExperiment(experimentConfig({ layers: [1_000_000, 10, 1] }, { epochs: 1 }, { dataset: 'csv', path: 'wide.csv' }), 100);
  assert.match(wide.find((a) => a.code === 'advice/slow-run')?.message ?? '', /loading the data ~\d+ s/);
  // The same network on 10 examples of generated data and a small one: no warning.
  assert.deepEqual(adviseExperiment(experimentConfig({ layers: [2, 50, 1] }, { epochs: 100 }, { samples: 10 }), 10), []);
});

test('no course experiment gets the slow-run warning', () => {
  for (const file of ['initialization.nnlab.json', 'optimization.nnlab.json']) {
    const loaded = loadExperimentFile(join(ROOT, 'examples', file), { advice: true });
    assert.ok(loaded.experiments.length >= 3);
    assert.deepEqual(loaded.diagnostics.filter((d) => d.code === 'advice/slow-run').map((d) => d.message), [], file);
  }
});
