// Sweeps: expansion order, reproducible random search, names, validation with positions, pruning decisions,
// and that a trial is exactly the standalone experiment with the same values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveExperimentText, type Diagnostic } from '../../src/core/experiment';
import { datasetShape, moduleExists } from '../../src/node/experiment';
import { loadTrainTest } from '../../src/node/datasets';
import { trainExperiment } from '../../src/core/nn';
import { Pruner, quantile } from '../../src/core/sweep';

function resolve(experiments: string) {
  const text = `{
  "defaults": { "data": { "dataset": "moons", "samples": 100 }, "model": { "layers": [2, 4, 1] }, "train": { "epochs": 30 } },
  "experiments": ${experiments}
}`;
  return resolveExperimentText(text, { baseDir: process.cwd(), dataShape: datasetShape, moduleExists });
}

const summary = (ds: Diagnostic[]) =>
  ds.map((d) => `${d.line}:${d.column} ${d.severity} ${d.message} [${d.path.join('.')}]`);

test('grid: every combination, the first key varying slowest, named after the last path segment', () => {
  const r = resolve(
    `{ "adam": { "train": { "optimizer": "adam" }, "sweep": { "train.learningRate": [0.01, 0.001], "train.batchSize": [16, 32, 64] } } }`,
  );
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(
    r.experiments.map((e) => e.name),
    [
      'adam[learningRate=0.01,batchSize=16]',
      'adam[learningRate=0.01,batchSize=32]',
      'adam[learningRate=0.01,batchSize=64]',
      'adam[learningRate=0.001,batchSize=16]',
      'adam[learningRate=0.001,batchSize=32]',
      'adam[learningRate=0.001,batchSize=64]',
    ],
  );
  assert.deepEqual(r.experiments.map((e) => [e.train.learningRate, e.train.batchSize, e.train.optimizer]).slice(0, 2), [
    [0.01, 16, 'adam'],
    [0.01, 32, 'adam'],
  ]);
  assert.deepEqual(r.entries[0]!.sweep!.trials[4]!.values, { 'train.learningRate': 0.001, 'train.batchSize': 32 });
  assert.equal(r.entries[0]!.config, undefined, 'a sweep runs its trials, not the base experiment');
});

test('names: shared last segments use the full path; lists and objects as compact JSON', () => {
  const r = resolve(
    `{ "s": { "sweep": { "data.seed": [1, 2], "model.seed": [3], "model.layers": [[2, 3, 1]], "model.init": ["he"] } } }`,
  );
  assert.deepEqual(
    r.experiments.map((e) => e.name),
    ['s[data.seed=1,model.seed=3,layers=[2,3,1],init=he]', 's[data.seed=2,model.seed=3,layers=[2,3,1],init=he]'],
  );
});

test('random search is reproducible from its seed and stays within its specs', () => {
  const exp = (seed: number) =>
    `{ "r": { "sweep": { "train.learningRate": { "logUniform": [0.0001, 0.1] }, "train.epochs": { "intUniform": [5, 7] }, "model.activation": ["relu", "tanh"], "train.l2": { "uniform": [0, 0.5] } }, "search": { "method": "random", "trials": 40, "seed": ${seed} } } }`;
  const a = resolve(exp(7));
  const b = resolve(exp(7));
  const c = resolve(exp(8));
  assert.deepEqual(a.diagnostics, []);
  const values = (x: typeof a) => x.entries[0]!.sweep!.trials.map((t) => t.values);
  assert.deepEqual(values(a), values(b));
  assert.notDeepEqual(values(a), values(c));
  assert.equal(a.experiments.length, 40);
  for (const v of values(a)) {
    const lr = v['train.learningRate'] as number;
    assert.ok(lr >= 0.0001 && lr < 0.1);
    assert.ok([5, 6, 7].includes(v['train.epochs'] as number));
    assert.ok(['relu', 'tanh'].includes(v['model.activation'] as string));
    assert.ok((v['train.l2'] as number) >= 0 && (v['train.l2'] as number) < 0.5);
  }
  // Both ends of intUniform are reachable, and the drawn float is named to 4 significant digits.
  assert.deepEqual(new Set(values(a).map((v) => v['train.epochs'])), new Set([5, 6, 7]));
  const v0 = values(a)[0]!;
  const four = (x: unknown) => Number((x as number).toPrecision(4));
  assert.equal(
    a.experiments[0]!.name,
    `r[learningRate=${four(v0['train.learningRate'])},epochs=${v0['train.epochs']},activation=${v0['model.activation']},l2=${four(v0['train.l2'])}]`,
  );
  assert.ok(String(four(v0['train.learningRate'])).replace(/^0\.0*/, '').length <= 4);
});

test('validation errors point at the offending sweep key or value', () => {
  const r = resolve(`{
    "a": { "sweep": { "train.learningrate": [0.1], "train.epochs": [10, 2.5], "train.optimizer": ["adma"] } },
    "b": { "sweep": { "train.l2": { "uniform": [0, 1] }, "train.batchSize": { "intUniform": [1, 8] } } },
    "c": { "sweep": { "train.epochs": { "uniform": [1, 10] } }, "search": { "method": "random" } },
    "d": { "sweep": { "model.layers": [[2, 4, 1], [3, 4, 1]] } },
    "e": { "sweep": { "train.decay": [{ "type": "step", "rate": 0.5 }] } },
    "f": { "sweep": { "train.decay": [{ "type": "step", "rate": 0.5, "every": 2 }], "train.decay.rate": [1] } }
  }`);
  assert.deepEqual(summary(r.diagnostics), [
    '4:23 error unknown parameter path "train.learningrate"; did you mean "train.learningRate"? [experiments.a.sweep.train.learningrate]',
    '4:73 error epochs[1] must be an integer, got 2.5 [experiments.a.sweep.train.epochs.1]',
    '4:99 error unknown optimizer "adma"; did you mean "adam"? (expected one of: gd, momentum, rmsprop, adam) [experiments.a.sweep.train.optimizer.0]',
    '5:37 error uniform needs random search: add "search": { "method": "random", "trials": N } [experiments.b.sweep.train.l2.uniform]',
    '5:79 error intUniform needs random search: add "search": { "method": "random", "trials": N } [experiments.b.sweep.train.batchSize.intUniform]',
    '6:52 error uniform draws fractions, but epochs is an integer; use intUniform [experiments.c.sweep.train.epochs.uniform]',
    '6:75 error random search needs "trials" (how many to draw) [experiments.c.search]',
    '7:52 error layers[0] must equal the number of features of moons (2), got 3 [experiments.d.sweep.model.layers.1.0]',
    '8:39 error a step decay needs "every" [experiments.e.sweep.train.decay.0]',
    '9:85 error "train.decay.rate" overlaps "train.decay", which is already swept [experiments.f.sweep.train.decay.rate]',
  ]);
  assert.deepEqual(r.experiments, []);
});

test('a decay is checked per trial, with the parts the sweep gives and replaces', () => {
  const r = resolve(`{
    "a": { "train": { "decay": { "rate": 0.1, "every": 2 } }, "sweep": { "train.decay.type": ["step"] } },
    "b": { "train": { "decay": { "rate": 0.1 } }, "sweep": { "train.decay.type": ["exponential", "step"] } },
    "c": { "sweep": { "train.decay": [{ "type": "exponential", "rate": 0.1, "every": 3 }] } },
    "d": { "train": { "decay": { "type": "step", "rate": 0.5, "every": 10 } }, "sweep": { "train.decay": [{ "type": "exponential", "rate": 0.1 }] } }
  }`);
  // a: the sweep gives the type (no "needs type"); b: only the step trial lacks "every"; c: the swept object is
  // checked as a whole; d: a swept object replaces the base's, so the base's "every" does not reach it.
  assert.deepEqual(summary(r.diagnostics), [
    '5:32 error a step decay needs "every" [experiments.b.train.decay]',
    '6:86 error "every" does not apply to an exponential decay [experiments.c.sweep.train.decay.0.every]',
  ]);
  assert.deepEqual(
    r.experiments.map((e) => [e.name, e.train.decay]),
    [
      ['a[type=step]', { rate: 0.1, every: 2, type: 'step' }],
      ['d[decay={"type":"exponential","rate":0.1}]', { type: 'exponential', rate: 0.1 }],
    ],
  );
});

test('a trial equals the standalone experiment with the same values, number for number', () => {
  const r = resolve(`{
    "sweep": { "train": { "optimizer": "adam", "batchSize": 16 }, "sweep": { "train.learningRate": [0.05, 0.01], "model.init": ["he", "xavier"] } },
    "standalone": { "train": { "optimizer": "adam", "batchSize": 16, "learningRate": 0.01 }, "model": { "init": "xavier" } }
  }`);
  const trial = r.experiments.find((e) => e.name === 'sweep[learningRate=0.01,init=xavier]')!;
  const alone = r.experiments.find((e) => e.name === 'standalone')!;
  assert.deepEqual({ ...trial, name: '' }, { ...alone, name: '' });
  const run = (c: typeof trial) => trainExperiment(c, loadTrainTest(c.data, process.cwd())).result;
  const a = run(trial);
  const b = run(alone);
  assert.equal(a.costs.length, 30);
  assert.deepEqual(a.costs, b.costs);
  assert.deepEqual(a.parameters, b.parameters);
  assert.equal(a.trainAccuracy, b.trainAccuracy);
});

test('quantile matches numpy (linear interpolation)', () => {
  // np.quantile([3, 1, 4, 1, 5], [0.5, 0.25, 0.9]) = [3, 1, 4.6]
  assert.equal(quantile([3, 1, 4, 1, 5], 0.5), 3);
  assert.equal(quantile([3, 1, 4, 1, 5], 0.25), 1);
  assert.ok(Math.abs(quantile([3, 1, 4, 1, 5], 0.9) - 4.6) < 1e-12);
});

test('pruning decisions follow trial order, whatever order the costs arrive in', () => {
  const costs = [0.5, 0.7, 0.4, 0.9, 0.6];
  const inOrder = new Pruner({ after: 10, quantile: 0.5 }, 5);
  const a = costs.flatMap((c, i) => inOrder.record(i, c));
  const shuffled = new Pruner({ after: 10, quantile: 0.5 }, 5);
  const b = [3, 1, 4, 0, 2].flatMap((i) => shuffled.record(i, costs[i]!));
  assert.deepEqual(a, [
    { index: 0, prune: false }, // nothing to compare with
    { index: 1, prune: true }, // 0.7 > median(0.5)
    { index: 2, prune: false },
    { index: 3, prune: true },
    { index: 4, prune: false }, // 0.6 = median(0.5, 0.7, 0.4, 0.9)
  ]);
  assert.deepEqual(
    [...b].sort((x, y) => x.index - y.index),
    a,
  );
  // A trial that ended before the pruning epoch is never pruned and does not count for later ones.
  const early = new Pruner({ after: 10, quantile: 0.5 }, 3);
  assert.deepEqual(
    [...early.record(1, 0.8), ...early.record(0, null), ...early.record(2, 0.9)],
    [
      { index: 0, prune: false },
      { index: 1, prune: false },
      { index: 2, prune: true },
    ],
  );
});

test('a sweep shapes its data once, however many trials share it', () => {
  let calls = 0;
  const r = resolveExperimentText(
    `{ "experiments": { "s": { "data": { "dataset": "moons" }, "model": { "layers": [2, 1] }, "sweep": { "train.learningRate": [0.1, 0.2, 0.3, 0.4], "data.seed": [1, 2] } } } }`,
    { baseDir: process.cwd(), dataShape: (data, dir) => (calls++, datasetShape(data, dir)), moduleExists },
  );
  assert.equal(r.experiments.length, 8);
  assert.equal(calls, 2, 'one call per distinct data config');
});
