/**
 * The cost and its exact gradient for one batch, as the course's forward/backward pair computes them:
 *   cost = (1/m)·Σ loss + λ/(2m)·Σ_l ‖W_l‖²,   dW_l += λ/m·W_l.
 * Straightforward on purpose (the generic kernels, fresh buffers): gradient checking builds on it.
 */
import type { Matrix, ModelConfig, Parameters } from '../types';
import { backward, createWorkspace, forward, network } from './network';
import { addWeightDecay, flatten, parameterLayout, viewsOf, weightSquares } from './params';

export interface CostAndGradientsOptions {
  /** λ of the L2 penalty (0 for none). */
  l2: number;
  /** One 0/1 mask per hidden layer (n_l × m, row-major), the course's D1, D2, …; omit for no dropout. */
  dropoutMasks?: Float64Array[];
  /** Required with dropoutMasks: the keep probability the masks were drawn with. Defaults to model.keepProb. */
  keepProb?: number;
}

export interface CostAndGradients {
  cost: number;
  /** dW1, db1, dW2, … in the parameters' shapes. */
  grads: Parameters;
  /** Z1 … ZL (n_l × m), the forward pass's pre-activations. */
  preActivations: Matrix[];
}

export function costAndGradients(
  params: Parameters,
  X: Matrix,
  Y: Matrix,
  model: ModelConfig,
  opts: CostAndGradientsOptions,
): CostAndGradients {
  const layout = parameterLayout(model.layers);
  const m = X.cols;
  if (X.rows !== model.layers[0]) throw new RangeError(`X has ${X.rows} rows, the model expects ${model.layers[0]}`);
  if (Y.cols !== m) throw new RangeError(`Y has ${Y.cols} columns, X has ${m}`);
  const masks = opts.dropoutMasks ?? null;
  const net = network(layout, model.activation, model.output, masks ? (opts.keepProb ?? model.keepProb) : 1);
  const P = flatten(layout, params);
  const G = new Float64Array(layout.size);
  const ws = createWorkspace(model.layers, m, masks !== null);
  ws.A[0]!.set(X.data);
  ws.Y.set(Y.data);
  forward(net, P, ws, m, masks);
  const loss = backward(net, P, G, ws, m, 1 / m, masks);
  let cost = loss / m;
  if (opts.l2 !== 0) {
    cost += (opts.l2 / (2 * m)) * weightSquares(layout, P);
    addWeightDecay(layout, P, G, opts.l2 / m);
  }
  const preActivations = layout.slots.map((s, i) => ({
    rows: s.rows,
    cols: m,
    data: ws.Z[i + 1]!.slice(0, s.rows * m),
  }));
  return { cost, grads: viewsOf(layout, G, 'd'), preActivations };
}
