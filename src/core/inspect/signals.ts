/**
 * Per-layer signals of one set of parameters over the training set (or some of its examples, evenly spaced, as
 * schedule.ts's probePlan says): one exact forward and backward pass (no dropout: the network as it predicts), on
 * the tiled WebAssembly kernels where training runs them (the generic kernels' bits, at the tiled kernels' speed), then
 * plain statistics of each layer's outputs and gradients. Nothing here touches the trainer's buffers; the probe owns
 * its memory.
 */
import { setPasses, type SetPasses, type TiledChoice } from '../nn/kernels';
import type { Network } from '../nn/network';
import type { ParameterLayout } from '../nn/params';
import type { Activation, Dataset, OutputActivation } from '../types';

/** How close to a limit counts as saturated (the "within 0.01 of their limits"). */
export const SATURATION_MARGIN = 0.01;
/** Past this many units, symmetry is measured against the first unit only (see layerSymmetry). */
export const PAIRWISE_SYMMETRY_UNITS = 256;

/** One probe's values for one layer. */
export interface LayerSample {
  mean: number;
  std: number;
  saturated: number | null;
  dead: number | null;
  gradNorm: number;
  symmetry: number | null;
}

/** The probe's examples and its passes over them, made once per run. */
export interface SignalProbe {
  net: Network;
  /** The measured examples, in the course's features × m layout. */
  examples: Dataset;
  passes: SetPasses;
  m: number;
  hidden: Activation;
}

/**
 * A probe over `examples` of the training set's examples (all of them by default), evenly spaced, on the kernels
 * training would use for this network (kernels.ts's setPasses; `wasm` and `choice` as there, for tests).
 */
export function signalProbe(
  net: Network,
  hidden: Activation,
  train: Dataset,
  examples = train.X.cols,
  wasm = true,
  choice: TiledChoice = {},
): SignalProbe {
  const M = train.X.cols;
  const m = Math.max(1, Math.min(M, examples));
  const n0 = train.X.rows;
  const X = new Float64Array(n0 * m);
  const Y = new Float64Array(m);
  // Examples evenly spaced through the set (all of them when it is small).
  for (let j = 0; j < m; j++) {
    const e = Math.floor((j * M) / m);
    for (let k = 0; k < n0; k++) X[k * m + j] = train.X.data[k * M + e]!;
    Y[j] = train.Y.data[e]!;
  }
  const set: Dataset = { X: { rows: n0, cols: m, data: X }, Y: { rows: 1, cols: m, data: Y }, classes: train.classes };
  return { net, examples: set, passes: setPasses(net, set, wasm, choice), m, hidden };
}

/** Every layer's signals for parameters P (the flat layout of params.ts). */
export function measureLayers(probe: SignalProbe, P: Float64Array): LayerSample[] {
  const { net, passes, m } = probe;
  passes.pass(P);
  const grads = passes.grads;
  const { slots } = net.layout;
  const L = slots.length;
  return slots.map((slot, i) => {
    const l = i + 1;
    const A = passes.outputs(l);
    const n = slot.rows * m;
    const kind: Activation | OutputActivation = l === L ? net.output : probe.hidden;
    const { mean, std } = meanStd(A, n);
    return {
      mean,
      std,
      saturated: l === L ? outputSaturation(net.output, A, slot.rows, m) : hiddenSaturation(kind, A, n),
      dead: l < L && kind === 'relu' ? deadShare(A, slot.rows, m) : null,
      gradNorm: norm(grads, slot.w, slot.b + slot.rows),
      symmetry: l < L ? layerSymmetry(P, slot) : null,
    };
  });
}

function meanStd(A: Float64Array, n: number): { mean: number; std: number } {
  let sum = 0;
  for (let t = 0; t < n; t++) sum += A[t]!;
  const mean = sum / n;
  let sq = 0;
  for (let t = 0; t < n; t++) sq += (A[t]! - mean) ** 2;
  return { mean, std: Math.sqrt(sq / n) };
}

function norm(x: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s);
}

/** Share of a hidden layer's outputs within the margin of its limits: (−1, 1) for tanh, (0, 1) for sigmoid. */
export function hiddenSaturation(kind: Activation | OutputActivation, A: Float64Array, n: number): number | null {
  if (kind !== 'tanh' && kind !== 'sigmoid') return null;
  const low = kind === 'tanh' ? -1 : 0;
  let count = 0;
  for (let t = 0; t < n; t++) if (A[t]! - low < SATURATION_MARGIN || 1 - A[t]! < SATURATION_MARGIN) count++;
  return count / n;
}

/**
 * Share of examples whose output is saturated: a sigmoid's p within the margin of 0 or 1, a softmax whose largest
 * probability is within the margin of 1 (then every other is within it of 0).
 */
export function outputSaturation(output: OutputActivation, A: Float64Array, units: number, m: number): number {
  let count = 0;
  for (let j = 0; j < m; j++) {
    if (output === 'sigmoid') {
      const p = A[j]!;
      if (p < SATURATION_MARGIN || p > 1 - SATURATION_MARGIN) count++;
      continue;
    }
    let best = 0;
    for (let k = 0; k < units; k++) best = Math.max(best, A[k * m + j]!);
    if (best > 1 - SATURATION_MARGIN) count++;
  }
  return count / m;
}

/** Share of relu units that output 0 on every example (rows of A, units × m). */
export function deadShare(A: Float64Array, units: number, m: number): number {
  let dead = 0;
  for (let i = 0; i < units; i++) {
    let alive = false;
    for (let j = 0; j < m && !alive; j++) alive = A[i * m + j]! !== 0;
    if (!alive) dead++;
  }
  return dead / units;
}

/**
 * The largest Euclidean distance between two units' incoming vectors (their row of W and their bias), null for a
 * one-unit layer. Exactly 0 when every unit is the same. Past PAIRWISE_SYMMETRY_UNITS units the pairs would cost
 * n²·fanIn per probe, so the distance to the first unit stands in: it is also 0 exactly when all are identical,
 * and the largest pairwise distance lies between it and twice it.
 */
export function layerSymmetry(
  P: Float64Array,
  slot: { w: number; b: number; rows: number; cols: number },
): number | null {
  const { w, b, rows, cols } = slot;
  if (rows < 2) return null;
  const distance = (i: number, k: number): number => {
    let s = (P[b + i]! - P[b + k]!) ** 2;
    for (let c = 0; c < cols; c++) s += (P[w + i * cols + c]! - P[w + k * cols + c]!) ** 2;
    return s;
  };
  let largest = 0;
  const firsts = rows > PAIRWISE_SYMMETRY_UNITS ? 1 : rows - 1;
  for (let i = 0; i < firsts; i++) for (let k = i + 1; k < rows; k++) largest = Math.max(largest, distance(i, k));
  return Math.sqrt(largest);
}

/** ‖W_after − W_before‖ / ‖W_before‖ per layer; null for a layer whose weights were all 0. */
export function updateRatios(layout: ParameterLayout, before: Float64Array, after: Float64Array): Array<number | null> {
  return layout.slots.map(({ w, rows, cols }) => {
    let delta = 0;
    let size = 0;
    for (let i = w; i < w + rows * cols; i++) {
      delta += (after[i]! - before[i]!) ** 2;
      size += before[i]! * before[i]!;
    }
    return size > 0 ? Math.sqrt(delta / size) : null;
  });
}
