/** Decision boundaries: one heatmap for a run, small multiples on shared scales for a comparison. */
import type { ChartTheme } from '../src/core/charts/theme';
import { boundaryDomain, boundaryRows, runLabels } from '../src/core/charts/rows';
import { boundarySpec } from '../src/core/charts/specs';
import type { BoundaryGrid, ChartRun } from '../src/protocol/webview';
import { drawChart, type Chart } from './embed';

/** Draws the boundaries of the runs that have one; resolves to undefined when none has. */
export function drawBoundaries(container: HTMLElement, runs: ChartRun[], theme: ChartTheme): Promise<Chart> | undefined {
  const withGrid = runs.filter((r): r is ChartRun & { boundary: BoundaryGrid } => r.boundary !== undefined);
  if (!withGrid.length) return undefined;
  const labels = runLabels(withGrid);
  const grids = withGrid.map((r) => r.boundary);
  const columns = Math.min(3, withGrid.length);
  // Fit the row of small multiples into the panel: room for the y axis and the legends on the right.
  const available = (container.clientWidth || 640) - 170;
  const size = Math.max(140, Math.min(columns > 1 ? 260 : 340, Math.floor(available / columns) - 50));
  const spec = boundarySpec({
    theme,
    labels,
    classes: Math.max(...grids.map((g) => g.classes)),
    domain: boundaryDomain(grids),
    size,
    columns,
    rows: grids.flatMap((g, i) => boundaryRows(g, labels[i]!)),
  });
  return drawChart(container, spec, 'boundary');
}
