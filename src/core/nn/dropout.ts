/**
 * Inverted dropout masks, the course's D_l = (rand(n_l, b) < keepProb), drawn for hidden layers 1 … L−1 in order,
 * each row-major, one batch at a time. The caller passes the RandomState: the trainer uses the single stream a
 * course-style numpy program would (np.random's global state), see train.ts.
 */
import type { RandomState } from '../random';

/** Allocates mask buffers for batches of up to `capacity` examples (one per hidden layer). */
export function createMasks(layers: readonly number[], capacity: number): Float64Array[] {
  const masks: Float64Array[] = [];
  for (let l = 1; l < layers.length - 1; l++) masks.push(new Float64Array(layers[l]! * capacity));
  return masks;
}

export function drawMasks(
  rng: RandomState,
  masks: Float64Array[],
  layers: readonly number[],
  b: number,
  keepProb: number,
) {
  for (let l = 1; l < layers.length - 1; l++) {
    const D = masks[l - 1]!;
    const n = layers[l]! * b;
    for (let t = 0; t < n; t++) D[t] = rng.randomSample() < keepProb ? 1 : 0;
  }
}
