/**
 * How long a run will take, before it runs, for the slow-run warning: loading the data, drawing the initial
 * weights, building the kernels and training, each from the measured speed of the code that will do it.
 *
 * Training costs, per example and epoch, 3 multiply-adds per weight (the forward product and two backward ones)
 * at the speed of the kernel the trainer will pick (kernels.ts: the course's unrolled WebAssembly kernel or the
 * generated JS kernel up to TILED_FIRST parameters, the tiled WebAssembly products past it or with dropout, the
 * generic loops without WebAssembly), plus a cost per unit; per batch, the copies and the optimizer's pass over
 * every parameter. Building: a few tens of ms per kernel (encoding, compiling, V8's warm-up), except without
 * WebAssembly, where the generated kernels are attempted for every network and, for a large one, the unrolled
 * source is built before it is found too long (~7 µs per parameter). Loading a CSV costs per value read.
 *
 * The constants are time per operation measured on the bench machine (2-core EPYC, Node 20): the tiled kernels and
 * the CSV parser on a quiet machine, the rest on a busy one, so they lean slow; `npm run bench -- --only=peers`
 * prints each workload's estimate next to its measured time. When the kernels or the CSV parser change, these
 * numbers must follow.
 */
import type { ModelConfig, TrainConfig } from '../types';
import { MAX_SOURCE_LENGTH } from './codegen';
import { tiledPays } from './kernels';
import { parameterLayout } from './params';
import { wasmSupported } from './wasm/kernel';

/** Nanoseconds, measured (see above). */
export const COST_NS = {
  /**
   * Reading one CSV value with the streaming parser (dataFile.ts): the 20,000 × 785 file (15.7 M values) in 1.03 s
   * on the quiet bench machine (`npm run bench -- --only=csvload`), ~6.4 s when the machine was busy.
   */
  csvValue: 80,
  /**
   * Per weight, before the first epoch: drawing it (numpy's legacy Gaussian) and the buffers that hold it (P, G, the
   * optimizer's state, the kernel's memory). Measured: [2,1000,1000,1] spends 0.6 s of CPU before training 10 examples.
   */
  initWeight: 400,
  /** Building the generated kernel's source, per parameter, for a network too large to unroll. */
  buildPerParameter: 7000,
  /** Encoding and compiling a small kernel (WebAssembly or generated JS), with V8's warm-up. */
  buildSmall: 30e6,
  /**
   * The optimizer's update and the parameter copies, per parameter and batch; with the tiled kernels the step runs in
   * WebAssembly in the kernel's memory and nothing is copied (measured: Adam over [784,128,64,10]'s 109,386
   * parameters, 785 steps, 0.13 to 0.28 s).
   */
  optimizerPerParameter: 4,
  tiledOptimizerPerParameter: 1.5,
  /** Drawing a dropout mask entry, per hidden unit and example. */
  dropoutPerUnit: 20,
  kernels: {
    wasm: { perExample: 20, perMultiplyAdd: 0.45, perUnit: 0 },
    generated: { perExample: 50, perMultiplyAdd: 1.0, perUnit: 0 },
    /**
     * Measured on the quiet bench machine with the CLI's default two threads (training seconds of `npm run bench --
     * --only=peers`, 2026-12-08 02:49 UTC, commit ae1cbb4): digits 200 epochs 2.07 s, [784,128,64,10] 5 epochs on
     * 20,000 3.42 s, [784,32,32,10] 1.79 s, [784,128,128,10] 3.77 s, [784,512,512,10] 17.61 s (0.088 ns per
     * multiply-add there, everything included). A busy machine measured ~1.6× these.
     */
    tiled: { perExample: 0, perMultiplyAdd: 0.07, perUnit: 14 },
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
  const webAssembly = (globalThis as { WebAssembly?: unknown }).WebAssembly !== undefined;
  const small = !webAssembly || !tiledPays(layout.size);
  const kernel: KernelKind =
    small && wasmSupported({ layout, activation: model.activation, output: model.output }, model.keepProb)
      ? 'wasm'
      : small && model.keepProb === 1 && weights * SOURCE_PER_WEIGHT <= MAX_SOURCE_LENGTH
        ? 'generated'
        : webAssembly
          ? 'tiled'
          : 'generic';
  const k = COST_NS.kernels[kernel];
  // One kernel for the gradients, one for the test loss. Without WebAssembly the generated kernels are attempted
  // for every network (without dropout), and a large one's source is built before it is found too long.
  const kernelsBuilt = 1 + (test ? 1 : 0);
  const buildNs =
    kernel === 'generic' && model.keepProb === 1
      ? kernelsBuilt * layout.size * COST_NS.buildPerParameter
      : kernelsBuilt * COST_NS.buildSmall;
  const batch = Math.min(train.batchSize ?? samples, samples);
  const perExample =
    k.perExample +
    3 * weights * k.perMultiplyAdd +
    units * k.perUnit +
    (model.keepProb < 1 ? hidden * COST_NS.dropoutPerUnit : 0);
  const perEpoch =
    samples * perExample +
    Math.ceil(samples / Math.max(1, batch)) *
      layout.size *
      (kernel === 'tiled' ? COST_NS.tiledOptimizerPerParameter : COST_NS.optimizerPerParameter);
  const parts = {
    load: csv ? (samples * model.layers[0]! * COST_NS.csvValue) / 1e9 : 0,
    init: (weights * COST_NS.initWeight) / 1e9,
    build: buildNs / 1e9,
    train: (train.epochs * perEpoch) / 1e9,
  };
  return { ...parts, seconds: parts.load + parts.init + parts.build + parts.train, kernel };
}
