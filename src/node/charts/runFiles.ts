/**
 * The chart files of one finished run, for `nnlab run --out DIR` (cost.svg, boundary.svg for two-feature data, and
 * for an inspected run network.svg and signals.svg, the panel's Network tab at the last snapshot): names and SVG
 * text only, the caller writes them.
 */
import { networkChartSpec, renderBoundarySvg, renderCostSvg, renderSvg, signalsChartSpec } from './render';
import type { ChartRun } from '../../protocol/charts';

export interface ChartFile {
  name: string;
  svg: string;
}

export async function runChartFiles(run: ChartRun): Promise<ChartFile[]> {
  const files: ChartFile[] = [];
  if (run.costs.length) files.push({ name: 'cost.svg', svg: await renderCostSvg([run], { title: run.name }) });
  if (run.boundary)
    files.push({ name: 'boundary.svg', svg: await renderBoundarySvg(run.boundary, run.name, { title: run.name }) });
  const network = networkChartSpec(run);
  if (network) files.push({ name: 'network.svg', svg: await renderSvg(network) });
  const signals = signalsChartSpec(run);
  if (signals) files.push({ name: 'signals.svg', svg: await renderSvg(signals) });
  return files;
}
