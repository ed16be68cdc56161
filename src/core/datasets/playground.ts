/**
 * TensorFlow Playground's 2-D sets (xor, gauss, spiral), re-defined on numpy's RandomState so a seed reproduces
 * them. Geometry follows the Playground; the exact draw order, label mapping and multi-class extension are NN Lab's
 * own and are specified in docs/datasets.md. Points are emitted class by class, unshuffled.
 */
import type { Dataset } from '../types';
import { RandomState } from '../random';
import { DatasetError, checkNoise, checkSamples } from './errors';

/** Sizes of K classes sharing n points: ⌊n/K⌋ each, the first n mod K classes one more. */
function classSizes(samples: number, classes: number): number[] {
  const base = Math.floor(samples / classes);
  return Array.from({ length: classes }, (_, k) => base + (k < samples % classes ? 1 : 0));
}

function checkClasses(dataset: string, classes: number): void {
  if (!Number.isInteger(classes) || classes < 2) {
    throw new DatasetError(`${dataset}: classes must be an integer ≥ 2, got ${classes}`);
  }
}

function emptySet(samples: number, classes: number): Dataset {
  return {
    X: { rows: 2, cols: samples, data: new Float64Array(2 * samples) },
    Y: { rows: 1, cols: samples, data: new Float64Array(samples) },
    classes,
  };
}

/** U(lo, hi) the Playground's way: random()·(hi − lo) + lo. */
function uniform(rs: RandomState, lo: number, hi: number): number {
  return rs.randomSample() * (hi - lo) + lo;
}

/**
 * Quadrant labels: x, y ~ U(−5, 5) pushed 0.3 away from each axis; the label is 1 when the noisy point
 * (x + 5·noise·U(−1,1)…) lies in the 1st or 3rd quadrant. As in the Playground, the noise moves labels, not points.
 */
export function xor(samples: number, noise: number, seed: number): Dataset {
  checkSamples('xor', samples);
  checkNoise('xor', noise);
  const rs = new RandomState(seed);
  const d = emptySet(samples, 2);
  const X = d.X.data;
  for (let i = 0; i < samples; i++) {
    let x = uniform(rs, -5, 5);
    x += x > 0 ? 0.3 : -0.3;
    let y = uniform(rs, -5, 5);
    y += y > 0 ? 0.3 : -0.3;
    const nx = uniform(rs, -5, 5) * noise;
    const ny = uniform(rs, -5, 5) * noise;
    X[i] = x;
    X[samples + i] = y;
    d.Y.data[i] = (x + nx) * (y + ny) >= 0 ? 1 : 0;
  }
  return d;
}

/**
 * Isotropic gaussian blobs with variance 0.5 + 7·noise (the Playground's linear map of noise 0…0.5 onto 0.5…4).
 * Class k is centred at radius 2√2, angle 5π/4 + 2πk/K; for K = 2 that is (−2, −2) for 0 and (2, 2) for 1.
 */
export function gauss(samples: number, noise: number, seed: number, classes = 2): Dataset {
  checkSamples('gauss', samples);
  checkNoise('gauss', noise);
  checkClasses('gauss', classes);
  const rs = new RandomState(seed);
  const d = emptySet(samples, classes);
  const X = d.X.data;
  const sd = Math.sqrt(0.5 + 7 * noise);
  let i = 0;
  classSizes(samples, classes).forEach((size, k) => {
    const angle = (5 * Math.PI) / 4 + (2 * Math.PI * k) / classes;
    const cx = 2 * Math.SQRT2 * Math.cos(angle);
    const cy = 2 * Math.SQRT2 * Math.sin(angle);
    for (let j = 0; j < size; j++, i++) {
      X[i] = cx + sd * rs.standardNormal();
      X[samples + i] = cy + sd * rs.standardNormal();
      d.Y.data[i] = k;
    }
  });
  return d;
}

/**
 * Interleaved spiral arms: for the j-th of n_k points of class k, r = 5j/n_k and t = 1.75·2π·j/n_k + 2πk/K;
 * the point is (r·sin t + noise·U(−1,1), r·cos t + noise·U(−1,1)). K = 2 gives the Playground's two arms.
 */
export function spiral(samples: number, noise: number, seed: number, classes = 2): Dataset {
  checkSamples('spiral', samples);
  checkNoise('spiral', noise);
  checkClasses('spiral', classes);
  const rs = new RandomState(seed);
  const d = emptySet(samples, classes);
  const X = d.X.data;
  let i = 0;
  classSizes(samples, classes).forEach((size, k) => {
    const deltaT = (2 * Math.PI * k) / classes;
    for (let j = 0; j < size; j++, i++) {
      const r = (j / size) * 5;
      const t = ((1.75 * j) / size) * 2 * Math.PI + deltaT;
      X[i] = r * Math.sin(t) + uniform(rs, -1, 1) * noise;
      X[samples + i] = r * Math.cos(t) + uniform(rs, -1, 1) * noise;
      d.Y.data[i] = k;
    }
  });
  return d;
}
