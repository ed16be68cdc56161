/**
 * The sweep part of a comparison: which trials the charts show (the top k by the chosen metric), the metric
 * picker, and the parallel-coordinates chart of swept values against outcomes.
 */
import type { ChartTheme } from '../src/charts/theme';
import { runLabels } from '../src/charts/rows';
import { parallelSpec } from '../src/charts/specs';
import { METRIC_LABELS, METRICS, parallelRows, rankRuns, type Metric } from '../src/charts/sweep';
import type { ChartRun } from '../src/protocol/webview';
import { el } from './dom';
import { drawChart, type Chart } from './embed';

/** Trials whose curves and boundaries are drawn: more would bury the best ones (and cost 10⁴ cells each). */
export const TOP_K = 5;

export function topRuns(runs: ChartRun[], metric: Metric): ChartRun[] {
  return rankRuns(runs, metric)
    .slice(0, TOP_K)
    .map((i) => runs[i]!);
}

export function metricPicker(metric: Metric, onChange: (metric: Metric) => void): HTMLElement {
  const select = el('select', { id: 'metric' });
  for (const m of METRICS) {
    const option = el('option', { value: m }, METRIC_LABELS[m]);
    option.selected = m === metric;
    select.append(option);
  }
  select.addEventListener('change', () => onChange(select.value as Metric));
  return el('label', { class: 'metric' }, 'rank trials by ', select);
}

export function drawParallel(
  container: HTMLElement,
  runs: ChartRun[],
  metric: Metric,
  theme: ChartTheme,
): Promise<Chart> {
  const { axes, rows } = parallelRows(runs, runLabels(runs), metric, TOP_K);
  return drawChart(container, parallelSpec({ theme, axes, rows, topK: Math.min(TOP_K, runs.length) }), 'sweep');
}
