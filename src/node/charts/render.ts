/**
 * The headless twin: the same specs as the webview, rendered to SVG strings in Node with vega's `toSVG`
 * (renderer 'none', no canvas; text widths are estimated). vega is loaded lazily with import(), which keeps the
 * extension's activation cheap and lets CommonJS test bundles load these ESM-only packages.
 */
import type { TopLevelSpec } from 'vega-lite';
import { LIGHT_THEME, type ChartTheme } from '../../charts/theme';
import { boundaryChartData, costChartData } from '../../charts/rows';
import { boundarySpec, costSpec, dropInvalidFilters, gradcheckSpec } from '../../charts/specs';
import { networkSpec, signalsSpec } from '../../charts/networkSpecs';
import { networkViewRows } from '../../charts/network';
import { signalRows } from '../../charts/signals';
import type { BoundaryGrid, ChartRun, GradcheckView } from '../../protocol/charts';

/** Renders any vega-lite spec of specs.ts to a standalone SVG document. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite, interpreter] = await Promise.all([
    import('vega'),
    import('vega-lite'),
    import('vega-interpreter'),
  ]);
  const compiled = dropInvalidFilters(vegaLite.compile(spec).spec);
  // The interpreter instead of vega's Function-based codegen: one evaluation path in Node and in the webview.
  const runtime = vega.parse(compiled, undefined, { ast: true });
  const view = new vega.View(runtime, { renderer: 'none', expr: interpreter.expressionInterpreter });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export interface HeadlessOptions {
  theme?: ChartTheme;
  width?: number;
  logY?: boolean;
  title?: string;
}

/** The cost-curve chart of one or more runs (overlaid), as an SVG document. */
export function costChartSpec(runs: ChartRun[], o: HeadlessOptions = {}): TopLevelSpec {
  return costSpec({
    theme: o.theme ?? LIGHT_THEME,
    ...costChartData(runs),
    logY: o.logY ?? false,
    width: o.width ?? 560,
    height: 280,
    ...(o.title ? { title: o.title } : {}),
  });
}

export function renderCostSvg(runs: ChartRun[], o: HeadlessOptions = {}): Promise<string> {
  return renderSvg(costChartSpec(runs, o));
}

/** Decision boundaries of runs with a grid, as small multiples on shared scales (one panel for one run). */
export function boundaryChartSpec(
  runs: Array<{ name: string; boundary: BoundaryGrid }>,
  o: HeadlessOptions = {},
): TopLevelSpec {
  return boundarySpec({
    theme: o.theme ?? LIGHT_THEME,
    ...boundaryChartData(runs),
    size: o.width ?? 300,
    ...(o.title ? { title: o.title } : {}),
  });
}

/** One run's decision boundary as an SVG document. */
export function renderBoundarySvg(grid: BoundaryGrid, name = 'run', o: HeadlessOptions = {}): Promise<string> {
  return renderSvg(boundaryChartSpec([{ name, boundary: grid }], o));
}

export function renderGradcheckSvg(report: GradcheckView, o: HeadlessOptions = {}): Promise<string> {
  return renderSvg(gradcheckSpec(report, o.theme ?? LIGHT_THEME, o.width ?? 480));
}

/** The network of a run's last snapshot (weights, and neuron maps for two-feature data); undefined past the diagram's limits. */
export function networkChartSpec(run: ChartRun, o: HeadlessOptions = {}): TopLevelSpec | undefined {
  const last = run.inspection?.snapshots.at(-1);
  if (!run.model || !last) return undefined;
  const rows = networkViewRows(run.model, last.parameters, run.boundary);
  return rows
    ? networkSpec({ theme: o.theme ?? LIGHT_THEME, rows, title: o.title ?? `${run.name} at epoch ${last.epoch}` })
    : undefined;
}

/** A run's per-layer signals as small multiples; undefined when it has none. */
export function signalsChartSpec(run: ChartRun, o: HeadlessOptions = {}): TopLevelSpec | undefined {
  if (!run.inspection?.signalEpochs.length) return undefined;
  return signalsSpec({ theme: o.theme ?? LIGHT_THEME, rows: signalRows(run.inspection) });
}
