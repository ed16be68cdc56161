/**
 * The rows the charts draw, built from chart data. The webview's live updates and the headless renderer use the
 * same builders, so a chunk appended to a live chart holds exactly the rows a full draw would have had.
 */
import type { BoundaryGrid, ChartRun, GradcheckMatrix, GradcheckView } from '../protocol/charts';

// ---------------------------------------------------------------------------------------------------- cost curves

export const SERIES = ['train', 'test'] as const;

/** One cost point. `tip` marks the few points per series that carry a tooltip, so hover stays cheap at 10⁴ points. */
export interface CostRow {
  run: string;
  series: 'train' | 'test';
  epoch: number;
  cost: number;
  tip: boolean;
}

/** Where a diverged run stopped. */
export interface MarkerRow {
  run: string;
  epoch: number;
  cost: number;
}

/** Aim for this many hover targets per series. */
const TIPS_PER_SERIES = 300;

/** Unique display labels for runs (two runs of one experiment get "name", "name #2"). */
export function runLabels(runs: ReadonlyArray<{ name: string }>): string[] {
  const seen = new Map<string, number>();
  return runs.map((r) => {
    const n = (seen.get(r.name) ?? 0) + 1;
    seen.set(r.name, n);
    return n === 1 ? r.name : `${r.name} #${n}`;
  });
}

/** Every how many points one carries a tooltip; fixed per run (from its planned epochs) so live rows agree. */
export function tipStride(run: ChartRun): number {
  return Math.max(1, Math.ceil(Math.max(run.costs.length, Math.ceil(run.epochs / run.testEvery)) / TIPS_PER_SERIES));
}

/** The range of a live chunk: costs[from, to) and testCosts[testFrom, testTo). */
export interface RowRange {
  from: number;
  to: number;
  testFrom: number;
  testTo: number;
}

/**
 * Rows for one run, or for a chunk of it. Non-finite costs (divergence) are left out, so the line ends at the
 * last finite cost; the divergence marker comes from markerRows.
 */
export function costRows(run: ChartRun, label: string, range?: RowRange): CostRow[] {
  const rows: CostRow[] = [];
  const stride = tipStride(run);
  const push = (
    series: CostRow['series'],
    values: number[],
    from: number,
    to: number,
    every: number,
    lag: number,
    tips: number,
  ) => {
    for (let i = from; i < Math.min(to, values.length); i++) {
      const cost = values[i]!;
      if (!Number.isFinite(cost)) continue;
      rows.push({ run: label, series, epoch: i * every + lag, cost, tip: i % tips === 0 });
    }
  };
  // A training point is its bucket's last epoch; a test point its bucket's first.
  push('train', run.costs, range?.from ?? 0, range?.to ?? run.costs.length, run.testEvery, run.testEvery - 1, stride);
  if (run.testCosts) {
    push('test', run.testCosts, range?.testFrom ?? 0, range?.testTo ?? run.testCosts.length, run.testEvery, 0, stride);
  }
  return rows;
}

/** The divergence marker of a run: at the diverged epoch, on the last finite cost. */
export function markerRows(run: ChartRun, label: string): MarkerRow[] {
  if (run.status !== 'diverged' && run.divergedAtEpoch === undefined) return [];
  let last = -1;
  for (let i = 0; i < run.costs.length; i++) if (Number.isFinite(run.costs[i]!)) last = i;
  if (last < 0) return [];
  return [{ run: label, epoch: run.divergedAtEpoch ?? last, cost: run.costs[last]! }];
}

/** Buckets across the epoch axis: about one per pixel column of a full-width chart. */
const MAX_BUCKETS = 1000;

/** Epochs per bucket for an epoch axis of `maxEpoch` (1 = every point is drawn). */
export function bucketSize(maxEpoch: number): number {
  return Math.max(1, Math.ceil(maxEpoch / MAX_BUCKETS));
}

/**
 * The points a curve draws: per bucket of `size` epochs, its lowest and highest cost in epoch order. The line then
 * covers exactly the pixels the full curve would (a min/max envelope per pixel column), at 2000 points per series
 * at most instead of 10⁴+. `rows` must be one series, in epoch order.
 */
export function decimate(rows: CostRow[], size: number): CostRow[] {
  if (size <= 1) return rows;
  const out: CostRow[] = [];
  let i = 0;
  while (i < rows.length) {
    const bucket = Math.floor(rows[i]!.epoch / size);
    let lo = rows[i]!;
    let hi = lo;
    let j = i + 1;
    for (; j < rows.length && Math.floor(rows[j]!.epoch / size) === bucket; j++) {
      const r = rows[j]!;
      if (r.cost < lo.cost) lo = r;
      if (r.cost > hi.cost) hi = r;
    }
    if (lo === hi) out.push(lo);
    else out.push(...(lo.epoch < hi.epoch ? [lo, hi] : [hi, lo]));
    i = j;
  }
  return out;
}

// ------------------------------------------------------------------------------------------- decision boundary

/** A heatmap cell (kind 'cell') or a data point (kind 'train' | 'test'). */
export interface BoundaryRow {
  run: string;
  kind: 'cell' | 'train' | 'test';
  x: number;
  y: number;
  /** Cells: the far corner. */
  x2?: number;
  y2?: number;
  /** Cells: P(class 1) (binary) or the arg-max class's probability. */
  p?: number;
  /** Cells (multi-class): the arg-max class, as a string so the colour scale is nominal. */
  cls?: string;
  /** Points: the class label (its own field, so the points' legend is not merged into the cells' scale). */
  label?: string;
}

/** Rows of one grid: x.n × y.n cells, then the training and test points. */
export function boundaryRows(grid: BoundaryGrid, label: string): BoundaryRow[] {
  const rows: BoundaryRow[] = [];
  const dx = (grid.x.max - grid.x.min) / (grid.x.n - 1);
  const dy = (grid.y.max - grid.y.min) / (grid.y.n - 1);
  // Each cell reaches half a cell further right and up, under the neighbours drawn after it (rows go up, cells
  // go right): no background seam shows at antialiased edges, and the visible part of every cell stays exact.
  for (let j = 0; j < grid.y.n; j++) {
    const yc = grid.y.min + j * dy;
    for (let i = 0; i < grid.x.n; i++) {
      const k = j * grid.x.n + i;
      const xc = grid.x.min + i * dx;
      const row: BoundaryRow = {
        run: label,
        kind: 'cell',
        x: xc - dx / 2,
        x2: xc + dx,
        y: yc - dy / 2,
        y2: yc + dy,
        p: grid.p[k]!,
      };
      if (grid.cls) row.cls = String(grid.cls[k]);
      rows.push(row);
    }
  }
  const points = (kind: 'train' | 'test', set: BoundaryGrid['train'] | undefined) => {
    if (!set) return;
    for (let i = 0; i < set.x.length; i++)
      rows.push({ run: label, kind, x: set.x[i]!, y: set.y[i]!, label: String(set.label[i]) });
  };
  points('train', grid.train);
  points('test', grid.test);
  return rows;
}

/** The union of the grids' extents (cell edges included), so small multiples share one x and one y scale. */
export function boundaryDomain(grids: BoundaryGrid[]): { x: [number, number]; y: [number, number] } {
  const half = (a: BoundaryGrid['x']) => (a.max - a.min) / (a.n - 1) / 2;
  const x: [number, number] = [Infinity, -Infinity];
  const y: [number, number] = [Infinity, -Infinity];
  for (const g of grids) {
    x[0] = Math.min(x[0], g.x.min - half(g.x));
    x[1] = Math.max(x[1], g.x.max + half(g.x));
    y[0] = Math.min(y[0], g.y.min - half(g.y));
    y[1] = Math.max(y[1], g.y.max + half(g.y));
  }
  return { x, y };
}

// -------------------------------------------------------------------------------------------- gradient check

export interface TensorRow {
  name: string;
  /** Clamped to the axis floor so an exact 0 can sit on a log axis. */
  difference: number;
  raw: number;
  status: 'pass' | 'fail';
  kinks: number;
  shape: string;
}

export const LOG_FLOOR = 1e-18;

/** Bars per tensor; differences below `floor` (an exact 0) sit at the floor, NaN at the top. */
export function tensorRows(report: GradcheckView, floor = LOG_FLOOR): TensorRow[] {
  return report.parameters.map((t) => ({
    name: t.name,
    difference: Math.max(floor, Number.isFinite(t.difference) ? t.difference : 1),
    raw: t.difference,
    status: t.passed ? 'pass' : 'fail',
    kinks: t.kinks,
    shape: `${t.shape[0]}×${t.shape[1]}`,
  }));
}

export interface EntryRow {
  row: number;
  col: number;
  error: number | null;
}

export function entryRows(m: GradcheckMatrix): EntryRow[] {
  const rows: EntryRow[] = [];
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) {
      const e = m.relativeError[r * m.cols + c]!;
      rows.push({ row: r, col: c, error: Number.isFinite(e) ? Math.max(LOG_FLOOR, e) : null });
    }
  }
  return rows;
}

/**
 * What a cost chart of these runs is drawn from, headless or live: legend labels, the x domain's end (the largest
 * planned epoch count, so a live curve does not rescale the axis per chunk) and the rows known so far.
 */
export function costChartData(runs: ChartRun[]): {
  labels: string[];
  maxEpoch: number;
  rows: { costs: CostRow[]; markers: MarkerRow[] };
} {
  const labels = runLabels(runs);
  return {
    labels,
    maxEpoch: Math.max(1, ...runs.map((r) => Math.max(r.epochs, r.costs.length))),
    rows: {
      costs: runs.flatMap((r, i) => costRows(r, labels[i]!)),
      markers: runs.flatMap((r, i) => markerRows(r, labels[i]!)),
    },
  };
}

/** The runs that have a decision boundary, in order. */
export function withBoundaries<R extends { boundary?: BoundaryGrid }>(
  runs: readonly R[],
): Array<R & { boundary: BoundaryGrid }> {
  return runs.filter((r): r is R & { boundary: BoundaryGrid } => r.boundary !== undefined);
}

/** What a boundary chart of these runs is drawn from: labels, the class count, shared scales and the cells. */
export function boundaryChartData(runs: ReadonlyArray<{ name: string; boundary: BoundaryGrid }>): {
  labels: string[];
  classes: number;
  domain: { x: [number, number]; y: [number, number] };
  rows: BoundaryRow[];
} {
  const labels = runLabels(runs);
  const grids = runs.map((r) => r.boundary);
  return {
    labels,
    classes: Math.max(...grids.map((g) => g.classes)),
    domain: boundaryDomain(grids),
    rows: grids.flatMap((g, i) => boundaryRows(g, labels[i]!)),
  };
}
