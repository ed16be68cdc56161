/**
 * Sweep comparisons: ranking trials by a metric, and the rows of the parallel-coordinates chart (one polyline per
 * trial across the swept keys and the outcome metrics, each axis scaled to [0, 1] on its own).
 */
import { finalCost } from './compare';
import type { ChartRun } from '../protocol/charts';

export type Metric = 'finalCost' | 'trainAccuracy' | 'testAccuracy';
export const METRICS: readonly Metric[] = ['finalCost', 'trainAccuracy', 'testAccuracy'];
export const METRIC_LABELS: Record<Metric, string> = {
  finalCost: 'final cost',
  trainAccuracy: 'train acc',
  testAccuracy: 'test acc',
};

export function metricOf(run: ChartRun, metric: Metric): number | null {
  const v = metric === 'finalCost' ? finalCost(run) : run[metric];
  return v === null || !Number.isFinite(v) ? null : v;
}

/** Run indices best first: lowest cost or highest accuracy; runs without the metric last, in their order. */
export function rankRuns(runs: ChartRun[], metric: Metric): number[] {
  const sign = metric === 'finalCost' ? 1 : -1;
  return runs
    .map((_, i) => i)
    .sort((a, b) => {
      const va = metricOf(runs[a]!, metric);
      const vb = metricOf(runs[b]!, metric);
      if (va === null || vb === null) return va === vb ? a - b : va === null ? 1 : -1;
      return sign * (va - vb) || a - b;
    });
}

/** True when the runs are trials of a sweep (they carry swept values). */
export function isSweep(runs: ChartRun[]): boolean {
  return runs.length > 1 && runs.every((r) => r.sweep !== undefined);
}

export interface ParallelAxis {
  key: string;
  /** Labels at the bottom (0) and top (1) of the axis. */
  low: string;
  high: string;
}

export interface ParallelRow {
  trial: string;
  axis: string;
  /** Position on the axis, 0…1. */
  y: number;
  /** The value as shown in the tooltip. */
  value: string;
  /** 0 for the best trial, 1 for the next …; null beyond the top k. */
  rank: number | null;
}

const show = (v: unknown): string =>
  typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(3)) : String(v);

/**
 * One row per trial and axis. Numeric axes are linear, or logarithmic when all values are positive and span at
 * least two decades (learning rates); other values are spread evenly in sorted order.
 */
export function parallelRows(
  runs: ChartRun[],
  labels: string[],
  metric: Metric,
  topK: number,
): { axes: ParallelAxis[]; rows: ParallelRow[] } {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.sweep ?? {})))];
  const columns: Array<{ key: string; values: Array<string | number | boolean | null> }> = keys.map((key) => ({
    key: key.split('.').pop()!,
    values: runs.map((r) => r.sweep?.[key] ?? null),
  }));
  for (const m of METRICS) columns.push({ key: METRIC_LABELS[m], values: runs.map((r) => metricOf(r, m)) });
  const order = rankRuns(runs, metric);
  const rankOf = new Map(order.slice(0, topK).map((runIndex, rank) => [runIndex, rank]));
  const axes: ParallelAxis[] = [];
  const rows: ParallelRow[] = [];
  for (const column of columns) {
    const present = column.values.filter((v): v is string | number | boolean => v !== null);
    if (!present.length) continue;
    let position: (v: string | number | boolean) => number;
    let low: string;
    let high: string;
    if (present.every((v) => typeof v === 'number')) {
      const nums = present as number[];
      const log = nums.every((v) => v > 0) && Math.max(...nums) / Math.min(...nums) >= 100;
      const f = log ? Math.log10 : (v: number) => v;
      const lo = Math.min(...nums.map(f));
      const hi = Math.max(...nums.map(f));
      position = (v) => (hi > lo ? (f(v as number) - lo) / (hi - lo) : 0.5);
      low = show(Math.min(...nums));
      high = show(Math.max(...nums));
    } else {
      const distinct = [...new Set(present.map(String))].sort();
      position = (v) => (distinct.length > 1 ? distinct.indexOf(String(v)) / (distinct.length - 1) : 0.5);
      low = distinct[0]!;
      high = distinct.at(-1)!;
    }
    axes.push({ key: column.key, low, high });
    column.values.forEach((v, i) => {
      if (v === null) return;
      rows.push({ trial: labels[i]!, axis: column.key, y: position(v), value: show(v), rank: rankOf.get(i) ?? null });
    });
  }
  return { axes, rows };
}
