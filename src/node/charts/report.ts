/**
 * "Save report": one self-contained HTML file of a comparison: the overlaid cost curves and the decision
 * boundaries as inline SVG (rendered headless from the panel's specs), then the comparison table. No scripts and
 * no external resources, so it opens anywhere and can be attached to a write-up.
 */
import { comparisonTable } from '../../charts/compare';
import { escapeHtml } from '../../charts/panelHtml';
import { boundaryChartSpec, costChartSpec, renderSvg } from './render';
import { withBoundaries } from '../../charts/rows';
import type { ChartRun } from '../../protocol/charts';

export interface ReportOptions {
  title?: string;
  /** Shown under the title (e.g. the experiment file); the time is the caller's so output is reproducible. */
  subtitle?: string;
  logY?: boolean;
}

const STYLE = `
body { margin: 24px; color: #1f1f1f; background: #fff; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { margin: 0 0 4px; font-size: 20px; font-weight: 600; }
h2 { margin: 28px 0 8px; font-size: 15px; font-weight: 600; }
.sub { color: #616161; margin: 0; }
figure { margin: 0; overflow-x: auto; }
table { border-collapse: collapse; margin-top: 8px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e5e5e5; text-align: left; }
th { font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.status-diverged td:last-child, .status-error td:last-child { color: #e51400; }
`;

/** The comparison table as HTML, every value escaped. */
export function tableHtml(runs: ChartRun[]): string {
  const table = comparisonTable(runs);
  const cls = (numeric: boolean) => (numeric ? ' class="num"' : '');
  const head = table.columns.map((c) => `<th${cls(c.numeric)}>${escapeHtml(c.label)}</th>`).join('');
  const rows = table.rows.map((row) => {
    const cells = table.columns
      .map((c) => `<td${cls(c.numeric)}>${escapeHtml(c.format(row[c.key] ?? null))}</td>`)
      .join('');
    return `<tr class="status-${escapeHtml(String(row.status))}">${cells}</tr>`;
  });
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Strips the XML prolog so the SVG can sit inline in HTML. */
function inline(svg: string): string {
  return svg.replace(/^<\?xml[^>]*>\s*/, '');
}

export async function comparisonReportHtml(runs: ChartRun[], o: ReportOptions = {}): Promise<string> {
  const title = o.title ?? `NN Lab comparison: ${runs.map((r) => r.name).join(', ')}`;
  const cost = await renderSvg(costChartSpec(runs, { width: 760, logY: o.logY ?? false }));
  const withGrid = withBoundaries(runs);
  const boundary = withGrid.length
    ? await renderSvg(boundaryChartSpec(withGrid, { width: withGrid.length > 1 ? 240 : 340 }))
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${o.subtitle ? `<p class="sub">${escapeHtml(o.subtitle)}</p>` : ''}
<h2>Cost</h2>
<figure>${inline(cost)}</figure>
${boundary ? `<h2>Decision boundaries</h2>\n<figure>${inline(boundary)}</figure>` : ''}
<h2>Runs</h2>
${tableHtml(runs)}
</body>
</html>
`;
}
