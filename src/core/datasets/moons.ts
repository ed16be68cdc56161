/** scikit-learn 1.2's `make_moons(n, noise=noise)` right after `np.random.seed(seed)` (random_state=None). */
import type { Dataset } from '../types';
import { RandomState } from '../random';
import { checkNoise, checkSamples } from './errors';
import { linspace } from './linspace';
import { shuffleAddNoise } from './sklearn';

export function moons(samples: number, noise: number, seed: number): Dataset {
  checkSamples('moons', samples);
  checkNoise('moons', noise);
  const nOut = Math.floor(samples / 2);
  const nIn = samples - nOut;
  const tOut = linspace(0, Math.PI, nOut);
  const tIn = linspace(0, Math.PI, nIn);
  const xs = new Float64Array(samples);
  const ys = new Float64Array(samples);
  const labels = new Uint8Array(samples);
  for (let i = 0; i < nOut; i++) {
    xs[i] = Math.cos(tOut[i]!);
    ys[i] = Math.sin(tOut[i]!);
  }
  for (let i = 0; i < nIn; i++) {
    xs[nOut + i] = 1 - Math.cos(tIn[i]!);
    ys[nOut + i] = 1 - Math.sin(tIn[i]!) - 0.5;
    labels[nOut + i] = 1;
  }
  return shuffleAddNoise(xs, ys, labels, noise, new RandomState(seed));
}
