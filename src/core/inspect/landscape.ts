/**
 * The optimizer-path view's data (paths.ts gives the plane): each run's snapshots projected on the plane, and the
 * training cost (cross-entropy, no L2 term: the runs may differ in λ) at the centres of a coarse grid over the
 * paths. A grid cell is one full forward pass, so this runs in a worker or the CLI, never on the editor's thread.
 */
import { createWorkspace, forwardLoss, network } from '../nn/network';
import { parameterLayout } from '../nn/params';
import type { Dataset, ModelConfig, Snapshot } from '../types';
import { pointOnPlane, principalPlane, projectPath, type PathPoint } from './paths';

/** Cells per axis: coarse, since each is a forward pass over the training set. */
export const LANDSCAPE_CELLS = 25;
/** Work budget of the grid in multiply-adds (cells × examples × weights); past it, fewer examples are used. */
export const LANDSCAPE_BUDGET = 2e8;
/** Margin around the paths on each side, as a share of their span. */
const MARGIN = 0.15;

export interface OptimizerPaths {
  /** The run whose final parameters are the plane's origin. */
  origin: string;
  /** Shares of the snapshots' squared offsets along the two directions. */
  explained: [number, number];
  runs: Array<{ name: string; points: PathPoint[] }>;
  /** Cell centres, evenly from min to max inclusive (a GridAxis). */
  x: { min: number; max: number; n: number };
  y: { min: number; max: number; n: number };
  /** The cost at each cell, j·x.n + i (j up the y axis); NaN where the cost is not finite. */
  cost: number[];
  /** Training examples the cost was averaged over (evenly spaced ones when the budget asks for fewer). */
  examples: number;
}

/** Runs compared on one plane need one parameter layout and one cost: the same layers, activations and data. */
export function comparablePaths(
  runs: ReadonlyArray<{
    model: Pick<ModelConfig, 'layers' | 'activation' | 'output'>;
    data: unknown;
    snapshots?: readonly Snapshot[];
  }>,
): boolean {
  if (runs.length < 2) return false;
  const key = (r: (typeof runs)[number]) =>
    JSON.stringify([r.model.layers, r.model.activation, r.model.output, r.data]);
  return runs.every((r) => key(r) === key(runs[0]!) && (r.snapshots?.length ?? 0) >= 2);
}

function axis(values: number[], cells: number): { min: number; max: number; n: number } {
  let min = Math.min(...values);
  let max = Math.max(...values);
  const span = max - min || Math.max(Math.abs(max), 1) * 0.1;
  min -= MARGIN * span;
  max += MARGIN * span;
  return { min, max, n: cells };
}

/** Every `stride`-th example of a dataset (features × m), so the cost is a fair average on a budget. */
function thinned(train: Dataset, limit: number): Dataset {
  const m = train.X.cols;
  if (m <= limit) return train;
  const keep = Array.from({ length: limit }, (_, k) => Math.floor((k * m) / limit));
  const pick = (rows: number, data: Float64Array) => {
    const out = new Float64Array(rows * limit);
    for (let r = 0; r < rows; r++) keep.forEach((j, k) => (out[r * limit + k] = data[r * m + j]!));
    return { rows, cols: limit, data: out };
  };
  return { ...train, X: pick(train.X.rows, train.X.data), Y: pick(train.Y.rows, train.Y.data) };
}

export function optimizerPaths(
  runs: ReadonlyArray<{ name: string; snapshots: readonly Snapshot[] }>,
  model: Pick<ModelConfig, 'layers' | 'activation' | 'output'>,
  train: Dataset,
  cells = LANDSCAPE_CELLS,
): OptimizerPaths {
  const plane = principalPlane(runs);
  const paths = runs.map((r) => ({ name: r.name, points: projectPath(plane, r.snapshots) }));
  const points = paths.flatMap((p) => p.points);
  const x = axis(
    points.map((p) => p.x),
    cells,
  );
  const y = axis(
    points.map((p) => p.y),
    cells,
  );
  const layout = parameterLayout(model.layers);
  const limit = Math.max(1, Math.floor(LANDSCAPE_BUDGET / (cells * cells * layout.size)));
  const data = thinned(train, limit);
  const m = data.X.cols;
  const net = network(layout, model.activation, model.output);
  const ws = createWorkspace(model.layers, m, false);
  ws.A[0]!.set(data.X.data);
  ws.Y.set(data.Y.data);
  const P = new Float64Array(layout.size);
  const cost: number[] = [];
  for (let j = 0; j < y.n; j++) {
    const yc = y.min + ((y.max - y.min) * j) / (y.n - 1);
    for (let i = 0; i < x.n; i++) {
      const xc = x.min + ((x.max - x.min) * i) / (x.n - 1);
      // forwardLoss sums over the examples; the course reports the mean.
      const c = forwardLoss(net, pointOnPlane(plane, xc, yc, P), ws, m) / m;
      cost.push(Number.isFinite(c) ? c : Number.NaN);
    }
  }
  return { origin: runs[0]!.name, explained: plane.explained, runs: paths, x, y, cost, examples: m };
}
