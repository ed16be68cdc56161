/**
 * vega-embed under the panel's strict CSP: expressions go through vega-interpreter (parsed with ast: true) instead
 * of vega's Function-based codegen, and neither vega-embed nor vega-tooltip injects a <style> element (the panel's
 * stylesheet styles the actions menu and the tooltip). Export actions only: no source, no online editor link.
 */
import embed, { type Result } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import type { TopLevelSpec } from 'vega-lite';
import { dropInvalidFilters } from '../src/charts/specs';

export interface Chart {
  result: Result;
  /** Milliseconds from the call to the first frame drawn (compile, parse, dataflow and render). */
  firstDrawMs: number;
}

export async function drawChart(container: HTMLElement, spec: TopLevelSpec, fileName: string): Promise<Chart> {
  const started = performance.now();
  const result = await embed(container, spec, {
    ast: true,
    expr: expressionInterpreter,
    renderer: 'canvas',
    defaultStyle: false,
    actions: { export: true, source: false, compiled: false, editor: false },
    downloadFileName: fileName,
    tooltip: { disableDefaultStyle: true, theme: 'custom' },
    logLevel: 1,
    patch: (vg) => dropInvalidFilters(vg as never),
  });
  return { result, firstDrawMs: performance.now() - started };
}
