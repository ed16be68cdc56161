/** The comparison's optimizer paths (src/charts/paths.ts), drawn under the panel's CSP. */
import { pathsSpec } from '../src/charts/paths';
import type { ChartTheme } from '../src/charts/theme';
import type { OptimizerPaths } from '../src/protocol/webview';
import { drawChart, type Chart } from './embed';

export function drawPaths(
  container: HTMLElement,
  paths: OptimizerPaths,
  runNames: string[],
  theme: ChartTheme,
): Promise<Chart> {
  return drawChart(container, pathsSpec({ paths, theme, runNames }), 'optimizer-paths');
}
