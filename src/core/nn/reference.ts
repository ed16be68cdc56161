/**
 * The reference network: the course's forward and backward equations written out plainly over arrays of rows,
 * with nothing fast about it. It is the oracle the fast kernels (generated, wasm, tiled, generic) are tested
 * against; the trainer never calls it.
 *
 *   forward    Z[l] = W[l]·A[l−1] + b[l]        A[l] = g(Z[l])        (dropout: A[l] = A[l]·D[l] / keep_prob)
 *   output     sigmoid: loss = max(z, 0) − z·y + log(1 + e^−|z|)      softmax: loss = log Σ_k e^z_k − z_y
 *              dZ[L] = (A[L] − Y) / m     (Y one-hot for softmax)
 *   backward   dW[l] = dZ[l]·A[l−1]ᵀ     db[l] = Σ_columns dZ[l]     dA[l−1] = W[l]ᵀ·dZ[l]
 *              (dropout: dA[l−1] = dA[l−1]·D[l−1] / keep_prob)       dZ[l−1] = dA[l−1] ⊙ g′(Z[l−1])
 */
import type { Activation, OutputActivation } from '../types';

type Rows = number[][];

export interface ReferenceNetwork {
  activation: Activation;
  output: OutputActivation;
  /** W[l − 1] and b[l − 1] are layer l's (n_l × n_{l−1} and n_l). */
  W: Rows[];
  b: number[][];
  keepProb?: number;
  /** D[l − 1]: hidden layer l's 0/1 dropout mask, n_l × m. */
  D?: Rows[];
}

export interface ReferenceResult {
  /** Mean loss over the m examples. */
  cost: number;
  dW: Rows[];
  db: number[][];
}

const g: Record<Activation, (z: number) => number> = {
  relu: (z) => Math.max(0, z),
  leaky_relu: (z) => (z > 0 ? z : 0.01 * z),
  tanh: (z) => Math.tanh(z),
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  linear: (z) => z,
};

const gPrime: Record<Activation, (z: number) => number> = {
  relu: (z) => (z > 0 ? 1 : 0),
  leaky_relu: (z) => (z > 0 ? 1 : 0.01),
  tanh: (z) => 1 - Math.tanh(z) ** 2,
  sigmoid: (z) => g.sigmoid(z) * (1 - g.sigmoid(z)),
  linear: () => 1,
};

const matmul = (A: Rows, B: Rows): Rows =>
  A.map((row) => B[0]!.map((_, j) => row.reduce((sum, a, k) => sum + a * B[k]![j]!, 0)));
const transpose = (A: Rows): Rows => A[0]!.map((_, j) => A.map((row) => row[j]!));
const map2 = (A: Rows, B: Rows, f: (a: number, b: number) => number): Rows =>
  A.map((row, i) => row.map((a, j) => f(a, B[i]![j]!)));
const mapRows = (A: Rows, f: (a: number) => number): Rows => A.map((row) => row.map(f));

/** Cost and gradients of the mean loss over the columns of X (n0 × m) with labels y (m). */
export function referenceGradients(net: ReferenceNetwork, X: Rows, y: number[]): ReferenceResult {
  const L = net.W.length;
  const m = y.length;
  const keepProb = net.keepProb ?? 1;
  const Z: Rows[] = [];
  const A: Rows[] = [X];
  for (let l = 1; l <= L; l++) {
    const bias = net.b[l - 1]!;
    Z[l] = matmul(net.W[l - 1]!, A[l - 1]!).map((row, i) => row.map((z) => z + bias[i]!));
    if (l === L) break;
    A[l] = mapRows(Z[l]!, g[net.activation]);
    if (net.D) A[l] = map2(A[l]!, net.D[l - 1]!, (a, d) => (a * d) / keepProb);
  }

  const ZL = Z[L]!;
  let total = 0;
  let dZ: Rows;
  if (net.output === 'sigmoid') {
    const z = ZL[0]!;
    z.forEach((zj, j) => (total += Math.max(zj, 0) - zj * y[j]! + Math.log(1 + Math.exp(-Math.abs(zj)))));
    dZ = [z.map((zj, j) => (g.sigmoid(zj) - y[j]!) / m)];
  } else {
    dZ = ZL.map((row) => row.map(() => 0));
    for (let j = 0; j < m; j++) {
      const column = ZL.map((row) => row[j]!);
      const max = Math.max(...column);
      const sum = column.reduce((s, zk) => s + Math.exp(zk - max), 0);
      total += Math.log(sum) + max - column[y[j]!]!;
      column.forEach((zk, k) => (dZ[k]![j] = (Math.exp(zk - max) / sum - (k === y[j] ? 1 : 0)) / m));
    }
  }

  const dW: Rows[] = [];
  const db: number[][] = [];
  for (let l = L; l >= 1; l--) {
    dW[l - 1] = matmul(dZ, transpose(A[l - 1]!));
    db[l - 1] = dZ.map((row) => row.reduce((s, v) => s + v, 0));
    if (l === 1) break;
    let dA = matmul(transpose(net.W[l - 1]!), dZ);
    if (net.D) dA = map2(dA, net.D[l - 2]!, (a, d) => (a * d) / keepProb);
    dZ = map2(dA, Z[l - 1]!, (da, z) => da * gPrime[net.activation](z));
  }
  return { cost: total / m, dW, db };
}
