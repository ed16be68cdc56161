/**
 * How long a run will take, before it runs, for the slow-run warning: loading the data, drawing the initial
 * weights, building the kernels and training, each from the measured speed of the code that will do it.
 *
 * Training costs, per example and epoch, 3 multiply-adds per weight (the forward product and two backward ones)
 * at the speed of the kernel the trainer will pick (kernels.ts: the WebAssembly kernel where it applies, the
 * generated JS kernel for networks small enough to unroll, the generic one otherwise), plus a cost per example;
 * per batch, the optimizer's pass over every parameter. Building: the generated kernels are attempted for every
 * network the WebAssembly kernel does not take, and for a large one the unrolled source is built before it is
 * found too long, ~7 µs per parameter (17 s of [2,1000,1000,1], issue 13), once for the gradients and once more
 * for the test loss. Loading a CSV costs per value read.
 *
 * The constants are CPU time measured on the bench machine (2-core EPYC, Node 20; medians, on a busy shared
 * machine) and checked against the bench workloads, where `npm run bench -- --only=peers` prints the estimate
 * next to the measured time: digits 28 s estimated / 24 s measured (issue 18), [784,128,64,10] 76 / 73–97 s,
 * W=512 370 / 300–330 s, moons-Adam 0.18 / 0.15 s. They describe the kernels as they are: when the kernels get
 * faster, the numbers here must follow (the bench row shows the ratio).
 */
import type { ModelConfig, TrainConfig } from '../types';
import { MAX_SOURCE_LENGTH } from './codegen';
import { parameterLayout } from './params';
import { wasmSupported } from './wasm/kernel';

/** Nanoseconds, measured (see above). */
export const COST_NS = {
  /** Reading one CSV value (the whole-file parser of csv.ts). */
  csvValue: 1000,
  /** Drawing one initial weight (numpy's legacy Gaussian). */
  initWeight: 200,
  /** Building the generated kernel's source, per parameter, for a network too large to unroll. */
  buildPerParameter: 7000,
  /** Encoding and compiling a small kernel (WebAssembly or generated JS), with V8's warm-up. */
  buildSmall: 30e6,
  /** The optimizer's update, per parameter and batch. */
  optimizerPerParameter: 3,
  /** Drawing a dropout mask entry, per hidden unit and example. */
  dropoutPerUnit: 20,
  kernels: {
    wasm: { perExample: 20, perMultiplyAdd: 0.45, perUnit: 0 },
    generated: { perExample: 50, perMultiplyAdd: 1.0, perUnit: 0 },
    generic: { perExample: 0, perMultiplyAdd: 1.75, perUnit: 15 },
  },
} as const;

/**
 * Unrolled source per weight, measured: [2,14,12,1] 44 k characters for 208 weights, [2,16,16,1] 63 k for 304.
 * Networks past MAX_SOURCE_LENGTH at this rate keep the generic kernels.
 */
const SOURCE_PER_WEIGHT = 210;

export type KernelKind = keyof typeof COST_NS.kernels;

export interface RunTimeEstimate {
  /** Seconds, by part; `seconds` is their sum. */
  load: number;
  init: number;
  build: number;
  train: number;
  seconds: number;
  kernel: KernelKind;
}

export interface EstimateInput {
  model: Pick<ModelConfig, 'layers' | 'activation' | 'output' | 'keepProb'>;
  train: Pick<TrainConfig, 'epochs' | 'batchSize'>;
  /** Training examples. */
  samples: number;
  /** True when the data is read from a CSV file (samples × layers[0] values to parse). */
  csv: boolean;
  /** A test set exists: its loss kernel is built too. */
  test: boolean;
}

export function estimateRunTime({ model, train, samples, csv, test }: EstimateInput): RunTimeEstimate {
  const layout = parameterLayout(model.layers);
  let weights = 0;
  let units = model.layers[0]!;
  for (const s of layout.slots) {
    weights += s.rows * s.cols;
    units += s.rows;
  }
  const hidden = units - model.layers[0]! - model.layers[model.layers.length - 1]!;
  const kernel: KernelKind = wasmSupported({ layout, activation: model.activation, output: model.output }, model.keepProb)
    ? 'wasm'
    : model.keepProb === 1 && weights * SOURCE_PER_WEIGHT <= MAX_SOURCE_LENGTH
      ? 'generated'
      : 'generic';
  const k = COST_NS.kernels[kernel];
  // Generation is attempted only without dropout, for the gradients and for the test loss.
  const kernelsBuilt = 1 + (test ? 1 : 0);
  const buildNs =
    kernel === 'generic' && model.keepProb === 1 ? kernelsBuilt * layout.size * COST_NS.buildPerParameter : kernelsBuilt * COST_NS.buildSmall;
  const batch = Math.min(train.batchSize ?? samples, samples);
  const perExample =
    k.perExample + 3 * weights * k.perMultiplyAdd + units * k.perUnit + (model.keepProb < 1 ? hidden * COST_NS.dropoutPerUnit : 0);
  const perEpoch = samples * perExample + Math.ceil(samples / Math.max(1, batch)) * layout.size * COST_NS.optimizerPerParameter;
  const parts = {
    load: csv ? (samples * model.layers[0]! * COST_NS.csvValue) / 1e9 : 0,
    init: (weights * COST_NS.initWeight) / 1e9,
    build: buildNs / 1e9,
    train: (train.epochs * perEpoch) / 1e9,
  };
  return { ...parts, seconds: parts.load + parts.init + parts.build + parts.train, kernel };
}
