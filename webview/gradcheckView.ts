/**
 * The gradient-check view: a log-scale bar per tensor with the threshold rule, the worst entries as a table, and
 * the per-entry heatmap of the selected tensor (click a bar or a row's parameter to select it).
 */
import type { ChartTheme } from '../src/charts/theme';
import { entrySpec, gradcheckSpec } from '../src/charts/specs';
import type { GradcheckView } from '../src/protocol/webview';
import { el } from './dom';
import { drawChart, type Chart } from './embed';

const fmt = (v: number): string => (Number.isFinite(v) ? v.toExponential(3) : String(v));

export function worstTable(
  report: GradcheckView,
  selected: string | null,
  onSelect: (param: string) => void,
): HTMLTableElement {
  const head = el(
    'tr',
    {},
    ...['parameter', 'index', 'analytic', 'numeric', 'relative error', ''].map((h) => el('th', { scope: 'col' }, h)),
  );
  const rows = report.worst.map((e) => {
    const button = el('button', { type: 'button', class: 'link', title: `Show ${e.param} per entry` }, e.param);
    button.addEventListener('click', () => onSelect(e.param));
    const failed = e.relativeError > report.threshold;
    return el(
      'tr',
      { class: [failed ? 'fail' : 'pass', e.param === selected ? 'selected' : ''].join(' ').trim() },
      el('td', {}, button),
      el('td', { class: 'num' }, `[${e.index[0]}, ${e.index[1]}]`),
      el('td', { class: 'num' }, fmt(e.analytic)),
      el('td', { class: 'num' }, fmt(e.numeric)),
      el('td', { class: 'num' }, fmt(e.relativeError)),
      el(
        'td',
        {},
        e.kink
          ? el(
              'span',
              {
                class: 'kink',
                title: 'a kink (e.g. ReLU at 0) lies within ±ε: the numeric gradient is unreliable here',
              },
              'kink',
            )
          : null,
      ),
    );
  });
  return el('table', { class: 'worst' }, el('thead', {}, head), el('tbody', {}, ...rows));
}

export function drawGradcheckBars(
  container: HTMLElement,
  report: GradcheckView,
  theme: ChartTheme,
  onSelect: (param: string) => void,
): Promise<Chart> {
  return drawChart(container, gradcheckSpec(report, theme), `gradcheck-${report.name}`).then((chart) => {
    chart.result.view.addEventListener('click', (_event, item) => {
      const datum = (item as { datum?: { name?: unknown } } | null | undefined)?.datum;
      if (typeof datum?.name === 'string') onSelect(datum.name);
    });
    return chart;
  });
}

/** The per-entry heatmap of `param`, or a note when the report has no per-entry errors for it. */
export function drawEntries(
  container: HTMLElement,
  report: GradcheckView,
  param: string,
  theme: ChartTheme,
): Promise<Chart> | undefined {
  const matrix = report.entries?.[param];
  if (!matrix) {
    container.append(el('p', { class: 'note' }, `No per-entry errors were recorded for ${param}.`));
    return undefined;
  }
  return drawChart(container, entrySpec(param, matrix, report.threshold, theme), `gradcheck-${param}`);
}
