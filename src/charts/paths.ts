/**
 * The optimizer-path chart (src/core/inspect/landscape.ts makes its data): the cost over the plane as filled contour
 * bands (mark `landscape`: one rect per grid cell, coloured by which of a few log-spaced cost levels it falls
 * between), each run's snapshots as a path (mark `paths`, one line per run, one point per snapshot) and its last
 * snapshot marked (mark `ends`). Shared by the panel's comparison view and `nnlab run --out`.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { OptimizerPaths } from '../core/inspect/landscape';
import { chartText } from './specs';
import { mix, themeConfig, type ChartTheme } from './theme';

/** Contour bands: few enough to read as levels, enough to show the valley. */
export const COST_BANDS = 8;

export interface LandscapeRow {
  x: number;
  x2: number;
  y: number;
  y2: number;
  cost: number;
}

export interface PathRow {
  run: string;
  epoch: number;
  x: number;
  y: number;
}

/** One rect per finite grid cell, spanning half a step either side of its centre (clipped to the axes). */
export function landscapeRows(paths: OptimizerPaths): LandscapeRow[] {
  const { x, y, cost } = paths;
  const dx = (x.max - x.min) / (x.n - 1);
  const dy = (y.max - y.min) / (y.n - 1);
  const rows: LandscapeRow[] = [];
  for (let j = 0; j < y.n; j++) {
    for (let i = 0; i < x.n; i++) {
      const c = cost[j * x.n + i]!;
      if (!Number.isFinite(c)) continue;
      const xc = x.min + i * dx;
      const yc = y.min + j * dy;
      rows.push({
        x: Math.max(x.min, xc - dx / 2),
        x2: Math.min(x.max, xc + dx / 2),
        y: Math.max(y.min, yc - dy / 2),
        y2: Math.min(y.max, yc + dy / 2),
        cost: c,
      });
    }
  }
  return rows;
}

export function pathRows(paths: OptimizerPaths): PathRow[] {
  return paths.runs.flatMap((r) => r.points.map((p) => ({ run: r.name, epoch: p.epoch, x: p.x, y: p.y })));
}

/** COST_BANDS − 1 thresholds spaced evenly in log(cost) between the grid's smallest and largest cost. */
export function costLevels(cost: readonly number[]): number[] {
  const finite = cost.filter((c) => Number.isFinite(c) && c > 0);
  if (!finite.length) return [];
  const lo = Math.log(Math.min(...finite));
  const hi = Math.log(Math.max(...finite));
  if (!(hi > lo)) return [];
  return Array.from({ length: COST_BANDS - 1 }, (_, k) => Math.exp(lo + ((hi - lo) * (k + 1)) / COST_BANDS));
}

export interface PathsSpecOptions {
  paths: OptimizerPaths;
  theme: ChartTheme;
  /** Every run of the comparison in its order, so a path has its run's colour in the cost chart. */
  runNames: string[];
  width?: number;
  height?: number;
}

export function pathsSpec(o: PathsSpecOptions): TopLevelSpec {
  const { paths, theme } = o;
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: `1st principal direction (${pct(paths.explained[0])} of the movement)`,
    scale: { domain: [paths.x.min, paths.x.max], nice: false, zero: false },
  };
  const y = {
    field: 'y',
    type: 'quantitative' as const,
    title: `2nd (${pct(paths.explained[1])})`,
    scale: { domain: [paths.y.min, paths.y.max], nice: false, zero: false },
  };
  const levels = costLevels(paths.cost);
  // Low cost light, high cost darker: opaque greys of the theme, so the runs' colours stay the loudest thing.
  const bands = Array.from({ length: levels.length + 1 }, (_, k) =>
    mix(theme.background, theme.foreground, 0.03 + (0.5 * k) / Math.max(1, levels.length)),
  );
  const names = o.runNames.length ? o.runNames : paths.runs.map((r) => r.name);
  const color = {
    field: 'run',
    type: 'nominal' as const,
    title: 'run',
    scale: { domain: names, range: names.map((_, i) => theme.series[i % theme.series.length]!) },
    legend: { orient: 'top' as const, direction: 'horizontal' as const },
  };
  const rows = pathRows(paths);
  const ends = paths.runs.flatMap((r) => (r.points.length ? [{ run: r.name, ...r.points[r.points.length - 1]! }] : []));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: chartText(
      `Optimizer paths on the plane of the snapshots' top two principal directions (origin: ${paths.origin}'s final parameters)`,
    ),
    width: o.width ?? 420,
    height: o.height ?? 300,
    config: themeConfig(theme),
    datasets: { landscape: landscapeRows(paths), paths: rows, ends },
    layer: [
      {
        name: 'landscape',
        data: { name: 'landscape' },
        mark: { type: 'rect', strokeWidth: 0, clip: true },
        encoding: {
          x,
          x2: { field: 'x2' },
          y,
          y2: { field: 'y2' },
          color: levels.length
            ? {
                field: 'cost',
                type: 'quantitative',
                title: `cost (${paths.examples} examples)`,
                scale: { type: 'threshold', domain: levels, range: bands },
                legend: { format: '.3g', orient: 'right' },
              }
            : { value: bands[0] },
          tooltip: [{ field: 'cost', type: 'quantitative', format: '.4g' }],
        },
      },
      {
        name: 'paths',
        data: { name: 'paths' },
        mark: { type: 'line', point: { size: 14, filled: true }, strokeWidth: 1.8, clip: true },
        encoding: {
          x,
          y,
          order: { field: 'epoch', type: 'quantitative' },
          color,
          tooltip: [
            { field: 'run', type: 'nominal' },
            { field: 'epoch', type: 'quantitative' },
            { field: 'x', type: 'quantitative', format: '.4g' },
            { field: 'y', type: 'quantitative', format: '.4g' },
          ],
        },
      },
      {
        name: 'ends',
        data: { name: 'ends' },
        mark: {
          type: 'point',
          shape: 'diamond',
          filled: true,
          size: 90,
          stroke: theme.foreground,
          strokeWidth: 0.8,
          clip: true,
        },
        encoding: {
          x,
          y,
          color: { ...color, legend: null },
          tooltip: [
            { field: 'run', type: 'nominal' },
            { field: 'epoch', type: 'quantitative', title: 'final epoch' },
          ],
        },
      },
    ],
  } as TopLevelSpec;
}
