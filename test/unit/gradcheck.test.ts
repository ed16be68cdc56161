import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomState } from '../../src/core/random';
import { fromRows } from '../../src/core/matrix';
import type { Activation, Matrix, ModelConfig, OutputActivation } from '../../src/core/types';
import {
  costAndGradients,
  costFunction,
  flatten,
  initializeParameters,
  parameterLayout,
  viewsOf,
} from '../../src/core/nn';
import { checkGradients, type CheckProblem } from '../../src/core/gradcheck/check';
import { networkProblem } from '../../src/core/gradcheck/network';

function scalarProblem(
  theta: number[],
  analytic: number[],
  cost: (t: Float64Array) => number,
  kinks?: (t: Float64Array) => Float64Array,
): CheckProblem {
  return {
    tensors: [{ name: 'theta', rows: 1, cols: theta.length }],
    theta: Float64Array.from(theta),
    analytic: Float64Array.from(analytic),
    evaluate: (t) => (kinks ? { cost: cost(t), kinkInputs: kinks(t) } : { cost: cost(t) }),
  };
}

test('1-D: J = θx with x = 2, θ = 4 gives the course difference 2.919335883291695e-10', async () => {
  const r = await checkGradients(scalarProblem([4], [2], (t) => t[0]! * 2));
  assert.equal(r.difference, 2.919335883291695e-10);
  assert.equal(r.passed, true);
  assert.equal(r.verdict, 'passed');
  assert.equal(r.tensors[0]!.entries[0]!.analytic, 2);
});

test('a wrong entry is named and sorted first; the other tensor passes', async () => {
  // J = a·b + c², gradient (b, a, 2c); the analytic gradient of "a" is off by a factor of 2 in one entry.
  const p: CheckProblem = {
    tensors: [
      { name: 'A', rows: 2, cols: 2 },
      { name: 'c', rows: 1, cols: 1 },
    ],
    theta: Float64Array.from([1.5, -0.5, 2, 0.25, 3]),
    analytic: Float64Array.from([0.5 * 2, 1.5, 0.25, 2, 6]),
    evaluate: (t) => ({ cost: t[0]! * t[1]! + t[2]! * t[3]! + t[4]! * t[4]! }),
  };
  p.analytic[0] = -0.5 * 2; // true d/dA[0,0] is A[0,1] = −0.5; we claim −1
  p.analytic[1] = 1.5;
  p.analytic[2] = 0.25;
  p.analytic[3] = 2;
  const r = await checkGradients(p);
  assert.equal(r.passed, false);
  assert.equal(r.verdict, 'failed');
  assert.deepEqual(
    r.tensors.map((t) => [t.name, t.passed]),
    [
      ['A', false],
      ['c', true],
    ],
  );
  const worst = r.tensors[0]!.entries[0]!;
  assert.deepEqual(worst.index, [0, 0]);
  assert.ok(Math.abs(worst.numeric - -0.5) < 1e-8);
  assert.ok(Math.abs(worst.relativeError - 1 / 3) < 1e-7);
  assert.match(r.message, /mistake in the gradient of A/);
});

test('an all-zero gradient passes vacuously with difference 0, never NaN', async () => {
  const r = await checkGradients(scalarProblem([1, 2], [0, 0], () => 5));
  assert.equal(r.difference, 0);
  assert.equal(r.verdict, 'zero-gradient');
  assert.equal(r.passed, true);
  assert.equal(r.tensors[0]!.difference, 0);
  assert.equal(r.tensors[0]!.entries[0]!.relativeError, 0);
});

test('a non-finite cost while perturbing fails clearly and keeps the differences finite', async () => {
  const r = await checkGradients(
    scalarProblem([0, 1], [1, 2], (t) => (t[0]! > 0 ? Number.POSITIVE_INFINITY : t[0]! + 2 * t[1]!)),
  );
  assert.equal(r.verdict, 'non-finite');
  assert.equal(r.passed, false);
  assert.ok(Number.isFinite(r.difference));
  assert.ok(Number.isFinite(r.tensors[0]!.difference));
  assert.match(r.message, /the cost is not finite at theta\[0,0\]/);
  const bad = r.tensors[0]!.entries.find((e) => e.nonFinite)!;
  assert.deepEqual(bad.index, [0, 0]);
});

test('a ReLU input crossing 0 within ±ε marks a kink, left out of the verdict', async () => {
  // J = relu(θ0) + θ1 at θ0 = 0: the numeric slope is 0.5, any analytic value is a guess.
  const relu = (z: number) => (z > 0 ? z : 0);
  const r = await checkGradients(
    scalarProblem(
      [0, 3],
      [1, 1],
      (t) => relu(t[0]!) + t[1]!,
      (t) => Float64Array.of(t[0]!),
    ),
  );
  const kink = r.tensors[0]!.entries.find((e) => e.index[1] === 0)!;
  assert.equal(kink.kink, true);
  assert.ok(Math.abs(kink.numeric - 0.5) < 1e-6);
  assert.equal(r.tensors[0]!.kinkCount, 1);
  assert.ok(r.difference > 0.1, 'the course number still counts the kink');
  assert.ok(r.differenceWithoutKinks < 2e-7);
  assert.equal(r.passed, true);
});

test('sampled mode checks k seeded entries per tensor', async () => {
  const n = 50;
  const theta = Array.from({ length: n }, (_, i) => i / n);
  const problem = () =>
    scalarProblem(
      theta,
      theta.map((v) => 2 * v),
      (t) => t.reduce((s, v) => s + v * v, 0),
    );
  const a = await checkGradients(problem(), { sample: 5, sampleSeed: 3 });
  const b = await checkGradients(problem(), { sample: 5, sampleSeed: 3 });
  const c = await checkGradients(problem(), { sample: 5, sampleSeed: 4 });
  const idx = (r: typeof a) => r.tensors[0]!.entries.map((e) => e.index[1]).sort((x, y) => x - y);
  assert.equal(a.tensors[0]!.checked, 5);
  assert.equal(a.sampled, true);
  assert.deepEqual(idx(a), idx(b));
  assert.notDeepEqual(idx(a), idx(c));
  assert.equal(a.passed, true);
  const all = await checkGradients(problem(), { sample: 500 });
  assert.equal(all.tensors[0]!.checked, n);
});

test('options are validated', async () => {
  const p = scalarProblem([1], [2], (t) => t[0]! * 2);
  await assert.rejects(checkGradients(p, { epsilon: 0 }), /epsilon must be > 0/);
  await assert.rejects(checkGradients(p, { threshold: -1 }), /threshold must be > 0/);
  await assert.rejects(checkGradients(p, { sample: 0 }), /sample must be a positive integer/);
});

// ---- Self-check: NN Lab's own backprop passes for every activation × output × L2 × dropout.

const ACTS: Activation[] = ['relu', 'tanh', 'sigmoid', 'leaky_relu', 'linear'];
const OUTPUTS: OutputActivation[] = ['sigmoid', 'softmax'];

function selfCheckData(output: OutputActivation, m: number, rs: RandomState): { X: Matrix; Y: Matrix } {
  const X = fromRows(rs.randn(3, m));
  const K = output === 'softmax' ? 3 : 2;
  const Y = fromRows([Array.from({ length: m }, () => rs.randint(K) as number)]);
  return { X, Y };
}

for (const activation of ACTS) {
  for (const output of OUTPUTS) {
    for (const l2 of [0, 0.7]) {
      for (const keepProb of [1, 0.8]) {
        const name = `self-check: ${activation} → ${output}, l2 ${l2}, keepProb ${keepProb}`;
        test(name, async () => {
          const layers = [3, 5, 4, output === 'softmax' ? 3 : 1];
          const model: ModelConfig = { layers, activation, output, init: 'random', initScale: 0.8, seed: 7, keepProb };
          const rs = new RandomState(11);
          const { X, Y } = selfCheckData(output, 6, rs);
          const opts: { l2: number; dropoutMasks?: Float64Array[]; keepProb?: number } = { l2 };
          if (keepProb < 1) {
            // The mask is drawn once and held fixed, so J(θ) is deterministic.
            opts.dropoutMasks = layers
              .slice(1, -1)
              .map((n) => Float64Array.from({ length: n * 6 }, () => (rs.randomSample() < keepProb ? 1 : 0)));
            opts.keepProb = keepProb;
          }
          // The check's J(θ) (a forward pass) is costAndGradients' cost to the bit, with the same Z_l, at a θ nudged off
          // the initial one.
          const layout = parameterLayout(layers);
          const theta = flatten(layout, initializeParameters(model));
          theta[1]! += 1e-3;
          const J = costFunction(X, Y, model, opts);
          const full = costAndGradients(viewsOf(layout, theta), X, Y, model, opts);
          assert.equal(J.cost(theta), full.cost);
          full.preActivations.forEach((z, l) => assert.deepEqual(J.preActivation(l + 1), z.data));
          const r = await checkGradients(networkProblem(initializeParameters(model), X, Y, model, opts));
          assert.equal(
            r.passed,
            true,
            `${r.message}; per tensor ${r.tensors.map((t) => `${t.name} ${t.difference.toExponential(2)}`).join(', ')}`,
          );
          assert.ok(r.difference < 2e-7 || r.differenceWithoutKinks < 2e-7);
          assert.ok(r.tensors.every((t) => t.passed));
        });
      }
    }
  }
}

test('self-check catches a broken backprop: a gradient scaled by 1.5 in W2 fails only W2', async () => {
  const model: ModelConfig = {
    layers: [3, 5, 4, 1],
    activation: 'tanh',
    output: 'sigmoid',
    init: 'random',
    initScale: 0.8,
    seed: 7,
    keepProb: 1,
  };
  const { X, Y } = selfCheckData('sigmoid', 6, new RandomState(11));
  const p = networkProblem(initializeParameters(model), X, Y, model, { l2: 0 });
  for (let i = 20; i < 40; i++) p.analytic[i]! *= 1.5; // W2 occupies offsets 20 … 39 (after W1 5×3 and b1 5×1)
  const r = await checkGradients(p);
  assert.deepEqual(
    r.tensors.filter((t) => !t.passed).map((t) => t.name),
    ['W2'],
  );
});

test('built-in network: a hidden ReLU input at exactly 0 makes its bias entry a kink', async () => {
  const model: ModelConfig = {
    layers: [2, 3, 1],
    activation: 'relu',
    output: 'sigmoid',
    init: 'random',
    initScale: 1,
    seed: 2,
    keepProb: 1,
  };
  const params = initializeParameters(model);
  // Example 0 is the origin and b1 is 0, so Z1[:, 0] = 0: moving any b1 entry by ±ε flips that unit's sign.
  const X = fromRows([
    [0, 1, -0.5],
    [0, 0.3, 2],
  ]);
  const Y = fromRows([[1, 0, 1]]);
  const r = await checkGradients(networkProblem(params, X, Y, model, { l2: 0 }));
  const b1 = r.tensors.find((t) => t.name === 'b1')!;
  assert.equal(b1.kinkCount, 3);
  assert.ok(b1.entries.every((e) => e.kink));
  assert.equal(r.tensors.find((t) => t.name === 'W2')!.kinkCount, 0);
  assert.equal(r.passed, true, r.message);
});
