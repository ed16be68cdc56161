/**
 * Prediction with trained parameters: class probabilities (for decision boundaries) and labels. Uses the tiled
 * wasm products for networks where they pay (the generic kernels' numbers to the bit, several times faster on
 * wide layers) and WebAssembly runs, else the generic kernels, never `new Function`, so it also runs under a strict CSP (a webview).
 */
import type { Matrix, ModelConfig, Parameters } from '../types';
import { createWorkspace, forwardLoss, network } from './network';
import { flatten, parameterLayout } from './params';
import { identity, tiledPays } from './kernels';
import { TiledNetwork } from './wasm/tiled';

/** Examples predicted at once by the tiled kernels. */
const PREDICT_CHUNK = 1024;

/** Output probabilities for the columns of X (features × m): 1 × m for sigmoid, classes × m for softmax. */
export function predictProba(
  params: Parameters,
  model: Pick<ModelConfig, 'layers' | 'activation' | 'output'>,
  X: Matrix,
): Matrix {
  const layout = parameterLayout(model.layers);
  if (X.rows !== model.layers[0]) {
    throw new RangeError(`X has ${X.rows} features, the model expects ${model.layers[0]}`);
  }
  const net = network(layout, model.activation, model.output);
  const m = X.cols;
  const P = flatten(layout, params);
  const units = layout.slots[layout.slots.length - 1]!.rows;
  const shape = { layout, activation: model.activation, output: model.output, keepProb: 1 };
  // Labels are irrelevant here (zeros): only the probabilities are kept.
  // In chunks: a network sized for the whole set would allocate (and first touch) every layer's outputs for every
  // example, more than the data itself; each example's column is computed alone, so the chunks change no bit.
  const chunk = Math.min(m, PREDICT_CHUNK);
  const tiled = tiledPays(layout.size)
    ? TiledNetwork.create(shape, X.data, new Float64Array(m), m, chunk, false)
    : null;
  if (tiled) {
    tiled.mP.set(P);
    const idx = identity(m);
    const out = new Float64Array(units * m);
    for (let from = 0; from < m; from += chunk) {
      const b = tiled.gather(idx, from, Math.min(m, from + chunk));
      const probabilities = tiled.probabilities(b);
      for (let u = 0; u < units; u++) out.set(probabilities.subarray(u * b, (u + 1) * b), u * m + from);
    }
    return { rows: units, cols: m, data: out };
  }
  const ws = createWorkspace(model.layers, m, false);
  ws.A[0]!.set(X.data);
  forwardLoss(net, P, ws, m);
  const L = layout.slots.length;
  return { rows: units, cols: m, data: ws.A[L]!.slice(0, units * m) };
}

/** Predicted labels from probabilities: p > 0.5 for sigmoid (the course's rule), the first argmax for softmax. */
export function labelsFromProba(proba: Matrix): Float64Array {
  const { rows, cols, data } = proba;
  const out = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    if (rows === 1) {
      out[j] = data[j]! > 0.5 ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let k = 1; k < rows; k++) if (data[k * cols + j]! > data[best * cols + j]!) best = k;
    out[j] = best;
  }
  return out;
}

export function predict(params: Parameters, model: ModelConfig, X: Matrix): Float64Array {
  return labelsFromProba(predictProba(params, model, X));
}
