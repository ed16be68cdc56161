/**
 * Mini-batches the course's way: epoch i (from 0) reseeds with shuffleSeed + i + 1, takes permutation(m), and cuts
 * consecutive batches of batchSize, the last one smaller. The trainer only needs the permutation and the batch
 * boundaries (`shuffleEpoch`, `batchCount`); `randomMiniBatches` builds the matrices themselves, as the lab's
 * random_mini_batches(X, Y, size, seed) does, for tests and user code.
 */
import type { RandomState } from '../random';
import type { Matrix } from '../types';

/** idx ← np.random.seed(seed); np.random.permutation(idx.length), without allocating. */
export function permutationInto(rng: RandomState, seed: number, idx: Int32Array): Int32Array {
  rng.seed(seed);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  return rng.shuffle(idx);
}

/** The permutation for epoch `epoch` (from 0) under the course's reseeding. */
export function shuffleEpoch(rng: RandomState, shuffleSeed: number, epoch: number, idx: Int32Array): Int32Array {
  return permutationInto(rng, shuffleSeed + epoch + 1, idx);
}

export function batchCount(m: number, batchSize: number): number {
  return Math.ceil(m / batchSize);
}

/** The lab's random_mini_batches: (X_batch, Y_batch) pairs of X[:, perm] and Y[:, perm] cut every batchSize. */
export function randomMiniBatches(
  rng: RandomState,
  X: Matrix,
  Y: Matrix,
  batchSize: number,
  seed: number,
): Array<[Matrix, Matrix]> {
  const m = X.cols;
  const perm = permutationInto(rng, seed, new Int32Array(m));
  const out: Array<[Matrix, Matrix]> = [];
  for (let from = 0; from < m; from += batchSize) {
    const to = Math.min(m, from + batchSize);
    out.push([columns(X, perm, from, to), columns(Y, perm, from, to)]);
  }
  return out;
}

function columns(A: Matrix, perm: Int32Array, from: number, to: number): Matrix {
  const b = to - from;
  const data = new Float64Array(A.rows * b);
  for (let r = 0; r < A.rows; r++) {
    for (let j = 0; j < b; j++) data[r * b + j] = A.data[r * A.cols + perm[from + j]!]!;
  }
  return { rows: A.rows, cols: b, data };
}
