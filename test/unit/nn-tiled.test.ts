/**
 * The tiled WebAssembly matrix-product kernels (src/core/nn/wasm/tiled.ts, products.ts) on random shapes: odd
 * widths, 1-unit layers, 1-example batches, every activation, both outputs, dropout.
 *
 *   - against the generic kernels (network.ts): bit for bit (Object.is, so even the sign of a zero), losses and
 *     every gradient entry, batch gradients and whole-set losses, and whole training runs;
 *   - against the readable reference network (reference.ts): within 1e-10 of the largest entry of each tensor
 *     (of max(1, cost) for the cost). The reference sums the loss plainly and writes the softmax loss as
 *     log Σ e^(z − max) + max − z_y, so it is not expected to the bit.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMasks, drawMasks } from '../../src/core/nn/dropout';
import { batchGradients, setLoss } from '../../src/core/nn/kernels';
import { createWorkspace, forwardLoss, network } from '../../src/core/nn/network';
import { predictProba } from '../../src/core/nn/predict';
import { flatten } from '../../src/core/nn/params';
import { referenceGradients } from '../../src/core/nn/reference';
import { parameterLayout, trainExperiment, type ParameterLayout } from '../../src/core/nn';
import { createOptimizer } from '../../src/core/nn/optimizers';
import { soloTeam } from '../../src/core/nn/wasm/team';
import { RandomState } from '../../src/core/random';
import { experimentConfig } from './experimentConfig';
import { nodeThreadTeam } from '../../src/runner/threads';
import { join } from 'node:path';
import type { Activation, Dataset, ExperimentConfig, OutputActivation } from '../../src/core/types';

const ACTIVATIONS: Activation[] = ['relu', 'leaky_relu', 'tanh', 'sigmoid', 'linear'];

interface Case {
  layers: number[];
  activation: Activation;
  output: OutputActivation;
  keepProb: number;
  data: Dataset;
}

function randomData(rng: RandomState, n0: number, m: number, classes: number): Dataset {
  const X = rng.fillStandardNormal(new Float64Array(n0 * m));
  const Y = Float64Array.from({ length: m }, () => rng.randint(0, classes) as number);
  return { X: { rows: n0, cols: m, data: X }, Y: { rows: 1, cols: m, data: Y }, classes };
}

function randomCase(rng: RandomState, i: number): Case {
  const depth = 1 + (rng.randint(0, 3) as number);
  const output: OutputActivation = i % 2 === 0 ? 'sigmoid' : 'softmax';
  const layers = [1 + (rng.randint(0, 21) as number)];
  for (let l = 0; l < depth - 1; l++) layers.push(1 + (rng.randint(0, 37) as number));
  layers.push(output === 'sigmoid' ? 1 : 2 + (rng.randint(0, 9) as number));
  const activation = ACTIVATIONS[i % ACTIVATIONS.length]!;
  const keepProb = i % 3 === 2 && depth > 1 ? 0.75 : 1;
  const m = 1 + (rng.randint(0, 70) as number);
  return {
    layers,
    activation,
    output,
    keepProb,
    data: randomData(rng, layers[0]!, m, output === 'sigmoid' ? 2 : layers.at(-1)!),
  };
}

function assertSameBits(a: ArrayLike<number>, b: ArrayLike<number>, label: string) {
  assert.equal(a.length, b.length, `${label}: length`);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) assert.fail(`${label}[${i}]: ${a[i]} vs ${b[i]}`);
}

/** Within 1e-10 of the largest |expected| entry, or of `floor` if that is larger. */
function assertNear(actual: ArrayLike<number>, expected: number[], label: string, floor = 1e-300) {
  assert.equal(actual.length, expected.length, `${label}: length`);
  const scale = Math.max(floor, ...expected.map(Math.abs));
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i]! - expected[i]!);
    if (!(diff <= 1e-10 * scale)) assert.fail(`${label}[${i}]: ${actual[i]} vs ${expected[i]} (scale ${scale})`);
  }
}

/** The batch's columns and labels as the reference takes them, and the masks as rows. */
function referenceInputs(c: Case, idx: Int32Array, from: number, to: number, masks: Float64Array[] | null) {
  const { X, Y } = c.data;
  const cols = Array.from(idx.subarray(from, to));
  const rows = Array.from({ length: X.rows }, (_, k) => cols.map((e) => X.data[k * X.cols + e]!));
  const b = to - from;
  const D = masks?.map((mask, h) =>
    Array.from({ length: c.layers[h + 1]! }, (_, i) => Array.from(mask.subarray(i * b, i * b + b))),
  );
  return { rows, y: cols.map((e) => Y.data[e]!), D };
}

function referenceParameters(layout: ParameterLayout, P: Float64Array) {
  const W = layout.slots.map((s) =>
    Array.from({ length: s.rows }, (_, i) => Array.from(P.subarray(s.w + i * s.cols, s.w + (i + 1) * s.cols))),
  );
  const b = layout.slots.map((s) => Array.from(P.subarray(s.b, s.b + s.rows)));
  return { W, b };
}

describe('tiled wasm kernels', () => {
  const rng = new RandomState(18);
  const cases = Array.from({ length: 40 }, (_, i) => randomCase(rng, i));
  // Shapes that hit every tile edge: 4-row tiles and their remainder, 2-v128 column tiles, one v128, one scalar.
  cases.push(
    {
      layers: [64, 128, 64, 10],
      activation: 'relu',
      output: 'softmax',
      keepProb: 1,
      data: randomData(rng, 64, 67, 10),
    },
    { layers: [9, 7, 5, 3], activation: 'tanh', output: 'softmax', keepProb: 1, data: randomData(rng, 9, 1, 3) },
    { layers: [1, 1, 1], activation: 'relu', output: 'sigmoid', keepProb: 1, data: randomData(rng, 1, 5, 2) },
  );
  for (const c of cases) {
    const m = c.data.X.cols;
    const title = `${c.activation} → ${c.output} ${JSON.stringify(c.layers)}${c.keepProb !== 1 ? ' dropout' : ''}, m = ${m}`;
    it(`equal the generic kernels bit for bit and the reference network: ${title}`, () => {
      const layout = parameterLayout(c.layers);
      const net = network(layout, c.activation, c.output, c.keepProb);
      const generic = batchGradients(net, c.data, m, false);
      const P = rng.fillStandardNormal(new Float64Array(layout.size), 0.7);
      const idx = rng.permutation(m);
      const masks = c.keepProb !== 1 ? createMasks(c.layers, m) : null;
      const batches = [
        [0, m],
        [0, 1],
        [m - 1, m],
        [Math.floor(m / 3), m],
      ].filter(([from, to]) => from! < to!);
      for (const [from, to] of batches as Array<[number, number]>) {
        if (masks) drawMasks(rng, masks, c.layers, to - from, c.keepProb);
        const G1 = new Float64Array(layout.size).fill(NaN);
        const G2 = new Float64Array(layout.size).fill(NaN);
        const l1 = tiledGradients(c, P, G1, idx, from, to, masks);
        const l2 = generic.gradients(P, G2, idx, from, to, masks);
        assert.ok(Object.is(l1, l2), `loss over ${from}…${to}: ${l1} vs ${l2}`);
        assertSameBits(G1, G2, `gradients over ${from}…${to}`);

        const { rows, y, D } = referenceInputs(c, idx, from, to, masks);
        const ref = referenceGradients(
          {
            activation: c.activation,
            output: c.output,
            ...referenceParameters(layout, P),
            keepProb: c.keepProb,
            ...(D ? { D } : {}),
          },
          rows,
          y,
        );
        // A per-example loss near 0 is log(Σ e^(z − max)) of a sum near 1: its own rounding is ~1e-16 absolute.
        assertNear([l1 / (to - from)], [ref.cost], `cost over ${from}…${to}`, 1);
        layout.slots.forEach((s, l) => {
          assertNear(G1.subarray(s.w, s.w + s.rows * s.cols), ref.dW[l]!.flat(), `dW${l + 1} over ${from}…${to}`);
          assertNear(G1.subarray(s.b, s.b + s.rows), ref.db[l]!, `db${l + 1} over ${from}…${to}`);
        });
      }
      if (c.keepProb === 1) {
        const a = forceTiledLoss(c);
        assert.ok(Object.is(a.loss(P), setLoss(net, c.data, false).loss(P)), 'whole-set loss');
      }

      function tiledGradients(
        c: Case,
        P: Float64Array,
        G: Float64Array,
        idx: Int32Array,
        from: number,
        to: number,
        masks: Float64Array[] | null,
      ) {
        return tiledKernel(c).gradients(P, G, idx, from, to, masks);
      }
    });
  }

  it('take over from the generic kernels for networks too large to unroll, with or without dropout', () => {
    const data = randomData(new RandomState(1), 2, 60, 2);
    const kind = (layers: number[], keepProb = 1) =>
      batchGradients(network(parameterLayout(layers), 'relu', 'sigmoid', keepProb), data, 60, true, true).kind;
    assert.equal(kind([2, 50, 50, 1]), 'tiled');
    assert.equal(kind([2, 5, 1], 0.8), 'tiled');
    assert.equal(kind([2, 10, 5, 1]), 'wasm', 'the course kernels keep the course shapes');
  });

  it('give the generic kernels’ training run (digits-like softmax, adam, mini-batches, L2, test set)', () => {
    const data = randomData(new RandomState(5), 64, 150, 10);
    const test = randomData(new RandomState(6), 64, 41, 10);
    const cfg = experimentConfig(
      { layers: [64, 48, 32, 10], output: 'softmax', activation: 'relu' },
      { optimizer: 'adam', learningRate: 0.01, batchSize: 32, l2: 0.1, epochs: 6 },
    );
    const a = trainExperiment(cfg, { train: data, test });
    const b = trainExperiment(cfg, { train: data, test }, {}, { generatedKernels: false });
    assertSameBits(a.result.costs, b.result.costs, 'costs');
    assertSameBits(a.result.testCosts!, b.result.testCosts!, 'test costs');
    assert.deepEqual(a.result.parameters, b.result.parameters);
    assert.equal(a.result.testAccuracy, b.result.testAccuracy);
  });
});

describe('the wasm transpose helper', () => {
  it('transposes every shape, blocks and partial blocks alike', () => {
    const bound = soloTeam().bind(4, 4 * 65536)!;
    const f64 = new Float64Array(bound.buffer);
    for (const [rows, cols] of [
      [1, 1],
      [1, 9],
      [9, 1],
      [7, 13],
      [8, 8],
      [16, 17],
      [33, 64],
      [128, 20],
    ] as const) {
      const src = Float64Array.from({ length: rows * cols }, (_, i) => i + 0.5);
      f64.set(src, 0);
      f64.fill(-1, rows * cols, 2 * rows * cols + 8);
      bound.helpers.transpose(0, rows, cols, rows * cols * 8);
      for (let k = 0; k < rows; k++) {
        for (let j = 0; j < cols; j++) {
          assert.equal(f64[rows * cols + j * rows + k], src[k * cols + j], `${rows}×${cols} at (${k}, ${j})`);
        }
      }
      assert.equal(f64[2 * rows * cols], -1, `${rows}×${cols}: nothing written past the end`);
    }
  });
});

describe('optimizer steps in WebAssembly (wasm/updates.ts)', () => {
  const RULES: Array<[string, Record<string, unknown>]> = [
    ['gd', { optimizer: 'gd' }],
    ['momentum', { optimizer: 'momentum', beta: 0.9 }],
    ['nesterov', { optimizer: 'momentum', beta: 0.85, nesterov: true }],
    ['rmsprop', { optimizer: 'rmsprop', rho: 0.9, epsilon: 1e-8 }],
    ['adam', { optimizer: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }],
  ];
  // [3,4,1] has 21 parameters: an odd count, so the scalar tail after the f64x2 pairs runs too.
  for (const layers of [
    [3, 4, 1],
    [2, 1],
  ]) {
    for (const [rule, settings] of RULES) {
      it(`${rule} on ${layers.join('-')}: the same bits as the JS loop, step after step`, () => {
        const data = randomData(new RandomState(3), layers[0]!, 9, 2);
        const net = network(parameterLayout(layers), 'relu', 'sigmoid');
        const engine = batchGradients(net, data, 9, true, true, { forceTiled: true }).engine!;
        const size = net.layout.size;
        assert.equal(engine.P.length, size);
        const train = experimentConfig({ layers }, { learningRate: 0.01, ...settings }).train;
        const inWasm = createOptimizer(train, size, engine);
        const inJs = createOptimizer(train, size);
        const rng = new RandomState(11);
        const P = rng.fillStandardNormal(new Float64Array(size));
        engine.P.set(P);
        for (let step = 0; step < 5; step++) {
          const G = rng.fillStandardNormal(new Float64Array(size), 10 ** (step - 2));
          engine.G.set(G);
          inWasm.step(engine.P, engine.G, 0.01);
          inJs.step(P, G, 0.01);
          assertSameBits(engine.P, P, `parameters after step ${step + 1}`);
        }
        assertSameBits(inWasm.v, inJs.v, 'first moments');
        assertSameBits(inWasm.s, inJs.s, 'second moments');
        for (const state of [inWasm.v, inWasm.s].filter((x) => x.length > 0)) {
          assert.ok(state.buffer === engine.P.buffer, "the state lives in the kernel's memory");
        }
      });
    }
  }

  for (const [rule, settings] of RULES) {
    it(`${rule}: a whole tiled run gives the generic kernels' run to the bit`, () => {
      const data = randomData(new RandomState(21), 5, 70, 3);
      const cfg = experimentConfig(
        { layers: [5, 48, 40, 3], output: 'softmax', activation: 'tanh' },
        { learningRate: 0.01, batchSize: 16, epochs: 4, ...settings },
      );
      const a = trainExperiment(cfg, { train: data });
      const b = trainExperiment(cfg, { train: data }, {}, { generatedKernels: false });
      assertSameBits(a.result.costs, b.result.costs, 'costs');
      assert.deepEqual(a.result.parameters, b.result.parameters);
    });
  }
});

describe('tiled kernels on threads', () => {
  // Built by scripts/build.mjs beside the other bundles; the tests run from the repository root.
  const script = join(process.cwd(), 'dist/products-worker.js');
  const runs: Array<[string, ExperimentConfig, Dataset, Dataset]> = [
    [
      // The first layer's products (256·64·80 multiply-adds) are past MIN_SPLIT_MACS, so they are split.
      'digits-like [64,256,64,10] relu/softmax, adam, batch 80 (a last batch of 40)',
      experimentConfig(
        { layers: [64, 256, 64, 10], output: 'softmax' },
        { optimizer: 'adam', learningRate: 0.01, batchSize: 80, epochs: 3 },
      ),
      randomData(new RandomState(7), 64, 280, 10),
      randomData(new RandomState(8), 64, 77, 10),
    ],
    [
      'odd [37,301,33,7] tanh/softmax, dropout, L2, batch 101',
      experimentConfig(
        { layers: [37, 301, 33, 7], output: 'softmax', activation: 'tanh', keepProb: 0.8 },
        { optimizer: 'momentum', learningRate: 0.05, batchSize: 101, epochs: 3, l2: 0.2 },
      ),
      randomData(new RandomState(9), 37, 250, 7),
      randomData(new RandomState(10), 37, 33, 7),
    ],
  ];
  for (const [name, cfg, train, test] of runs) {
    it(`give the same bits on 1, 2 and 3 threads: ${name}`, () => {
      const solo = trainExperiment(cfg, { train, test }).result;
      for (const threads of [2, 3]) {
        const team = nodeThreadTeam(threads, script);
        try {
          assert.equal(team.threads, threads, 'the helper script was found');
          const result = trainExperiment(cfg, { train, test }, {}, { team }).result;
          assert.ok(team.splits > 0, 'some products were split between threads');
          assertSameBits(result.costs, solo.costs, `costs on ${threads} threads`);
          assertSameBits(result.testCosts!, solo.testCosts!, `test costs on ${threads} threads`);
          assert.deepEqual(result.parameters, solo.parameters);
          assert.equal(result.testAccuracy, solo.testAccuracy);
        } finally {
          team.close();
        }
      }
    });
  }
});

/** The tiled kernel itself, whatever batchGradients would pick for a small shape. */
function tiledKernel(c: Case) {
  const net = network(parameterLayout(c.layers), c.activation, c.output, c.keepProb);
  const k = batchGradients(net, c.data, c.data.X.cols, true, true, { forceTiled: true });
  assert.equal(k.kind, 'tiled');
  return k;
}

function forceTiledLoss(c: Case) {
  const net = network(parameterLayout(c.layers), c.activation, c.output, c.keepProb);
  const k = setLoss(net, c.data, true, true, { forceTiled: true });
  assert.equal(k.kind, 'tiled');
  return k;
}

describe('prediction in chunks', () => {
  it("gives the generic kernels' probabilities to the bit past one chunk (1024 examples), for both outputs", () => {
    for (const [layers, m, output] of [
      [[20, 30, 7, 1], 3001, 'sigmoid'],
      [[64, 128, 64, 10], 2500, 'softmax'],
    ] as const) {
      const rng = new RandomState(4);
      const params = new Map<string, { rows: number; cols: number; data: Float64Array }>();
      for (let l = 1; l < layers.length; l++) {
        params.set(`W${l}`, {
          rows: layers[l]!,
          cols: layers[l - 1]!,
          data: rng.fillStandardNormal(new Float64Array(layers[l]! * layers[l - 1]!), 0.3),
        });
        params.set(`b${l}`, {
          rows: layers[l]!,
          cols: 1,
          data: rng.fillStandardNormal(new Float64Array(layers[l]!), 0.1),
        });
      }
      const X = { rows: layers[0]!, cols: m, data: rng.fillStandardNormal(new Float64Array(layers[0]! * m)) };
      const model = { layers: [...layers], activation: 'relu' as const, output };
      const chunked = predictProba(params, model, X);
      // The generic kernels on the whole set at once (what predictProba does where the tiled kernels do not pay).
      const layout = parameterLayout(model.layers);
      const ws = createWorkspace(model.layers, m, false);
      ws.A[0]!.set(X.data);
      forwardLoss(network(layout, 'relu', output), flatten(layout, params), ws, m);
      const expected = ws.A[layers.length - 1]!.subarray(0, layers.at(-1)! * m);
      assert.equal(chunked.data.length, expected.length);
      const differing = expected.findIndex((v, i) => !Object.is(v, chunked.data[i]));
      assert.equal(differing, -1, `${layers.join(',')}: value ${differing} differs`);
    }
  });
});
