/**
 * The decision-boundary grid: the model's class probabilities over the data's range plus a margin, computed on the
 * host (or worker / CLI) from the final parameters, so the webview only draws. One forward pass over all cells.
 */
import { fromRows } from '../core/matrix';
import { predictProba } from '../core/nn/predict';
import { parameterLayout, viewsOf } from '../core/nn/params';
import type { Dataset, Matrix, ModelConfig, Parameters } from '../core/types';
import type { BoundaryGrid, GridAxis, PointSet } from '../protocol/charts';

/** What the charts need of a model: its shape and activations (ChartRun.model). */
export type NetworkModel = Pick<ModelConfig, 'layers' | 'activation' | 'output'>;

export interface BoundaryOptions {
  /** Cells per axis (≥ 2); the default 100 gives 100 × 100 cells. */
  cells?: number;
  /** Margin around the points on each side, as a fraction of the data's span on that axis. */
  margin?: number;
}

function axisOver(values: ArrayLike<number>[], cells: number, margin: number): GridAxis {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    for (let i = 0; i < v.length; i++) {
      if (v[i]! < min) min = v[i]!;
      if (v[i]! > max) max = v[i]!;
    }
  }
  if (!Number.isFinite(min)) [min, max] = [-1, 1];
  const span = max - min || 1;
  return { min: min - margin * span, max: max + margin * span, n: cells };
}

/** Row f of X (features × m) as a plain array. */
function feature(X: Matrix, f: number): number[] {
  return Array.from(X.data.subarray(f * X.cols, (f + 1) * X.cols));
}

function pointSet(data: Dataset): PointSet {
  return { x: feature(data.X, 0), y: feature(data.X, 1), label: Array.from(data.Y.data) };
}

/**
 * P(class) over a cells × cells grid spanning the training (and test) points plus a margin.
 * Only for two-feature data: the heatmap's axes are the two features.
 */
export function boundaryGrid(
  params: Parameters,
  model: ModelConfig,
  train: Dataset,
  test?: Dataset,
  options: BoundaryOptions = {},
): BoundaryGrid {
  if (train.X.rows !== 2) throw new RangeError(`a decision boundary needs 2 features, the data has ${train.X.rows}`);
  const cells = Math.max(2, Math.floor(options.cells ?? 100));
  const margin = options.margin ?? 0.1;
  const sets = test ? [train, test] : [train];
  const x = axisOver(
    sets.map((d) => d.X.data.subarray(0, d.X.cols)),
    cells,
    margin,
  );
  const y = axisOver(
    sets.map((d) => d.X.data.subarray(d.X.cols, 2 * d.X.cols)),
    cells,
    margin,
  );

  const grid: BoundaryGrid = {
    x,
    y,
    classes: Math.max(2, train.classes),
    ...cellProbabilities(params, model, x, y),
    train: pointSet(train),
  };
  // A softmax's classes are its output units.
  if (grid.cls) grid.classes = model.layers[model.layers.length - 1]!;
  if (test) grid.test = pointSet(test);
  return grid;
}

/** The grid's cell centres as the columns of a 2 × (x.n·y.n) input: cell k = j·x.n + i is column k. */
export function gridInputs(x: GridAxis, y: GridAxis): Matrix {
  const m = x.n * y.n;
  const X = new Float64Array(2 * m);
  for (let j = 0; j < y.n; j++) {
    const yc = y.min + ((y.max - y.min) * j) / (y.n - 1);
    for (let i = 0; i < x.n; i++) {
      X[j * x.n + i] = x.min + ((x.max - x.min) * i) / (x.n - 1);
      X[m + j * x.n + i] = yc;
    }
  }
  return { rows: 2, cols: m, data: X };
}

/**
 * The model's answer in every cell, in grid order: P(class 1) for a sigmoid output; for softmax the arg-max class
 * (`cls`) and its probability. Pure and allocation-light, so the panel's replay evaluates snapshots with it too.
 */
export function cellProbabilities(
  params: Parameters,
  model: NetworkModel,
  x: GridAxis,
  y: GridAxis,
): { p: number[]; cls?: number[] } {
  const proba = predictProba(params, model, gridInputs(x, y));
  const m = proba.cols;
  if (proba.rows === 1) return { p: Array.from(proba.data) };
  const p = new Array<number>(m);
  const cls = new Array<number>(m);
  for (let k = 0; k < m; k++) {
    let best = 0;
    for (let c = 1; c < proba.rows; c++) if (proba.data[c * m + k]! > proba.data[best * m + k]!) best = c;
    cls[k] = best;
    p[k] = proba.data[best * m + k]!;
  }
  return { p, cls };
}

/** RunResult.parameters (rows of numbers) back into the trainer's Parameters map. */
export function parametersFromRows(rows: Record<string, number[][]>): Parameters {
  return new Map(Object.entries(rows).map(([name, value]) => [name, fromRows(value)]));
}

/** Flat parameters (a Snapshot's) as the trainer's Parameters map. */
export function parametersFromFlat(layers: readonly number[], flat: ArrayLike<number>): Parameters {
  return viewsOf(parameterLayout(layers), Float64Array.from(flat));
}
