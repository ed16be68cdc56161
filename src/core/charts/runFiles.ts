/**
 * The chart files of one finished run, for `nnlab run --out DIR` (cost.svg, and boundary.svg for two-feature
 * data): names and SVG text only, the caller writes them.
 */
import { renderBoundarySvg, renderCostSvg } from './render';
import type { ChartRun } from './types';

export interface ChartFile {
  name: string;
  svg: string;
}

export async function runChartFiles(run: ChartRun): Promise<ChartFile[]> {
  const files: ChartFile[] = [];
  if (run.costs.length) files.push({ name: 'cost.svg', svg: await renderCostSvg([run], { title: run.name }) });
  if (run.boundary) files.push({ name: 'boundary.svg', svg: await renderBoundarySvg(run.boundary, run.name, { title: run.name }) });
  return files;
}
