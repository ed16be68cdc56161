/**
 * The epoch loop: `trainExperiment` runs one resolved experiment on given data, synchronously.
 *
 * Randomness follows a course-style numpy program with one global RNG: a RandomState is seeded with model.seed and
 * the weights are drawn from it; with mini-batches, epoch i reseeds that same state with shuffleSeed + i + 1 and
 * draws permutation(m). Dropout masks (keepProb < 1) are drawn from the same state after whatever came last
 * (the initial weights, or the epoch's permutation), rand(n_l, b) per hidden layer per step. Full-batch training
 * without dropout draws nothing after the weights.
 *
 * Costs: the epoch cost is the mean per-example loss over the epoch, each batch's loss taken in its forward pass
 * before its update, plus the L2 term; per batch Σloss + λ/2·ΣW², divided by m at the end, which for one full
 * batch is the course's (1/m)·Σloss + λ/(2m)·ΣW². Each batch's gradient gets the course's λ/b·W, b its size. The test cost (plain mean cross-entropy, no penalty) is
 * evaluated at the start of every `costEvery`-th epoch with the parameters that epoch starts from, so for full
 * batches it pairs with the training cost of the same epoch; `testCosts[k]` belongs to epoch k·costEvery.
 */
import { RandomState } from '../random';
import type { Dataset, ExperimentConfig, Parameters, RunResult, RunStatus } from '../types';
import { batchCount } from './batches';
import { createMasks, drawMasks } from './dropout';
import { initialFlatParameters } from './init';
import { batchGradients, identity, setLoss } from './kernels';
import { accuracy } from './metrics';
import { network } from './network';
import { CostHistory, costStride } from './costHistory';
import { divergenceLimit } from './divergence';
import { createOptimizer } from './optimizers';
import { epochShuffle } from './permutations';
import { addWeightDecay, allFinite, parameterLayout, rowsOfParameters, viewsOf, weightSquares } from './params';
import { learningRateAt } from './schedule';
import type { Team } from './wasm/team';

export interface TrainHooks {
  /** Called once per recorded point (every epoch unless costEvery or the run's length thin them; see above). */
  onEpoch?(epoch: number, cost: number, testCost?: number): void;
  /** Polled before every epoch; returning true stops the run with status 'cancelled'. */
  shouldStop?(): boolean;
  /**
   * Called after every batch with the epoch (from 0) and the batches done of it: an epoch of a large set can take a
   * minute, and progress that moves only at epoch ends looks stuck.
   */
  onBatch?(epoch: number, done: number, batches: number): void;
  /** Looks at the parameters around the epochs it picks (src/core/inspect); it must not write to them. */
  probe?: EpochProbe;
}

/**
 * An observer of the parameters: `before(epoch, P)` sees those the epoch starts from, `after(epoch, P)` those it
 * ends with, on the epochs `wants` picks. It reads P only (no RNG, no writes), so a probed run's numbers are an
 * unprobed run's to the bit.
 */
export interface EpochProbe {
  wants(epoch: number): boolean;
  before(epoch: number, P: Float64Array): void;
  after(epoch: number, P: Float64Array): void;
}

export interface TrainData {
  train: Dataset;
  test?: Dataset;
}

export interface TrainOptions {
  /** Use the generated fixed-shape kernels where possible (default true); false forces the generic ones. */
  generatedKernels?: boolean;
  /**
   * Use the WebAssembly SIMD kernels where they apply (default true; wasm/kernel.ts; only with generatedKernels).
   * They give the JS kernels' results (to the bit in Node 20) ~1.3× faster on the course runs.
   */
  wasmKernels?: boolean;
  /** Threads for the tiled kernels' large products (wasm/threads.ts); the same results with any team. */
  team?: Team | null;
}

export interface TrainOutcome {
  result: RunResult;
  /** The final parameters (views of the trainer's flat buffer). */
  parameters: Parameters;
}

export function trainExperiment(
  config: ExperimentConfig,
  data: TrainData,
  hooks: TrainHooks = {},
  options: TrainOptions = {},
): TrainOutcome {
  const started = performance.now();
  const { model, train } = config;
  const problem = checkData(config, data);
  if (problem) {
    return {
      result: {
        name: config.name,
        status: 'error',
        error: problem,
        costs: [],
        trainAccuracy: null,
        testAccuracy: null,
        parameters: {},
        durationMs: performance.now() - started,
      },
      parameters: new Map(),
    };
  }

  const layout = parameterLayout(model.layers);
  const rng = new RandomState(model.seed);
  const initial = initialFlatParameters(model, layout, rng);
  const net = network(layout, model.activation, model.output, model.keepProb);
  const m = data.train.X.cols;
  const batchSize = train.batchSize === undefined ? m : Math.min(train.batchSize, m);
  const generated = options.generatedKernels ?? true;
  const wasm = options.wasmKernels ?? true;
  const team = { team: options.team ?? null };
  const kernel = batchGradients(net, data.train, batchSize, generated, wasm, team);
  // The tiled kernels' own buffers, when they have them: no copies around a batch, and the step in WebAssembly.
  const engine = kernel.engine ?? null;
  const P = engine ? engine.P : initial;
  if (engine) engine.P.set(initial);
  const G = engine ? engine.G : new Float64Array(layout.size);
  const optimizer = createOptimizer(train, layout.size, engine);
  const testLoss = data.test ? setLoss(net, data.test, generated, wasm, team) : null;
  const dropout = model.keepProb !== 1;
  // Dropout draws its masks from the state each shuffle leaves, so only then must the run reseed its own state.
  const shuffle = train.batchSize === undefined ? null : epochShuffle(rng, train.shuffleSeed, m, train.epochs, dropout);
  const masks = dropout ? createMasks(model.layers, batchSize) : null;
  const idx = identity(m);
  const batches = batchCount(m, batchSize);
  const history = new CostHistory(costStride(train.epochs, train.costEvery));
  const every = history.every;
  const halfL2 = train.l2 / 2;

  const testCosts: number[] | undefined = data.test ? [] : undefined;
  let testCost: number | undefined;
  let divergeAbove = Infinity;
  let epochsDone = 0;
  let status: RunStatus = 'ok';
  let divergedAtEpoch: number | undefined;

  // Everything the loop reads is a local: the config objects of different experiments have different shapes
  // (each optimizer its own keys), and a loop that read them would be deoptimized and recompiled as a worker
  // meets each shape in turn.
  const { epochs, learningRate, decay, l2 } = train;
  const { layers, keepProb } = model;
  const { shouldStop, onEpoch, onBatch, probe } = hooks;
  const testM = data.test ? data.test.X.cols : 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    if (shouldStop?.()) {
      status = 'cancelled';
      break;
    }
    const lr = learningRateAt(learningRate, decay, epoch);
    if (testLoss && epoch % every === 0) {
      testCost = testLoss.loss(P) / testM;
      testCosts!.push(testCost);
    }
    const probed = probe !== undefined && probe.wants(epoch);
    if (probed) probe.before(epoch, P);
    if (shuffle) shuffle(epoch, idx);
    let total = 0;
    for (let k = 0; k < batches; k++) {
      const from = k * batchSize;
      const to = Math.min(m, from + batchSize);
      if (masks) drawMasks(rng, masks, layers, to - from, keepProb);
      total += kernel.gradients(P, G, idx, from, to, masks);
      if (l2 !== 0) {
        total += halfL2 * weightSquares(layout, P);
        addWeightDecay(layout, P, G, l2 / (to - from));
      }
      // Where the run started: the first batch's cost, taken before any update.
      if (divergeAbove === Infinity) divergeAbove = divergenceLimit(total / (to - from));
      optimizer.step(P, G, lr);
      onBatch?.(epoch, k + 1, batches);
    }
    if (probed) probe.after(epoch, P);
    const cost = total / m;
    epochsDone++;
    if (history.add(cost)) {
      onEpoch?.(epoch, cost, testCost);
      testCost = undefined;
    }
    if (!(cost <= divergeAbove) || !allFinite(P)) {
      status = 'diverged';
      divergedAtEpoch = epoch;
      break;
    }
  }
  // A run that stopped inside a bucket (cancelled, diverged, or epochs not a multiple of every) records it too.
  if (history.flush()) onEpoch?.(epochsDone - 1, history.costs[history.costs.length - 1]!, testCost);

  // The result outlives the kernel, whose memory may be shared with its threads.
  const parameters = viewsOf(layout, engine ? P.slice() : P);
  const finite = status !== 'diverged';
  const result: RunResult = {
    name: config.name,
    status,
    costs: history.costs,
    trainAccuracy: finite ? accuracy(parameters, model, data.train) : null,
    testAccuracy: finite && data.test ? accuracy(parameters, model, data.test) : null,
    parameters: rowsOfParameters(parameters),
    durationMs: performance.now() - started,
  };
  if (testCosts) result.testCosts = testCosts;
  if (divergedAtEpoch !== undefined) result.divergedAtEpoch = divergedAtEpoch;
  if (every > 1) result.costSummary = { every, epochs: epochsDone, min: history.min, max: history.max };
  return { result, parameters };
}

/** Why this data cannot train this model, or null. The experiment validator catches these earlier with positions. */
function checkData({ model }: ExperimentConfig, data: TrainData): string | null {
  const layers = model.layers;
  if (layers.length < 2 || layers.some((n) => !Number.isInteger(n) || n < 1)) {
    return `layers must be at least two positive integers, got [${layers.join(', ')}]`;
  }
  const units = layers[layers.length - 1]!;
  if (model.output === 'sigmoid' && units !== 1) return `a sigmoid output has 1 unit, layers end with ${units}`;
  if (model.output === 'softmax' && units < 2)
    return `a softmax output needs at least 2 units, layers end with ${units}`;
  for (const [name, set] of Object.entries(data) as Array<[string, Dataset | undefined]>) {
    if (!set) continue;
    if (set.X.rows !== layers[0]) return `the ${name} set has ${set.X.rows} features but layers[0] is ${layers[0]}`;
    if (set.Y.rows !== 1 || set.Y.cols !== set.X.cols) {
      return `the ${name} set's Y is ${set.Y.rows}×${set.Y.cols}, expected 1×${set.X.cols}`;
    }
    if (set.X.cols === 0) return `the ${name} set is empty`;
    const classes = model.output === 'sigmoid' ? 2 : units;
    for (const y of set.Y.data) {
      if (!Number.isInteger(y) || y < 0 || y >= classes) {
        return `the ${name} set has label ${y}; a ${model.output} output with ${units} unit(s) takes 0…${classes - 1}`;
      }
    }
  }
  return null;
}
