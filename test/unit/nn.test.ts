/**
 * Unit tests of the trainer's parts: activations and their derivatives, the logits loss, exact gradients,
 * generated-vs-generic kernels (bit for bit), optimizers, schedules, mini-batch seeding, and the epoch loop's
 * statuses (diverged, cancelled, error), test costs and dropout. Short runs only; the course runs live in course.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gauss, moons } from '../../src/core/datasets';
import { ACTIVATIONS } from '../../src/core/nn/activations';
import { createMasks, drawMasks } from '../../src/core/nn/dropout';
import { batchGradients, identity, setLoss } from '../../src/core/nn/kernels';
import { network } from '../../src/core/nn/network';
import { clearPermutationCache, epochShuffle, MAX_CACHED_INDICES } from '../../src/core/nn/permutations';
import { MAX_COST_POINTS } from '../../src/core/nn/costHistory';
import {
  Optimizer,
  costAndGradients,
  flatten,
  initializeParameters,
  learningRateAt,
  parameterLayout,
  predictProba,
  shuffleEpoch,
  trainExperiment,
  viewsOf,
} from '../../src/core/nn';
import { RandomState } from '../../src/core/random';
import { experimentConfig } from './experimentConfig';
import type {
  Activation,
  Dataset,
  ExperimentConfig,
  ModelConfig,
  OutputActivation,
  TrainConfig,
} from '../../src/core/types';

const ACTIVATION_NAMES = Object.keys(ACTIVATIONS) as Activation[];

const config = (model: Partial<ModelConfig>, train: Partial<TrainConfig>): ExperimentConfig =>
  experimentConfig(model, train);

const small = moons(60, 0.2, 3);
const small3: Dataset = gauss(90, 0.1, 4, 3);

/** The first n examples of a set, as a set of its own. */
function firstColumns(data: Dataset, n: number): Dataset {
  const take = (m: Dataset['X']) => ({
    rows: m.rows,
    cols: n,
    data: Float64Array.from({ length: m.rows * n }, (_, t) => m.data[Math.floor(t / n) * m.cols + (t % n)]!),
  });
  return { X: take(data.X), Y: take(data.Y), classes: data.classes };
}

/** Equal as numbers, treating 0 and −0 alike (the kernels may differ only in the sign of an exact zero). */
function assertSameNumbers(a: ArrayLike<number>, b: ArrayLike<number>, label: string) {
  assert.equal(a.length, b.length, `${label}: length`);
  for (let i = 0; i < a.length; i++) {
    if (!(a[i] === b[i] || (Number.isNaN(a[i]) && Number.isNaN(b[i]))))
      assert.fail(`${label}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

describe('activations', () => {
  const points = [-3.1, -0.7, -1e-3, 2e-3, 0.4, 2.5];
  for (const name of ACTIVATION_NAMES) {
    const g = ACTIVATIONS[name];
    it(`${name}: derivative matches central differences, code templates match the functions`, () => {
      const f = new Function('z', `return ${g.forwardCode('z')};`) as (z: number) => number;
      const df = new Function('z', 'a', `return ${g.derivativeCode('z', 'a')};`) as (z: number, a: number) => number;
      for (const z of points) {
        const h = 1e-6;
        const numeric = (g.forward(z + h) - g.forward(z - h)) / (2 * h);
        const a = g.forward(z);
        assert.ok(Math.abs(numeric - g.derivative(z, a)) < 1e-6, `${name}'(${z}): ${g.derivative(z, a)} vs ${numeric}`);
        assert.equal(f(z), a);
        assert.equal(df(z, a), g.derivative(z, a));
      }
    });
  }
});

describe('loss from logits', () => {
  it('a saturated sigmoid gives a large finite cost and finite gradients, never inf/NaN', () => {
    const model: ModelConfig = config({ layers: [2, 1], activation: 'linear' }, {}).model;
    const params = viewsOf(parameterLayout([2, 1]), Float64Array.from([900, 900, 0]));
    const X = { rows: 2, cols: 2, data: Float64Array.from([1, -1, 1, -1]) };
    // z = ±1800 with the wrong labels: loss 1800 each.
    const r = costAndGradients(params, X, { rows: 1, cols: 2, data: Float64Array.from([0, 1]) }, model, { l2: 0 });
    assert.equal(r.cost, 1800);
    for (const g of r.grads.values()) for (const v of g.data) assert.ok(Number.isFinite(v));
    const right = costAndGradients(params, X, { rows: 1, cols: 2, data: Float64Array.from([1, 0]) }, model, { l2: 0 });
    assert.equal(right.cost, 0);
  });

  it('softmax of huge logits stays finite and its probabilities sum to 1', () => {
    const model: ModelConfig = { ...config({}, {}).model, layers: [2, 3], activation: 'linear', output: 'softmax' };
    const params = viewsOf(parameterLayout([2, 3]), Float64Array.from([800, 0, 0, 800, -800, -800, 0, 0, 0]));
    const X = { rows: 2, cols: 2, data: Float64Array.from([1, 0, 0, 1]) };
    const r = costAndGradients(params, X, { rows: 1, cols: 2, data: Float64Array.from([2, 0]) }, model, { l2: 0 });
    // Example 1: z = (800, 0, −800), label 2 → 1600; example 2: z = (0, 800, −800), label 0 → 800.
    assert.equal(r.cost, 1200);
    const p = predictProba(params, model, X);
    for (let j = 0; j < 2; j++) assert.equal(p.data[j]! + p.data[2 + j]! + p.data[4 + j]!, 1);
  });
});

describe('costAndGradients', () => {
  const cases: Array<{
    activation: Activation;
    output: OutputActivation;
    layers: number[];
    l2: number;
    keep?: number;
  }> = [
    { activation: 'relu', output: 'sigmoid', layers: [2, 4, 3, 1], l2: 0 },
    { activation: 'tanh', output: 'softmax', layers: [2, 4, 3], l2: 0 },
    { activation: 'leaky_relu', output: 'sigmoid', layers: [2, 5, 1], l2: 0.7 },
    { activation: 'sigmoid', output: 'softmax', layers: [2, 3, 4, 3], l2: 0.1, keep: 0.7 },
    { activation: 'linear', output: 'sigmoid', layers: [2, 3, 1], l2: 0 },
  ];
  for (const c of cases) {
    it(`matches central differences: ${c.activation} → ${c.output} ${JSON.stringify(c.layers)} λ ${c.l2}${c.keep ? ` keep ${c.keep}` : ''}`, () => {
      const model: ModelConfig = { ...config({}, {}).model, ...c, init: 'xavier', seed: 5, keepProb: c.keep ?? 1 };
      const data = c.output === 'softmax' ? small3 : small;
      const layout = parameterLayout(c.layers);
      const masks = c.keep ? createMasks(c.layers, data.X.cols) : undefined;
      if (masks) drawMasks(new RandomState(7), masks, c.layers, data.X.cols, c.keep!);
      const opts = { l2: c.l2, ...(masks ? { dropoutMasks: masks } : {}) };
      const P = flatten(layout, initializeParameters(model));
      const { cost, grads, preActivations } = costAndGradients(viewsOf(layout, P), data.X, data.Y, model, opts);
      assert.deepEqual(
        preActivations.map((z) => [z.rows, z.cols]),
        c.layers.slice(1).map((n) => [n, data.X.cols]),
      );
      const G = flatten(layout, grads, 'd');
      const eps = 1e-6;
      let num = 0;
      let den = 0;
      for (let i = 0; i < P.length; i++) {
        const keep = P[i]!;
        P[i] = keep + eps;
        const plus = costAndGradients(viewsOf(layout, P), data.X, data.Y, model, opts).cost;
        P[i] = keep - eps;
        const minus = costAndGradients(viewsOf(layout, P), data.X, data.Y, model, opts).cost;
        P[i] = keep;
        const approx = (plus - minus) / (2 * eps);
        num += (approx - G[i]!) ** 2;
        den += approx ** 2 + G[i]! ** 2;
      }
      const difference = Math.sqrt(num) / Math.sqrt(den);
      assert.ok(difference < 1e-7, `relative difference ${difference}`);
      assert.ok(Number.isFinite(cost) && cost > 0);
    });
  }
});

describe('generated kernels', () => {
  const shapes: Array<{ activation: Activation; output: OutputActivation; layers: number[]; data: Dataset }> = [
    ...ACTIVATION_NAMES.map((activation) => ({
      activation,
      output: 'sigmoid' as const,
      layers: [2, 5, 3, 1],
      data: small,
    })),
    { activation: 'relu', output: 'softmax', layers: [2, 6, 3], data: small3 },
    { activation: 'tanh', output: 'softmax', layers: [2, 4, 4, 3], data: small3 },
    // Too long to pair: the one-example-per-iteration loop.
    { activation: 'relu', output: 'sigmoid', layers: [2, 14, 12, 1], data: small },
  ];
  for (const s of shapes) {
    it(`equal the generic kernels bit for bit: ${s.activation} → ${s.output} ${JSON.stringify(s.layers)}`, () => {
      const layout = parameterLayout(s.layers);
      const net = network(layout, s.activation, s.output);
      const m = s.data.X.cols;
      const generated = batchGradients(net, s.data, m, true);
      const generic = batchGradients(net, s.data, m, false);
      assert.equal(generated.kind, 'generated');
      assert.equal(generic.kind, 'generic');
      const P = new RandomState(9).fillStandardNormal(new Float64Array(layout.size));
      const idx = new RandomState(2).permutation(m);
      // Odd and even batch lengths: the generated loop takes two examples at a time plus a remainder.
      for (const [from, to] of [
        [0, m],
        [0, 16],
        [48, m],
        [3, 20],
        [m - 1, m],
      ] as const) {
        const G1 = new Float64Array(layout.size);
        const G2 = new Float64Array(layout.size);
        const l1 = generated.gradients(P, G1, idx, from, to, null);
        const l2 = generic.gradients(P, G2, idx, from, to, null);
        assert.equal(l1, l2, `loss over ${from}…${to}`);
        assertSameNumbers(G1, G2, `gradients over ${from}…${to}`);
      }
      const lossGen = setLoss(net, s.data, true);
      const lossGeneric = setLoss(net, s.data, false);
      assert.equal(lossGen.kind, 'generated');
      assert.equal(lossGen.loss(P), lossGeneric.loss(P));
      const odd = firstColumns(s.data, m - 1);
      assert.equal(setLoss(net, odd, true).loss(P), setLoss(net, odd, false).loss(P), 'loss over an odd-sized set');
    });
  }

  it('skip dead relu units exactly: all-zero parameters (every unit dead) and mostly dead ones match the generic kernels', () => {
    const layout = parameterLayout([2, 10, 5, 1]);
    const net = network(layout, 'relu', 'sigmoid');
    const m = small.X.cols;
    const idx = new RandomState(2).permutation(m);
    const mostlyDead = new RandomState(4).fillStandardNormal(new Float64Array(layout.size));
    for (const s of layout.slots) for (let i = 0; i < s.rows; i++) mostlyDead[s.b + i] = i % 3 === 0 ? 0.1 : -3;
    for (const P of [new Float64Array(layout.size), mostlyDead]) {
      const G1 = new Float64Array(layout.size);
      const G2 = new Float64Array(layout.size);
      const l1 = batchGradients(net, small, m, true).gradients(P, G1, idx, 0, m, null);
      const l2 = batchGradients(net, small, m, false).gradients(P, G2, idx, 0, m, null);
      assert.equal(l1, l2);
      assertSameNumbers(G1, G2, 'gradients');
    }
    // Every example's loss is log 2 for an all-zero network, and the compensated sum is m·log 2 to the bit.
    const zero = batchGradients(net, small, m, true).gradients(
      new Float64Array(layout.size),
      new Float64Array(layout.size),
      idx,
      0,
      m,
      null,
    );
    assert.equal(zero / m, Math.LN2);
  });

  it('are shared between runs of one shape (the cached kernel gives the same run as a fresh process would)', () => {
    const cfg = config({}, { optimizer: 'momentum', learningRate: 0.05, batchSize: 16 });
    const first = trainExperiment(cfg, { train: small }).result;
    const again = trainExperiment(cfg, { train: small }).result;
    const generic = trainExperiment(cfg, { train: small }, {}, { generatedKernels: false }).result;
    assertSameNumbers(first.costs, again.costs, 'costs');
    assertSameNumbers(first.costs, generic.costs, 'costs vs generic');
    assert.deepEqual(first.parameters, generic.parameters);
  });

  it('are not generated for networks too large for V8 to optimize, nor for dropout', () => {
    const big = network(parameterLayout([2, 24, 24, 1]), 'relu', 'sigmoid');
    assert.equal(batchGradients(big, small, 60, true).kind, 'generic');
    assert.equal(setLoss(big, small, true).kind, 'generated', 'the forward-only kernel is shorter and still fits');
    const bigger = network(parameterLayout([2, 40, 40, 1]), 'relu', 'sigmoid');
    assert.equal(setLoss(bigger, small, true).kind, 'generic');
    const dropout = network(parameterLayout([2, 5, 1]), 'relu', 'sigmoid', 0.8);
    assert.equal(batchGradients(dropout, small, 60, true).kind, 'generic');
    assert.throws(() => network(parameterLayout([2, 5, 3]), 'relu', 'sigmoid'), /sigmoid output has 1 unit/);
  });

  it('give the same training run as the generic kernels (adam, mini-batches, L2, decay)', () => {
    const cfg = config(
      {},
      { optimizer: 'adam', learningRate: 0.01, batchSize: 16, l2: 0.3, decay: { type: 'exponential', rate: 0.99 } },
    );
    const data = { train: small, test: moons(40, 0.2, 5) };
    const a = trainExperiment(cfg, data, {}, { generatedKernels: true });
    const b = trainExperiment(cfg, data, {}, { generatedKernels: false });
    assertSameNumbers(a.result.costs, b.result.costs, 'costs');
    assertSameNumbers(a.result.testCosts!, b.result.testCosts!, 'test costs');
    assert.deepEqual(a.result.parameters, b.result.parameters);
  });
});

describe('optimizers', () => {
  const g = Float64Array.from([0.5, -2]);
  it('momentum: v = βv + (1−β)g, and nesterov steps along βv + (1−β)g', () => {
    const plain = Optimizer.momentum(2, 0.9);
    const P = Float64Array.from([1, 1]);
    plain.step(P, g, 0.1);
    plain.step(P, g, 0.1);
    const v1 = 0.9 * 0 + (1 - 0.9) * 0.5;
    const v2 = 0.9 * v1 + (1 - 0.9) * 0.5;
    assert.equal(plain.v[0], v2);
    assert.equal(P[0], 1 - 0.1 * v1 - 0.1 * v2);
    const nesterov = Optimizer.momentum(2, 0.9, true);
    const Q = Float64Array.from([1, 1]);
    nesterov.step(Q, g, 0.1);
    const v = 0.9 * 0 + (1 - 0.9) * -2;
    assert.equal(Q[1], 1 - 0.1 * (0.9 * v + (1 - 0.9) * -2));
  });

  it('rmsprop: s = ρs + (1−ρ)g², step g/(√s + ε)', () => {
    const opt = Optimizer.rmsprop(2, 0.9, 1e-8);
    const P = Float64Array.from([1, 1]);
    opt.step(P, g, 0.01);
    const s = 0.9 * 0 + (1 - 0.9) * 4;
    assert.equal(opt.s[1], s);
    assert.equal(P[1], 1 - (0.01 * -2) / (Math.sqrt(s) + 1e-8));
  });

  it('adam: t counts steps from 1, and the first step is ≈ lr·sign(g)', () => {
    const opt = Optimizer.adam(2, 0.9, 0.999, 1e-8);
    const P = Float64Array.from([1, 1]);
    opt.step(P, g, 0.01);
    assert.equal(opt.t, 1);
    assert.ok(Math.abs(P[0]! - 0.99) < 1e-9 && Math.abs(P[1]! - 1.01) < 1e-9, `${P[0]} ${P[1]}`);
  });
});

describe('learning-rate schedules', () => {
  it('exponential α0·rate^e and step α0/(1 + rate·⌊e/every⌋)', () => {
    assert.equal(learningRateAt(0.1, undefined, 50), 0.1);
    assert.equal(learningRateAt(0.1, { type: 'exponential', rate: 0.5 }, 3), 0.1 * 0.125);
    assert.equal(learningRateAt(0.1, { type: 'step', rate: 1, every: 10 }, 9), 0.1);
    assert.equal(learningRateAt(0.1, { type: 'step', rate: 1, every: 10 }, 25), 0.1 / 3);
  });
});

describe('mini-batches', () => {
  it('epoch i uses np.random.seed(shuffleSeed + i + 1); permutation(m)', () => {
    const idx = new Int32Array(37);
    shuffleEpoch(new RandomState(0), 10, 4, idx);
    assert.deepEqual(Array.from(idx), Array.from(new RandomState(15).permutation(37)));
  });

  it('the shuffle seed matters with batchSize and is unused without it (full batch, no shuffle)', () => {
    const run = (train: Partial<TrainConfig>) => trainExperiment(config({}, train), { train: small }).result.costs;
    assert.deepEqual(run({ shuffleSeed: 1 }), run({ shuffleSeed: 2 }));
    assert.notDeepEqual(run({ shuffleSeed: 1, batchSize: 16 }), run({ shuffleSeed: 2, batchSize: 16 }));
  });
});

describe('permutation cache (permutations.ts)', () => {
  const fresh = (seed: number, epoch: number, m: number) =>
    Array.from(shuffleEpoch(new RandomState(0), seed, epoch, new Int32Array(m)));

  it('gives every epoch the permutation shuffleEpoch computes, on the run that fills it and on later runs', () => {
    clearPermutationCache();
    for (const run of [0, 1, 2]) {
      // Later runs ask for more epochs than the first: the entry grows and keeps what it holds.
      const epochs = 5 + run * 3;
      const shuffle = epochShuffle(new RandomState(0), 7, 41, epochs, false);
      const idx = new Int32Array(41);
      for (let e = 0; e < epochs; e++) {
        shuffle(e, idx);
        assert.deepEqual(Array.from(idx), fresh(7, e, 41), `run ${run} epoch ${e}`);
      }
    }
  });

  it('epochs past the budget are computed per run, with the same result', () => {
    clearPermutationCache();
    const m = Math.floor(MAX_CACHED_INDICES / 2) + 1; // room for one epoch only
    const shuffle = epochShuffle(new RandomState(0), 3, m, 3, false);
    const idx = new Int32Array(m);
    for (const e of [0, 1, 2, 0]) {
      shuffle(e, idx);
      const expected = shuffleEpoch(new RandomState(0), 3, e, new Int32Array(m));
      assert.ok(
        idx.every((v, i) => v === expected[i]),
        `epoch ${e}`,
      );
    }
    clearPermutationCache();
  });

  it('a run that owns its state (dropout) reseeds its RandomState every epoch, as without the cache', () => {
    clearPermutationCache();
    const rng = new RandomState(0);
    epochShuffle(rng, 5, 20, 2, true)(1, new Int32Array(20));
    const expected = new RandomState(0);
    shuffleEpoch(expected, 5, 1, new Int32Array(20));
    assert.equal(rng.randomSample(), expected.randomSample());
  });

  it('training results are bit-identical with a cold cache, a warm one and a dropout run in between', () => {
    const train = { batchSize: 16, shuffleSeed: 4, epochs: 30, optimizer: 'adam' as const, learningRate: 0.01 };
    const run = (keepProb = 1) => trainExperiment(config({ keepProb }, train), { train: small }).result;
    clearPermutationCache();
    const cold = run();
    const dropoutCold = run(0.8);
    const warm = run();
    const dropoutWarm = run(0.8);
    assert.deepEqual(warm.costs, cold.costs);
    assert.deepEqual(warm.parameters, cold.parameters);
    assert.deepEqual(dropoutWarm.costs, dropoutCold.costs);
    assert.notDeepEqual(dropoutCold.costs, cold.costs);
  });
});

describe('trainExperiment', () => {
  it('stops with status diverged at the epoch whose update made the parameters non-finite', () => {
    const seen: number[] = [];
    const { result } = trainExperiment(
      config(
        { layers: [2, 8, 1], activation: 'linear', init: 'random', initScale: 10 },
        { learningRate: 1e150, epochs: 50 },
      ),
      { train: small },
      { onEpoch: (e) => seen.push(e) },
    );
    assert.equal(result.status, 'diverged');
    assert.ok(result.divergedAtEpoch !== undefined && result.divergedAtEpoch < 49);
    assert.equal(result.costs.length, result.divergedAtEpoch! + 1);
    assert.deepEqual(
      seen,
      result.costs.map((_, i) => i),
    );
    assert.equal(result.trainAccuracy, null);
  });

  it('polls shouldStop every epoch and returns status cancelled with the history so far', () => {
    let epochs = 0;
    const { result } = trainExperiment(
      config({}, { epochs: 1000 }),
      { train: small },
      {
        onEpoch: () => epochs++,
        shouldStop: () => epochs >= 7,
      },
    );
    assert.equal(result.status, 'cancelled');
    assert.equal(result.costs.length, 7);
    assert.ok(result.trainAccuracy !== null);
  });

  it('records one point per costEvery epochs: the bucket’s last cost, its min/max, and the test cost at its start', () => {
    const test = moons(40, 0.2, 8);
    const cfg = config({}, { epochs: 10, costEvery: 4 });
    const points: Array<[number, number, number | undefined]> = [];
    const { result } = trainExperiment(cfg, { train: small, test }, { onEpoch: (e, c, t) => points.push([e, c, t]) });
    const every = trainExperiment(config({}, { epochs: 10 }), { train: small, test }).result;
    // Buckets [0,4) [4,8) [8,10): the last one is partial.
    assert.deepEqual(
      points.map(([e]) => e),
      [3, 7, 9],
    );
    assert.deepEqual(result.costs, [every.costs[3], every.costs[7], every.costs[9]]);
    assert.deepEqual(result.testCosts, [every.testCosts![0], every.testCosts![4], every.testCosts![8]]);
    assert.deepEqual(
      points.map(([, , t]) => t),
      result.testCosts,
    );
    assert.deepEqual(result.costSummary, {
      every: 4,
      epochs: 10,
      min: [
        Math.min(...every.costs.slice(0, 4)),
        Math.min(...every.costs.slice(4, 8)),
        Math.min(...every.costs.slice(8)),
      ],
      max: [
        Math.max(...every.costs.slice(0, 4)),
        Math.max(...every.costs.slice(4, 8)),
        Math.max(...every.costs.slice(8)),
      ],
    });
    const initial = costAndGradients(initializeParameters(cfg.model), test.X, test.Y, cfg.model, { l2: 0 }).cost;
    assert.ok(Math.abs(result.testCosts![0]! - initial) < 1e-15, `${result.testCosts![0]} vs ${initial}`);
    assert.equal(result.costSummary.epochs, 10);
    assert.equal(typeof result.testAccuracy, 'number');
  });

  it('a run longer than MAX_COST_POINTS epochs keeps at most that many points', () => {
    const epochs = MAX_COST_POINTS * 3 + 7;
    let calls = 0;
    const { result } = trainExperiment(
      config({ layers: [2, 1] }, { epochs }),
      { train: moons(4, 0.2, 1) },
      { onEpoch: () => calls++ },
    );
    assert.equal(result.status, 'ok');
    assert.equal(result.costSummary?.every, 4);
    assert.equal(result.costSummary?.epochs, epochs);
    assert.equal(result.costs.length, Math.ceil(epochs / 4));
    assert.ok(result.costs.length <= MAX_COST_POINTS);
    assert.equal(calls, result.costs.length);
  });

  it('divergence: lr 1e200 is diverged with every optimizer, full-batch and mini-batch, history kept', () => {
    for (const optimizer of ['gd', 'momentum', 'rmsprop', 'adam'] as const) {
      for (const batchSize of [undefined, 8]) {
        const cfg = config({}, { optimizer, learningRate: 1e200, epochs: 50, ...(batchSize ? { batchSize } : {}) });
        const { result } = trainExperiment(cfg, { train: small });
        const what = `${optimizer} batch ${batchSize ?? 'full'}`;
        assert.equal(result.status, 'diverged', `${what}: ${result.costs.join(', ')}`);
        assert.equal(result.costs.length, result.divergedAtEpoch! + 1, what);
        assert.ok(result.divergedAtEpoch! < 5, `${what}: diverged at ${result.divergedAtEpoch}`);
      }
    }
  });

  it('divergence: a start far above 1 (random×10 init) is not divergence by itself', () => {
    const { result } = trainExperiment(config({ init: 'random', initScale: 10 }, { epochs: 30 }), { train: small });
    assert.ok(result.costs[0]! > 10, `starts at ${result.costs[0]}`);
    assert.equal(result.status, 'ok');
  });

  it('full batch: the epoch cost is costAndGradients of the epoch’s starting parameters, L2 term included', () => {
    const cfg = config({}, { epochs: 1, l2: 0.5 });
    const { result } = trainExperiment(cfg, { train: small });
    const expected = costAndGradients(initializeParameters(cfg.model), small.X, small.Y, cfg.model, { l2: 0.5 }).cost;
    assert.ok(Math.abs(result.costs[0]! - expected) < 1e-15, `${result.costs[0]} vs ${expected}`);
  });

  it('reports a model/data mismatch as status error', () => {
    const wide = trainExperiment(config({ layers: [3, 4, 1] }, {}), { train: small }).result;
    assert.equal(wide.status, 'error');
    assert.match(wide.error!, /2 features but layers\[0\] is 3/);
    const labels = trainExperiment(config({}, {}), { train: small3 }).result;
    assert.equal(labels.status, 'error');
    assert.match(labels.error!, /label 2/);
  });

  it('trains a softmax classifier on three classes', () => {
    const cfg = config(
      { layers: [2, 8, 3], output: 'softmax' },
      { optimizer: 'adam', learningRate: 0.02, epochs: 200, batchSize: 32 },
    );
    const { result } = trainExperiment(cfg, { train: small3 });
    assert.equal(result.status, 'ok');
    assert.ok(result.costs[199]! < result.costs[0]! / 2, `cost ${result.costs[0]} → ${result.costs[199]}`);
    assert.ok(result.trainAccuracy! > 0.9, `accuracy ${result.trainAccuracy}`);
  });

  it('dropout: masks keep about keepProb of the units, and runs are reproducible from the seeds', () => {
    const masks = createMasks([2, 50, 40, 1], 100);
    drawMasks(new RandomState(1), masks, [2, 50, 40, 1], 100, 0.8);
    const kept = masks.reduce((n, d) => n + d.reduce((s, v) => s + v, 0), 0) / (90 * 100);
    assert.ok(Math.abs(kept - 0.8) < 0.02, `kept ${kept}`);
    const cfg = config({ keepProb: 0.8, layers: [2, 10, 1] }, { batchSize: 16 });
    const a = trainExperiment(cfg, { train: small }).result;
    const b = trainExperiment(cfg, { train: small }).result;
    const none = trainExperiment(config({ layers: [2, 10, 1] }, { batchSize: 16 }), { train: small }).result;
    assert.deepEqual(a.costs, b.costs);
    assert.notDeepEqual(a.costs, none.costs);
  });
});

describe('initialization', () => {
  it('draws W1, W2, … in order after seeding, scaled per scheme; zeros draws nothing', () => {
    const layers = [3, 4, 2];
    const rng = new RandomState(11);
    const draws = rng.fillStandardNormal(new Float64Array(12 + 8));
    const xavier = initializeParameters({ ...config({}, {}).model, layers, init: 'xavier', seed: 11 });
    assert.deepEqual(
      Array.from(xavier.get('W1')!.data),
      Array.from(draws.subarray(0, 12), (v) => v * Math.sqrt(1 / 3)),
    );
    assert.deepEqual(
      Array.from(xavier.get('W2')!.data),
      Array.from(draws.subarray(12), (v) => v * Math.sqrt(1 / 4)),
    );
    const zeros = initializeParameters({ ...config({}, {}).model, layers, init: 'zeros' });
    for (const m of zeros.values()) assert.ok(m.data.every((v) => v === 0));
    assert.deepEqual([...xavier.keys()], ['W1', 'b1', 'W2', 'b2']);
    assert.equal(identity(3).join(), '0,1,2');
  });
});
