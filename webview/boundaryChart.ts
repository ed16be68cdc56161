/** Decision boundaries: one heatmap for a run, small multiples on shared scales for a comparison. */
import type { ChartTheme } from '../src/charts/theme';
import { boundaryChartData, withBoundaries } from '../src/charts/rows';
import { boundarySpec } from '../src/charts/specs';
import type { ChartRun } from '../src/protocol/webview';
import { drawChart, type Chart } from './embed';

/** Draws the boundaries of the runs that have one; resolves to undefined when none has. */
export function drawBoundaries(
  container: HTMLElement,
  runs: ChartRun[],
  theme: ChartTheme,
): Promise<Chart> | undefined {
  const withGrid = withBoundaries(runs);
  if (!withGrid.length) return undefined;
  const columns = Math.min(3, withGrid.length);
  // Fit the row of small multiples into the panel: room for the y axis and the legends on the right.
  const available = (container.clientWidth || 640) - 170;
  const size = Math.max(140, Math.min(columns > 1 ? 260 : 340, Math.floor(available / columns) - 50));
  const spec = boundarySpec({ theme, ...boundaryChartData(withGrid), size, columns });
  return drawChart(container, spec, 'boundary');
}
