/**
 * The cost and its exact gradient for one batch, as the course's forward/backward pair computes them:
 *   cost = (1/m)·Σ loss + λ/(2m)·Σ_l ‖W_l‖²,   dW_l += λ/m·W_l.
 * Straightforward on purpose (the generic kernels, fresh buffers): gradient checking builds on it.
 */
import type { Matrix, ModelConfig, Parameters } from '../types';
import { backward, createWorkspace, forward, forwardLoss, network } from './network';
import { addWeightDecay, flatten, parameterLayout, viewsOf, weightSquares, type ParameterLayout } from './params';

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

/** The network, its workspace with X and Y in place, and the masks, as both functions below evaluate them. */
function prepare(X: Matrix, Y: Matrix, model: ModelConfig, opts: CostAndGradientsOptions) {
  const layout = parameterLayout(model.layers);
  const m = X.cols;
  if (X.rows !== model.layers[0]) throw new RangeError(`X has ${X.rows} rows, the model expects ${model.layers[0]}`);
  if (Y.cols !== m) throw new RangeError(`Y has ${Y.cols} columns, X has ${m}`);
  const masks = opts.dropoutMasks ?? null;
  const net = network(layout, model.activation, model.output, masks ? (opts.keepProb ?? model.keepProb) : 1);
  const ws = createWorkspace(model.layers, m, masks !== null);
  ws.A[0]!.set(X.data);
  ws.Y.set(Y.data);
  return { layout, m, masks, net, ws };
}

/** The mean loss plus the L2 term, from the summed loss of the batch. */
function costOf(loss: number, m: number, layout: ParameterLayout, P: Float64Array, l2: number): number {
  let cost = loss / m;
  if (l2 !== 0) cost += (l2 / (2 * m)) * weightSquares(layout, P);
  return cost;
}

export function costAndGradients(
  params: Parameters,
  X: Matrix,
  Y: Matrix,
  model: ModelConfig,
  opts: CostAndGradientsOptions,
): CostAndGradients {
  const { layout, m, masks, net, ws } = prepare(X, Y, model, opts);
  const P = flatten(layout, params);
  const G = new Float64Array(layout.size);
  forward(net, P, ws, m, masks);
  const cost = costOf(backward(net, P, G, ws, m, 1 / m, masks), m, layout, P, opts.l2);
  if (opts.l2 !== 0) addWeightDecay(layout, P, G, opts.l2 / m);
  const preActivations = layout.slots.map((s, i) => ({
    rows: s.rows,
    cols: m,
    data: ws.Z[i + 1]!.slice(0, s.rows * m),
  }));
  return { cost, grads: viewsOf(layout, G, 'd'), preActivations };
}

/** J(θ) alone, evaluated many times (a gradient check: two per checked entry). */
export interface CostFunction {
  /** The cost of costAndGradients, to the bit, for flat parameters θ (params.ts's layout); no backward pass. */
  cost(theta: Float64Array): number;
  /** Z_l (n_l × m, row-major, l from 1) of the last cost() call: a view of the workspace, valid until the next. */
  preActivation(l: number): Float64Array;
}

export function costFunction(X: Matrix, Y: Matrix, model: ModelConfig, opts: CostAndGradientsOptions): CostFunction {
  const { layout, m, masks, net, ws } = prepare(X, Y, model, opts);
  return {
    cost: (theta) => costOf(forwardLoss(net, theta, ws, m, masks), m, layout, theta, opts.l2),
    preActivation: (l) => ws.Z[l]!.subarray(0, layout.slots[l - 1]!.rows * m),
  };
}
