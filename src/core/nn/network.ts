/**
 * The generic forward and backward passes, layer by layer over a batch, into preallocated buffers.
 *
 * Shapes follow the course: a layer's activations are n_l × b (row-major, row stride b, one column per example),
 * Z_l = W_l·H_{l−1} + b_l, A_l = g(Z_l), and H_l = A_l, or A_l ⊙ D_l / keepProb under inverted dropout. Every sum
 * runs over its index in ascending order starting from 0, the same order the generated kernels (codegen.ts) use,
 * which is what lets the two agree bit for bit. Nothing here allocates: buffers live in a Workspace sized once.
 */
import type { Activation, OutputActivation } from '../types';
import { ACTIVATIONS, type ActivationFns } from './activations';
import { outputLayer } from './loss';
import type { ParameterLayout } from './params';

export interface Network {
  layout: ParameterLayout;
  activation: ActivationFns;
  output: OutputActivation;
  keepProb: number;
}

export function network(layout: ParameterLayout, activation: Activation, output: OutputActivation, keepProb = 1) {
  const units = layout.layers[layout.layers.length - 1];
  if (output === 'sigmoid' && units !== 1) throw new RangeError(`a sigmoid output has 1 unit, got ${units}`);
  if (output === 'softmax' && (units ?? 0) < 2) throw new RangeError(`a softmax output needs ≥ 2 units, got ${units}`);
  return { layout, activation: ACTIVATIONS[activation], output, keepProb } satisfies Network;
}

/** Buffers for batches of up to `capacity` examples; index l is layer l (index 0 of Z, A, dZ is unused). */
export interface Workspace {
  capacity: number;
  Z: Float64Array[];
  /** A[0] is the input batch; A[l] = g(Z_l) before dropout; A[L] holds the output probabilities. */
  A: Float64Array[];
  /** The input of layer l + 1: A[l] itself without dropout, else its masked and rescaled copy. */
  H: Float64Array[];
  dZ: Float64Array[];
  /** Scratch for W_lᵀ·dZ_l, sized for the widest hidden layer. */
  dA: Float64Array;
  /** The batch's labels. */
  Y: Float64Array;
}

export function createWorkspace(layers: readonly number[], capacity: number, dropout: boolean): Workspace {
  const L = layers.length - 1;
  const Z: Float64Array[] = [];
  const A: Float64Array[] = [];
  const H: Float64Array[] = [];
  const dZ: Float64Array[] = [];
  let widest = 0;
  for (let l = 0; l <= L; l++) {
    const size = layers[l]! * capacity;
    Z.push(new Float64Array(l === 0 ? 0 : size));
    dZ.push(new Float64Array(l === 0 ? 0 : size));
    A.push(new Float64Array(size));
    H.push(dropout && l > 0 && l < L ? new Float64Array(size) : A[l]!);
    if (l > 0 && l < L) widest = Math.max(widest, layers[l]!);
  }
  return { capacity, Z, A, H, dZ, dA: new Float64Array(widest * capacity), Y: new Float64Array(capacity) };
}

/**
 * Copies examples idx[from], …, idx[to − 1] of X (n0 × M) and Y (1 × M) into the workspace's input batch:
 * numpy's X[:, permutation][:, from:to].
 */
export function gatherBatch(
  ws: Workspace,
  n0: number,
  X: Float64Array,
  Y: Float64Array,
  M: number,
  idx: Int32Array,
  from: number,
  to: number,
): number {
  const b = to - from;
  const A0 = ws.A[0]!;
  for (let k = 0; k < n0; k++) {
    const row = k * M;
    for (let j = 0; j < b; j++) A0[k * b + j] = X[row + idx[from + j]!]!;
  }
  for (let j = 0; j < b; j++) ws.Y[j] = Y[idx[from + j]!]!;
  return b;
}

/** Z_l, A_l, H_l for every layer, and Z_L; `masks[l − 1]` is hidden layer l's 0/1 dropout mask (n_l × b). */
export function forward(net: Network, P: Float64Array, ws: Workspace, b: number, masks: Float64Array[] | null): void {
  const { slots } = net.layout;
  const L = slots.length;
  const g = net.activation;
  for (let l = 1; l <= L; l++) {
    const { w, b: bias, rows, cols } = slots[l - 1]!;
    const Hin = ws.H[l - 1]!;
    const Z = ws.Z[l]!;
    for (let i = 0; i < rows; i++) {
      const zi = i * b;
      Z.fill(0, zi, zi + b);
      for (let k = 0; k < cols; k++) {
        const wik = P[w + i * cols + k]!;
        const hk = k * b;
        for (let j = 0; j < b; j++) Z[zi + j] += wik * Hin[hk + j]!;
      }
      const bi = P[bias + i]!;
      for (let j = 0; j < b; j++) Z[zi + j] += bi;
    }
    if (l === L) break;
    const A = ws.A[l]!;
    const n = rows * b;
    for (let t = 0; t < n; t++) A[t] = g.forward(Z[t]!);
    if (masks) {
      // The course's inverted dropout: A = A * D, then A = A / keep_prob.
      const H = ws.H[l]!;
      const D = masks[l - 1]!;
      for (let t = 0; t < n; t++) H[t] = (A[t]! * D[t]!) / net.keepProb;
    }
  }
}

/**
 * Output layer and backward pass after `forward`: returns the loss summed over the batch and writes the gradient
 * of (summed loss)·invM into G (overwriting it, same flat layout as P). invM is 1/b for the batch mean.
 */
export function backward(
  net: Network,
  P: Float64Array,
  G: Float64Array,
  ws: Workspace,
  b: number,
  invM: number,
  masks: Float64Array[] | null,
): number {
  const { slots } = net.layout;
  const L = slots.length;
  const g = net.activation;
  const loss = outputLayer(net.output, slots[L - 1]!.rows, ws.Z[L]!, ws.Y, b, ws.A[L]!, ws.dZ[L]!, invM);
  for (let l = L; l >= 1; l--) {
    const { w, b: bias, rows, cols } = slots[l - 1]!;
    const dZ = ws.dZ[l]!;
    const Hin = ws.H[l - 1]!;
    // dW_l = dZ_l · H_{l−1}ᵀ and db_l = Σ_j dZ_l.
    for (let i = 0; i < rows; i++) {
      const zi = i * b;
      for (let k = 0; k < cols; k++) {
        const hk = k * b;
        let s = 0;
        for (let j = 0; j < b; j++) s += dZ[zi + j]! * Hin[hk + j]!;
        G[w + i * cols + k] = s;
      }
      let s = 0;
      for (let j = 0; j < b; j++) s += dZ[zi + j]!;
      G[bias + i] = s;
    }
    if (l === 1) break;
    // dA_{l−1} = W_lᵀ · dZ_l, then back through dropout and g′.
    const dA = ws.dA;
    const n = cols * b;
    dA.fill(0, 0, n);
    for (let k = 0; k < cols; k++) {
      const ak = k * b;
      for (let i = 0; i < rows; i++) {
        const wik = P[w + i * cols + k]!;
        const zi = i * b;
        for (let j = 0; j < b; j++) dA[ak + j] += wik * dZ[zi + j]!;
      }
    }
    if (masks) {
      const D = masks[l - 2]!;
      for (let t = 0; t < n; t++) dA[t] = (dA[t]! * D[t]!) / net.keepProb;
    }
    const Zp = ws.Z[l - 1]!;
    const Ap = ws.A[l - 1]!;
    const dZp = ws.dZ[l - 1]!;
    for (let t = 0; t < n; t++) dZp[t] = dA[t]! * g.derivative(Zp[t]!, Ap[t]!);
  }
  return loss;
}

/** The summed loss of a batch already in the workspace, without gradients (dropout only with fixed `masks`). */
export function forwardLoss(
  net: Network,
  P: Float64Array,
  ws: Workspace,
  b: number,
  masks: Float64Array[] | null = null,
): number {
  forward(net, P, ws, b, masks);
  const L = net.layout.slots.length;
  return outputLayer(net.output, net.layout.slots[L - 1]!.rows, ws.Z[L]!, ws.Y, b, ws.A[L]!, null, 0);
}
