// Resolution: defaults merge, schema defaults, every problem at once, cross-key checks, tutor warnings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveExperimentText, type Diagnostic } from '../../src/core/experiment';
import { datasetShape, moduleExists } from '../../src/node/experiment';

function resolve(text: string) {
  return resolveExperimentText(text, { baseDir: process.cwd(), dataShape: datasetShape, moduleExists });
}

const summary = (ds: Diagnostic[]) => ds.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`);

test('defaults merge under experiments: objects merge, arrays and scalars replace; schema defaults fill the rest', () => {
  const r = resolve(`{
    // comments and trailing commas are fine
    "defaults": { "data": { "dataset": "moons", "seed": 3 }, "model": { "layers": [2, 5, 2, 1] }, "train": { "epochs": 5, "batchSize": 64 } },
    "experiments": {
      "a": { "model": { "layers": [2, 3, 1] }, "train": { "optimizer": "adam" } },
      "b": { "data": { "test": { "seed": 2, "samples": 100 } } },
    },
  }`);
  assert.deepEqual(r.diagnostics, []);
  const [a, b] = r.experiments;
  assert.deepEqual(a!.model.layers, [2, 3, 1]);
  assert.equal(a!.train.optimizer, 'adam');
  assert.equal(a!.train.epochs, 5);
  assert.equal(a!.train.batchSize, 64);
  assert.equal(a!.train.beta2, 0.999);
  assert.equal(a!.data.seed, 3);
  assert.deepEqual(b!.model.layers, [2, 5, 2, 1]);
  assert.equal(b!.train.optimizer, 'gd');
  assert.deepEqual(b!.data.test, { seed: 2, samples: 100 });
  assert.equal(a!.train.decay, undefined);
});

test('every problem is reported at once; the valid experiment still resolves', () => {
  const r = resolve(`{
  "experiments": {
    "bad": {
      "data": { "dataset": "moons", "nosie": 0.1 },
      "model": { "layers": [3, 4, 1], "activation": "rleu" },
      "train": { "learningRate": -1, "epochs": 2.5 }
    },
    "good": { "data": { "dataset": "circles" }, "model": { "layers": [2, 1] } }
  }
}`);
  assert.deepEqual(summary(r.diagnostics), [
    '4:37 error unknown-key unknown key "nosie" in data; did you mean "noise"?',
    '5:29 error layers-input layers[0] must equal the number of features of moons (2), got 3',
    '5:53 error enum unknown activation "rleu"; did you mean "relu"? (expected one of: relu, tanh, sigmoid, leaky_relu, linear)',
    '6:34 error range learningRate must be > 0, got -1',
    '6:48 error integer epochs must be an integer, got 2.5',
  ]);
  assert.deepEqual(
    r.experiments.map((e) => e.name),
    ['good'],
  );
  assert.equal(r.fileErrors, false);
  assert.equal(r.entries[0]!.diagnostics.length, 5);
});

test('an inherited error points into defaults, is reported once, and carries a quick fix', () => {
  const r = resolve(`{
  "defaults": { "data": { "dataset": "moons" }, "model": { "layers": [4, 1] } },
  "experiments": { "a": {}, "b": { "train": { "epochs": 5 } } }
}`);
  assert.equal(r.diagnostics.length, 1);
  const d = r.diagnostics[0]!;
  assert.deepEqual(d.path, ['defaults', 'model', 'layers', 0]);
  assert.deepEqual([d.line, d.column], [2, 71]);
  assert.deepEqual(d.fix, { title: 'Set layers[0] to 2', offset: d.offset, length: 1, newText: '2' });
  assert.equal(r.entries.filter((e) => e.diagnostics.length).length, 2);
});

test('output layer must fit the labels', () => {
  const r = resolve(`{ "experiments": {
    "sig": { "data": { "dataset": "spiral", "classes": 3 }, "model": { "layers": [2, 1] } },
    "two": { "data": { "dataset": "moons" }, "model": { "layers": [2, 2] } },
    "soft": { "data": { "dataset": "gauss", "classes": 4 }, "model": { "layers": [2, 4], "output": "softmax" } }
  } }`);
  assert.deepEqual(summary(r.diagnostics), [
    '2:86 error output a sigmoid output needs 2 classes, but spiral has 3; use "output": "softmax" with 3 output units',
    '3:71 error layers-output the last layer must have 1 unit: a sigmoid output has 1 unit, got 2',
  ]);
  assert.deepEqual(
    r.experiments.map((e) => e.name),
    ['soft'],
  );
});

test('decay variants are checked after merging', () => {
  const r = resolve(`{
  "defaults": { "data": { "dataset": "moons" }, "model": { "layers": [2, 1] }, "train": { "decay": { "type": "step", "rate": 0.5 } } },
  "experiments": { "ok": { "train": { "decay": { "every": 10 } } }, "exp": { "train": { "decay": { "type": "exponential", "every": 3 } } } }
}`);
  assert.deepEqual(
    r.experiments.map((e) => [e.name, e.train.decay]),
    [['ok', { type: 'step', rate: 0.5, every: 10 }]],
  );
  assert.deepEqual(summary(r.diagnostics), ['3:132 error unknown-key "every" does not apply to an exponential decay']);
});

test('syntax errors are file errors: positions reported, nothing resolves', () => {
  const r = resolve('{ "experiments": { "a": { "data": { "dataset": "moons" } "model": {} } } }');
  assert.equal(r.fileErrors, true);
  assert.deepEqual(r.experiments, []);
  const syntax = r.diagnostics.filter((d) => d.code === 'syntax');
  assert.deepEqual(
    syntax.map((d) => [d.line, d.column, d.message]),
    [[1, 58, 'syntax error: expected ","']],
  );
});

test('tutor warnings: one per rule, never blocking', () => {
  const r = resolve(`{
  "defaults": { "data": { "dataset": "moons", "samples": 100 }, "model": { "layers": [2, 4, 1] } },
  "experiments": {
    "zeros": { "model": { "init": "zeros" } },
    "big": { "model": { "init": "random", "initScale": 10 } },
    "lr": { "train": { "learningRate": 2 } },
    "adam": { "train": { "optimizer": "adam", "learningRate": 0.2, "beta2": 1 } },
    "batch": { "train": { "batchSize": 128 } },
    "slow": { "data": { "samples": 5000 }, "model": { "layers": [2, 100, 100, 1] }, "train": { "epochs": 10000 } }
  }
}`);
  assert.ok(r.diagnostics.every((d) => d.severity === 'warning'));
  assert.deepEqual(
    r.diagnostics.map((d) => `${d.path.slice(1).join('.')} ${d.code}`),
    [
      'zeros.model.init advice/zeros-init',
      'big.model.initScale advice/large-init',
      'lr.train.learningRate advice/large-learning-rate',
      'adam.train.learningRate advice/large-learning-rate',
      'adam.train.beta2 advice/beta-range',
      'batch.train.batchSize advice/batch-larger-than-data',
      'slow.train.epochs advice/slow-run',
    ],
  );
  assert.equal(r.experiments.length, 6);
});

test('wrong types and missing keys point at the value or the experiment name', () => {
  const r = resolve(
    `{ "experiments": { "a": { "data": { "dataset": "csv" }, "model": { "layers": "2,1" } }, "b": 3 } }`,
  );
  assert.deepEqual(summary(r.diagnostics), [
    '1:20 error required dataset "csv" needs "path" (the CSV file, relative to this file)',
    '1:78 error type layers must be a list, got the string "2,1"',
    '1:94 error type b must be an object, got 3',
  ]);
});

test('the examples resolve: course settings, only the intended tutor warnings', async () => {
  const { loadExperimentFile } = await import('../../src/node/experiment');
  const init = loadExperimentFile('examples/initialization.nnlab.json');
  assert.deepEqual(
    init.experiments.map((e) => [e.name, e.model.init, e.model.initScale]),
    [
      ['zeros', 'zeros', 0.01],
      ['random', 'random', 10],
      ['he', 'he', 0.01],
    ],
  );
  assert.deepEqual(init.experiments[2]!.data, {
    dataset: 'circles',
    samples: 300,
    noise: 0.05,
    seed: 1,
    factor: 0.8,
    classes: 2,
    test: { seed: 2, samples: 100 },
  });
  assert.deepEqual(
    init.diagnostics.map((d) => d.code),
    ['advice/zeros-init', 'advice/large-init'],
  );
  const opt = loadExperimentFile('examples/optimization.nnlab.json');
  assert.deepEqual(opt.diagnostics, []);
  assert.deepEqual(
    opt.experiments.map((e) => e.train.optimizer),
    ['gd', 'momentum', 'adam'],
  );
  const sweep = loadExperimentFile('examples/sweep.nnlab.json');
  assert.deepEqual(sweep.diagnostics, []);
  assert.deepEqual(
    sweep.entries.map((e) => [e.name, e.sweep?.trials.length, e.sweep?.definition.prune]),
    [
      ['adam', 6, undefined],
      ['gd', 8, { after: 200, quantile: 0.5 }],
    ],
  );
  assert.deepEqual(
    opt.experiments.map((e) => [e.train.batchSize, e.train.shuffleSeed, e.train.learningRate, e.train.epochs]),
    [
      [64, 10, 0.0007, 10000],
      [64, 10, 0.0007, 10000],
      [64, 10, 0.0007, 10000],
    ],
  );
});

test('a key in the wrong section says where it belongs', () => {
  const r = resolve(
    `{ "experiments": { "a": { "data": { "dataset": "moons" }, "model": { "layers": [2, 1], "learningRate": 0.1 }, "epochs": 5 } } }`,
  );
  assert.deepEqual(
    r.diagnostics.map((d) => d.message),
    [
      'unknown key "learningRate" in model; it belongs in train',
      'unknown key "epochs" in experiment "a"; it belongs in train',
    ],
  );
});
