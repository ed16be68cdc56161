/** scikit-learn 1.2's `make_circles(n, noise=noise, factor=factor)` right after `np.random.seed(seed)`. */
import type { Dataset } from '../types';
import { RandomState } from '../random';
import { DatasetError, checkNoise, checkSamples } from './errors';
import { linspace } from './linspace';
import { shuffleAddNoise } from './sklearn';

export function circles(samples: number, noise: number, seed: number, factor: number): Dataset {
  checkSamples('circles', samples);
  checkNoise('circles', noise);
  if (!(factor >= 0 && factor < 1)) throw new DatasetError(`circles: factor must be in [0, 1), got ${factor}`);
  const nOut = Math.floor(samples / 2);
  const nIn = samples - nOut;
  // endpoint=False so the first point is not repeated as the last.
  const tOut = linspace(0, 2 * Math.PI, nOut, false);
  const tIn = linspace(0, 2 * Math.PI, nIn, false);
  const xs = new Float64Array(samples);
  const ys = new Float64Array(samples);
  const labels = new Uint8Array(samples);
  for (let i = 0; i < nOut; i++) {
    xs[i] = Math.cos(tOut[i]!);
    ys[i] = Math.sin(tOut[i]!);
  }
  for (let i = 0; i < nIn; i++) {
    xs[nOut + i] = Math.cos(tIn[i]!) * factor;
    ys[nOut + i] = Math.sin(tIn[i]!) * factor;
    labels[nOut + i] = 1;
  }
  return shuffleAddNoise(xs, ys, labels, noise, new RandomState(seed));
}
