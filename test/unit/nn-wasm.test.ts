/**
 * The WebAssembly SIMD kernels (src/core/nn/wasm) against the generated JS kernels they replace.
 *
 * Tolerance: 1e-12 relative on losses, gradients, costs and parameters (assertClose), ≤ 1 ulp for exp and log1p
 * against Math. Why any difference could exist: every arithmetic step is the JS kernel's, in the same order, and
 * the gradient and loss sums take the examples in the same order, so the only possible source is exp and log1p,
 * which are written after fdlibm (as V8's Math.exp and Math.log1p are) rather than called. In Node 20 they agree
 * with Math bit for bit on every argument tried and the kernels agree with the JS ones to the bit; the tolerance
 * leaves room for a V8 whose Math functions round differently by an ulp.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { moons } from '../../src/core/datasets';
import { batchGradients, setLoss } from '../../src/core/nn/kernels';
import { network } from '../../src/core/nn/network';
import { mathTestModule } from '../../src/core/nn/wasm/math';
import { parameterLayout, trainExperiment } from '../../src/core/nn';
import { RandomState } from '../../src/core/random';
import { experimentConfig } from './experimentConfig';
import type { Activation, ExperimentConfig, ModelConfig, TrainConfig } from '../../src/core/types';
import { ulpDistance } from './ulp';

const TOLERANCE = 1e-12;

function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, label: string) {
  assert.equal(a.length, b.length, `${label}: length`);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    const scale = Math.max(Math.abs(x), Math.abs(y));
    if (!(Math.abs(x - y) <= TOLERANCE * scale)) assert.fail(`${label}[${i}]: ${x} vs ${y}`);
  }
}

const wasmApi = (
  globalThis as {
    WebAssembly?: {
      Module: new (b: Uint8Array) => object;
      Instance: new (m: object, i: object) => { exports: Record<string, unknown> };
      Memory: new (d: { initial: number }) => object;
    };
  }
).WebAssembly!;

describe('wasm exp and log1p', () => {
  const instance = new wasmApi.Instance(new wasmApi.Module(mathTestModule()), {
    m: { memory: new wasmApi.Memory({ initial: 1 }) },
  });
  const exp = instance.exports.exp as (x: number) => number;
  const log1p = instance.exports.log1p as (x: number) => number;
  const rng = new RandomState(5);
  const ranges: Array<[string, (x: number) => number, (x: number) => number, () => number]> = [
    ['exp on [−40, 0]', exp, Math.exp, () => -40 * rng.randomSample()],
    ['exp on [−760, 0]', exp, Math.exp, () => -760 * rng.randomSample()],
    ['exp near 0', exp, Math.exp, () => -(2 ** (-60 * rng.randomSample()))],
    ['log1p on [0, 1]', log1p, Math.log1p, () => rng.randomSample()],
    ['log1p near 0', log1p, Math.log1p, () => 2 ** (-1074 * rng.randomSample())],
  ];
  for (const [name, mine, theirs, draw] of ranges) {
    it(`are within 1 ulp of Math: ${name}`, () => {
      let equal = 0;
      for (let i = 0; i < 50_000; i++) {
        const x = draw();
        const d = ulpDistance(mine(x), theirs(x));
        if (d > 1) assert.fail(`${name}: ${x} → ${mine(x)} vs ${theirs(x)}`);
        if (d === 0) equal++;
      }
      assert.ok(equal >= 49_000, `${equal} of 50000 equal to the bit`);
    });
  }
  it('are exact where the course needs it, and handle the ends of their ranges', () => {
    assert.equal(exp(0), 1);
    assert.equal(exp(-0), 1);
    assert.equal(log1p(1), Math.LN2);
    assert.equal(log1p(0), 0);
    for (const x of [-745, -745.2, -746, -1000, -Infinity, -708.5, -1e-300])
      assert.equal(exp(x), Math.exp(x), `exp(${x})`);
    assert.ok(Number.isNaN(exp(NaN)));
    for (const x of [5e-324, 1e-310, 0.4142136573791504, 0.41421356237309503])
      assert.equal(log1p(x), Math.log1p(x), `log1p(${x})`);
  });
});

const data = moons(61, 0.2, 3);

describe('wasm kernels', () => {
  const shapes: Array<{ activation: Activation; layers: number[] }> = [
    { activation: 'relu', layers: [2, 10, 5, 1] },
    { activation: 'relu', layers: [2, 5, 2, 1] },
    { activation: 'relu', layers: [2, 1] },
    { activation: 'relu', layers: [2, 3, 4, 3, 1] },
    { activation: 'leaky_relu', layers: [2, 6, 3, 1] },
    { activation: 'linear', layers: [2, 4, 1] },
  ];
  for (const s of shapes) {
    it(`match the generated JS kernels: ${s.activation} ${JSON.stringify(s.layers)}`, () => {
      const layout = parameterLayout(s.layers);
      const net = network(layout, s.activation, 'sigmoid');
      const m = data.X.cols;
      const wasm = batchGradients(net, data, m, true, true);
      const js = batchGradients(net, data, m, true, false);
      assert.equal(wasm.kind, 'wasm');
      assert.equal(js.kind, 'generated');
      const idx = new RandomState(2).permutation(m);
      // Large parameters too: saturated outputs exercise exp's and log1p's extremes.
      for (const scale of [0.5, 1, 30]) {
        const P = new RandomState(9).fillStandardNormal(new Float64Array(layout.size)).map((p) => p * scale);
        // Odd and even batch lengths: the kernel takes two examples at a time, an odd last one in lane 0 alone.
        for (const [from, to] of [
          [0, m],
          [0, 16],
          [48, m],
          [3, 20],
          [m - 1, m],
        ] as const) {
          const G1 = new Float64Array(layout.size);
          const G2 = new Float64Array(layout.size);
          const l1 = wasm.gradients(P, G1, idx, from, to, null);
          const l2 = js.gradients(P, G2, idx, from, to, null);
          assertClose([l1], [l2], `loss over ${from}…${to}, scale ${scale}`);
          assertClose(G1, G2, `gradients over ${from}…${to}, scale ${scale}`);
        }
        const lossWasm = setLoss(net, data, true, true);
        assert.equal(lossWasm.kind, 'wasm');
        assertClose([lossWasm.loss(P)], [setLoss(net, data, true, false).loss(P)], `set loss, scale ${scale}`);
      }
    });
  }

  it('give an all-zero network the loss m·log 2 to the bit (odd batch)', () => {
    const layout = parameterLayout([2, 10, 5, 1]);
    const net = network(layout, 'relu', 'sigmoid');
    const m = data.X.cols;
    const G = new Float64Array(layout.size);
    const idx = new RandomState(2).permutation(m);
    const loss = batchGradients(net, data, m, true, true).gradients(
      new Float64Array(layout.size),
      G,
      idx,
      0,
      m - 1,
      null,
    );
    assert.equal(loss / (m - 1), Math.LN2);
  });

  // An odd example count and 300 epochs, as these comparisons were written: longer than the trainer tests' default.
  const config = (model: Partial<ModelConfig>, train: Partial<TrainConfig>): ExperimentConfig =>
    experimentConfig(model, { epochs: 300, ...train }, { samples: 61 });

  const runs: Array<[string, ExperimentConfig]> = [
    ['full batch, [2,10,5,1] relu, gd', config({ layers: [2, 10, 5, 1] }, { learningRate: 0.3 })],
    ['mini-batches of 16, adam, L2', config({}, { optimizer: 'adam', learningRate: 0.01, batchSize: 16, l2: 0.3 })],
    [
      'randn × 10 init (saturated), momentum',
      config({ layers: [2, 10, 5, 1], init: 'random', initScale: 10 }, { optimizer: 'momentum' }),
    ],
    ['leaky_relu, mini-batches of 7', config({ layers: [2, 6, 3, 1], activation: 'leaky_relu' }, { batchSize: 7 })],
  ];
  for (const [name, cfg] of runs) {
    it(`give the JS kernels' training run over 300 steps: ${name}`, () => {
      const sets = { train: data, test: moons(41, 0.2, 5) };
      const a = trainExperiment(cfg, sets, {}, { wasmKernels: true }).result;
      const b = trainExperiment(cfg, sets, {}, { wasmKernels: false }).result;
      assertClose(a.costs, b.costs, 'costs');
      assertClose(a.testCosts!, b.testCosts!, 'test costs');
      for (const key of Object.keys(b.parameters))
        assertClose(a.parameters[key]!.flat(), b.parameters[key]!.flat(), key);
      assert.equal(a.trainAccuracy, b.trainAccuracy);
      assert.equal(a.testAccuracy, b.testAccuracy);
    });
  }

  it('fall back to the JS kernels where they do not apply, or when WebAssembly is missing', () => {
    const m = data.X.cols;
    const kind = (activation: Activation, layers: number[], keepProb = 1) =>
      batchGradients(
        network(parameterLayout(layers), activation, layers.at(-1) === 1 ? 'sigmoid' : 'softmax', keepProb),
        data,
        m,
        true,
        true,
      ).kind;
    assert.equal(kind('tanh', [2, 5, 1]), 'generated');
    assert.equal(kind('sigmoid', [2, 5, 1]), 'generated');
    assert.equal(kind('relu', [2, 5, 2]), 'generated');
    assert.equal(kind('relu', [2, 5, 1], 0.8), 'tiled', 'dropout: the tiled products (nn-tiled.test.ts)');
    assert.equal(kind('relu', [2, 50, 50, 1]), 'tiled', 'above MAX_PARAMETERS, and too large for a JS kernel too');
    assert.equal(kind('relu', [2, 40, 40, 1]), 'tiled', 'past TILED_FIRST the tiled products are faster');
    assert.equal(kind('relu', [2, 20, 10, 1]), 'wasm');
    assert.equal(
      batchGradients(network(parameterLayout([2, 5, 1]), 'relu', 'sigmoid'), data, m, false, true).kind,
      'generic',
    );
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly')!;
    delete (globalThis as { WebAssembly?: unknown }).WebAssembly;
    try {
      assert.equal(kind('relu', [2, 5, 1]), 'generated');
      assert.equal(kind('relu', [2, 50, 50, 1]), 'generic', 'no tiled products without WebAssembly');
      const cfg = config({}, { epochs: 20 });
      assert.deepEqual(
        trainExperiment(cfg, { train: data }).result.costs,
        trainExperiment(cfg, { train: data }, {}, { wasmKernels: false }).result.costs,
      );
    } finally {
      Object.defineProperty(globalThis, 'WebAssembly', saved);
    }
  });
});
