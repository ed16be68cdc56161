/**
 * Initial parameters, as the course draws them: seed a RandomState with model.seed, then draw W1, W2, … in
 * order, each randn(n_l, n_{l−1}) row-major times the scheme's scale; biases are zero and draw nothing.
 */
import { RandomState } from '../random';
import type { InitKind, ModelConfig, Parameters } from '../types';
import { parameterLayout, viewsOf, type ParameterLayout } from './params';

/** The factor that multiplies randn for layer l's weights (fanIn = n_{l−1}). */
export function initScale(kind: InitKind, fanIn: number, randomScale: number): number {
  switch (kind) {
    case 'zeros':
      return 0;
    case 'random':
      return randomScale;
    case 'he':
      return Math.sqrt(2 / fanIn);
    case 'xavier':
      return Math.sqrt(1 / fanIn);
  }
}

/** The initial parameters as one flat buffer in the layout of params.ts; `rng` must be freshly seeded with model.seed. */
export function initialFlatParameters(
  model: ModelConfig,
  layout: ParameterLayout = parameterLayout(model.layers),
  rng: RandomState = new RandomState(model.seed),
): Float64Array {
  const flat = new Float64Array(layout.size);
  // zeros draws nothing, like the course's initialize_parameters_zeros.
  if (model.init === 'zeros') return flat;
  for (const s of layout.slots) {
    const scale = initScale(model.init, s.cols, model.initScale);
    // numpy computes randn(...) * scale: each gaussian rounded first, then multiplied.
    rng.fillStandardNormal(flat.subarray(s.w, s.w + s.rows * s.cols), scale);
  }
  return flat;
}

/** W1, b1, W2, b2, … as numpy would produce them for this model (views of one flat buffer). */
export function initializeParameters(model: ModelConfig): Parameters {
  const layout = parameterLayout(model.layers);
  return viewsOf(layout, initialFlatParameters(model, layout));
}
