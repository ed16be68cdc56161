/**
 * A gradient-check problem for NN Lab's own network: the analytic gradient is the trainer's backprop
 * (costAndGradients), J(θ′) is the same cost from a forward pass alone (costFunction), and the kink inputs are the
 * hidden pre-activations when the hidden activation has a kink at 0 (relu, leaky_relu). Dropout masks, when given,
 * stay fixed for every evaluation, so J is a deterministic function of θ.
 */
import type { Matrix, ModelConfig, Parameters } from '../types';
import { costAndGradients, costFunction, flatten, parameterLayout, type CostAndGradientsOptions } from '../nn';
import type { CheckProblem, TensorSpec } from './check';

const KINKED = new Set(['relu', 'leaky_relu']);

export function tensorSpecs(layers: readonly number[]): TensorSpec[] {
  return parameterLayout(layers).slots.flatMap((s, i) => [
    { name: `W${i + 1}`, rows: s.rows, cols: s.cols },
    { name: `b${i + 1}`, rows: s.rows, cols: 1 },
  ]);
}

export function networkProblem(
  params: Parameters,
  X: Matrix,
  Y: Matrix,
  model: ModelConfig,
  opts: CostAndGradientsOptions,
): CheckProblem {
  const layout = parameterLayout(model.layers);
  const kinked = KINKED.has(model.activation);
  const hidden = model.layers.length - 2;
  const hiddenSize = model.layers.slice(1, -1).reduce((a, n) => a + n * X.cols, 0);
  // J(θ ± ε) needs the cost only: a forward pass on one reused workspace, not a backward pass per evaluation.
  const J = costFunction(X, Y, model, opts);
  const evaluate = (theta: Float64Array) => {
    const cost = J.cost(theta);
    if (!kinked) return { cost };
    const kinkInputs = new Float64Array(hiddenSize);
    let at = 0;
    for (let l = 1; l <= hidden; l++) {
      const z = J.preActivation(l);
      kinkInputs.set(z, at);
      at += z.length;
    }
    return { cost, kinkInputs };
  };
  const theta = flatten(layout, params);
  const analytic = flatten(layout, costAndGradients(params, X, Y, model, opts).grads, 'd');
  return { tensors: tensorSpecs(model.layers), theta, analytic, evaluate };
}
