/**
 * The tail that scikit-learn 1.2's make_moons and make_circles share, on the global numpy RNG:
 * `util_shuffle(X, y)` (which is `shuffle(arange(n))` then indexing), then `X += normal(scale=noise, size=(n, 2))`
 * drawn row-major, and finally the course layout (X transposed to 2 × m, Y as 1 × m).
 */
import type { Dataset } from '../types';
import type { RandomState } from '../random';

/** `xs`, `ys`, `labels` hold the unshuffled points (outer half first); n = xs.length. */
export function shuffleAddNoise(
  xs: Float64Array,
  ys: Float64Array,
  labels: Uint8Array,
  noise: number,
  rs: RandomState,
): Dataset {
  const m = xs.length;
  const order = rs.permutation(m);
  const X = new Float64Array(2 * m);
  const Y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const k = order[i]!;
    X[i] = xs[k]!;
    X[m + i] = ys[k]!;
    Y[i] = labels[k]!;
  }
  // numpy skips nothing for noise=0 either, but adding 0·g leaves every value unchanged, so we skip the draws.
  if (noise !== 0) {
    for (let i = 0; i < m; i++) {
      X[i] = X[i]! + rs.normal(0, noise);
      X[m + i] = X[m + i]! + rs.normal(0, noise);
    }
  }
  return { X: { rows: 2, cols: m, data: X }, Y: { rows: 1, cols: m, data: Y }, classes: 2 };
}
