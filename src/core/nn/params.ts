/**
 * Where each parameter lives in one flat Float64Array: W1, b1, W2, b2, … in declared order, each row-major.
 * Training keeps parameters, gradients and optimizer state as flat arrays so that an optimizer step is one loop;
 * the `Parameters` map handed out holds views (subarrays) of the flat buffer, so no copy is made either way.
 * The order is also the gradient-checking lab's flattening order.
 */
import { toRows } from '../matrix';
import type { Matrix, Parameters } from '../types';

export interface LayerSlots {
  /** Offset of W_l (n_l × n_{l−1}, row-major). */
  w: number;
  /** Offset of b_l (n_l values). */
  b: number;
  rows: number;
  cols: number;
}

export interface ParameterLayout {
  layers: readonly number[];
  /** slots[l − 1] describes layer l. */
  slots: LayerSlots[];
  size: number;
}

export function parameterLayout(layers: readonly number[]): ParameterLayout {
  const slots: LayerSlots[] = [];
  let offset = 0;
  for (let l = 1; l < layers.length; l++) {
    const rows = layers[l]!;
    const cols = layers[l - 1]!;
    slots.push({ w: offset, b: offset + rows * cols, rows, cols });
    offset += rows * cols + rows;
  }
  return { layers, slots, size: offset };
}

/** Matrix views of a flat buffer, keyed `${prefix}W1`, `${prefix}b1`, … (prefix "d" for gradients). */
export function viewsOf(layout: ParameterLayout, flat: Float64Array, prefix = ''): Parameters {
  const out: Parameters = new Map();
  layout.slots.forEach((s, i) => {
    out.set(`${prefix}W${i + 1}`, { rows: s.rows, cols: s.cols, data: flat.subarray(s.w, s.w + s.rows * s.cols) });
    out.set(`${prefix}b${i + 1}`, { rows: s.rows, cols: 1, data: flat.subarray(s.b, s.b + s.rows) });
  });
  return out;
}

/** Copies a parameter map (keys `${prefix}W1` …) into a new flat buffer, checking every shape. */
export function flatten(layout: ParameterLayout, params: Parameters, prefix = ''): Float64Array {
  const flat = new Float64Array(layout.size);
  layout.slots.forEach((s, i) => {
    copyInto(flat, s.w, params.get(`${prefix}W${i + 1}`), `${prefix}W${i + 1}`, s.rows, s.cols);
    copyInto(flat, s.b, params.get(`${prefix}b${i + 1}`), `${prefix}b${i + 1}`, s.rows, 1);
  });
  return flat;
}

function copyInto(flat: Float64Array, offset: number, m: Matrix | undefined, key: string, rows: number, cols: number) {
  if (!m) throw new RangeError(`missing parameter ${key}`);
  if (m.rows !== rows || m.cols !== cols) {
    throw new RangeError(`${key} is ${m.rows}×${m.cols}, expected ${rows}×${cols}`);
  }
  flat.set(m.data, offset);
}

/** Sum of squares of the weights (not the biases): the ΣW² of the L2 penalty. */
export function weightSquares(layout: ParameterLayout, flat: Float64Array): number {
  let sum = 0;
  for (const s of layout.slots) {
    const end = s.w + s.rows * s.cols;
    for (let i = s.w; i < end; i++) sum += flat[i]! * flat[i]!;
  }
  return sum;
}

/** G_W += scale·W for every weight matrix: the L2 penalty's gradient, λ/m·W. */
export function addWeightDecay(layout: ParameterLayout, flat: Float64Array, grads: Float64Array, scale: number): void {
  for (const s of layout.slots) {
    const end = s.w + s.rows * s.cols;
    for (let i = s.w; i < end; i++) grads[i] += scale * flat[i]!;
  }
}

export function allFinite(flat: Float64Array): boolean {
  for (let i = 0; i < flat.length; i++) if (!Number.isFinite(flat[i]!)) return false;
  return true;
}

/** W1, b1, … as nested rows (numpy's row-major layout), the form results and model modules carry them in. */
export function rowsOfParameters(params: Parameters): Record<string, number[][]> {
  return Object.fromEntries([...params].map(([key, value]) => [key, toRows(value)]));
}
