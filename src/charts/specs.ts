/**
 * THE vega-lite specs, shared by the webview (vega-embed, live changesets) and the headless SVG renderer
 * (src/node/charts/render.ts). Each chart reads named datasets whose rows come from rows.ts.
 *
 * Mark names (`name` on the unit specs) are stable: the browser tests count scenegraph items by them.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ChartTheme } from './theme';
import { mix, themeConfig } from './theme';
import {
  decimate,
  bucketSize,
  entryRows,
  LOG_FLOOR,
  SERIES,
  tensorRows,
  type BoundaryRow,
  type CostRow,
  type MarkerRow,
} from './rows';
import type { ParallelAxis, ParallelRow } from './sweep';
import type { GradcheckMatrix, GradcheckView } from '../protocol/charts';

export type Width = number | 'container';

/**
 * A user's string as chart text. vega reads a title equal to the name of an Object.prototype member (`toString`,
 * `constructor`, `__proto__` …) as a reference to an operator and fails ("Operator not defined"); a zero-width
 * space after such a name keeps the text as it reads and makes it plain text to vega.
 */
export function chartText(text: string): string {
  return text in Object.prototype ? `${text}\u200b` : text;
}

// ---------------------------------------------------------------------------------------------------- cost curves

export interface CostSpecOptions {
  theme: ChartTheme;
  /** Series labels in legend order (runLabels). */
  labels: string[];
  /** The x domain's end: the largest planned epoch count, so a live curve does not rescale the axis per chunk. */
  maxEpoch: number;
  logY?: boolean;
  /** Moving-average window in recorded points; 0 or 1 = off (the default). */
  smoothing?: number;
  width?: Width;
  height?: number;
  /** Inline rows (headless render, first draw); the webview appends later rows with changesets. */
  rows?: { costs: CostRow[]; markers: MarkerRow[] };
  title?: string;
  /** The replayed epoch: a vertical rule (mark `replay`, dataset `replay` with one row { epoch }). */
  replayEpoch?: number;
}

/** The dataset of one series of one run (runs numbered in legend order). */
export function seriesDataset(runIndex: number, series: CostRow['series']): string {
  return `cost_${runIndex}_${series}`;
}

/**
 * Overlaid cost curves. Each run's train and test series is its own layer and dataset with a constant colour and
 * dash: no facet over 10⁴ rows and no per-point colour or dash scale lookups, which dominate a first draw under
 * vega-interpreter. An empty layer carries the legends (legends list their scale's explicit domain).
 */
export function costSpec(o: CostSpecOptions): TopLevelSpec {
  const { theme } = o;
  const colorOf = (i: number) => theme.series[i % theme.series.length]!;
  const dashes: Record<CostRow['series'], number[]> = { train: [1, 0], test: [5, 3] };
  const y = {
    field: 'cost',
    type: 'quantitative' as const,
    title: o.logY ? 'cost (log)' : 'cost',
    scale: o.logY ? { type: 'log' as const } : { zero: false },
  };
  const x = {
    field: 'epoch',
    type: 'quantitative' as const,
    title: 'epoch',
    scale: { domain: [0, Math.max(1, o.maxEpoch)], nice: false },
  };
  const color = {
    field: 'run',
    type: 'nominal' as const,
    title: 'run',
    scale: { domain: o.labels, range: o.labels.map((_, i) => colorOf(i)) },
    // Trial names are long: two columns of legend entries instead of one row running off the chart.
    legend:
      o.labels.length > 1
        ? {
            orient: 'top' as const,
            direction: 'horizontal' as const,
            columns: o.labels.length > 3 ? 2 : o.labels.length,
            labelLimit: 320,
          }
        : null,
  };
  const dash = {
    field: 'series',
    type: 'nominal' as const,
    title: null,
    scale: { domain: [...SERIES], range: SERIES.map((s) => dashes[s]) },
    legend: { orient: 'top' as const, direction: 'horizontal' as const },
  };
  const smooth = (o.smoothing ?? 0) > 1;
  const positive = o.logY ? [{ filter: 'datum.cost > 0' }] : [];
  const window = smooth
    ? [
        {
          window: [{ op: 'mean' as const, field: 'cost', as: 'cost' }],
          frame: [-(o.smoothing! - 1), 0] as [number, number],
          sort: [{ field: 'epoch' }],
        },
      ]
    : [];
  const datasets: Record<string, unknown[]> = {};
  const curves = o.labels.flatMap((label, i) =>
    SERIES.map((series) => {
      const name = seriesDataset(i, series);
      if (o.rows)
        datasets[name] = decimate(
          o.rows.costs.filter((r) => r.run === label && r.series === series),
          bucketSize(o.maxEpoch),
        );
      return {
        name: `curves_${i}_${series}`,
        data: { name, format: { parse: null } },
        transform: [...positive, ...window],
        mark: { type: 'line' as const, strokeWidth: 1.5, clip: true, stroke: colorOf(i), strokeDash: dashes[series] },
        // order null: rows arrive in epoch order, so vega need not sort the line's items on every update.
        encoding: { x, y, order: { value: null } },
      };
    }),
  );
  if (o.replayEpoch !== undefined) datasets.replay = [{ epoch: o.replayEpoch }];
  if (o.rows) {
    // Hover targets are their own small dataset: a filter over 10⁴ rows would cost more than the line.
    datasets.tips = o.rows.costs.filter((r) => r.tip);
    datasets.markers = o.rows.markers;
  }
  const tooltip = [
    { field: 'run', type: 'nominal' as const },
    { field: 'series', type: 'nominal' as const },
    { field: 'epoch', type: 'quantitative' as const },
    { field: 'cost', type: 'quantitative' as const, format: '.5g' },
  ];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(o.title ? { title: chartText(o.title) } : {}),
    width: o.width ?? 'container',
    height: o.height ?? 260,
    autosize: { type: 'fit-x', contains: 'padding' },
    config: themeConfig(theme),
    ...(o.rows || o.replayEpoch !== undefined ? { datasets } : {}),
    layer: [
      {
        name: 'legend',
        data: { values: [] },
        mark: { type: 'line' },
        encoding: { x, y, color, strokeDash: dash },
      },
      ...curves,
      {
        name: 'tips',
        data: { name: 'tips', format: { parse: null } },
        transform: positive,
        mark: { type: 'point', opacity: 0, size: 80, clip: true },
        encoding: { x, y, tooltip },
      },
      {
        name: 'diverged',
        data: { name: 'markers', format: { parse: null } },
        mark: {
          type: 'point',
          shape: 'cross',
          filled: true,
          size: 140,
          clip: true,
          stroke: theme.background,
          strokeWidth: 0.5,
        },
        encoding: {
          x,
          y,
          color,
          tooltip: [
            { field: 'run', type: 'nominal' },
            { field: 'epoch', type: 'quantitative', title: 'diverged at epoch' },
          ],
        },
      },
      ...(o.replayEpoch === undefined
        ? []
        : [
            {
              name: 'replay',
              data: { name: 'replay' },
              mark: { type: 'rule' as const, color: theme.foreground, strokeDash: [4, 3], strokeWidth: 1.5 },
              encoding: { x, tooltip: [{ field: 'epoch', type: 'quantitative' as const, title: 'replayed epoch' }] },
            },
          ]),
    ],
  } as TopLevelSpec;
}

/** A vega-lite "drop invalid values" filter: only isValid/isFinite tests of fields, joined by &&. */
const INVALID_FILTER =
  /^isValid\(datum\["[^"]+"\]\) && isFinite\(\+datum\["[^"]+"\]\)( && isValid\(datum\["[^"]+"\]\) && isFinite\(\+datum\["[^"]+"\]\))*$/;

/**
 * Removes vega-lite's invalid-value filters from a compiled spec. The row builders here emit finite numbers only,
 * and under vega-interpreter such a filter costs about a third of a 10⁴-point chart's first draw.
 * Applied by the webview (vega-embed's `patch`) and by the headless renderer alike.
 */
export function dropInvalidFilters<T extends { data?: Array<{ transform?: Array<{ type: string; expr?: unknown }> }> }>(
  vg: T,
): T {
  for (const d of vg.data ?? []) {
    if (d.transform)
      d.transform = d.transform.filter(
        (t) => !(t.type === 'filter' && typeof t.expr === 'string' && INVALID_FILTER.test(t.expr)),
      );
  }
  return vg;
}

// ------------------------------------------------------------------------------------------- decision boundary

export interface BoundarySpecOptions {
  theme: ChartTheme;
  /** Run labels, one panel each when more than one. */
  labels: string[];
  classes: number;
  domain: { x: [number, number]; y: [number, number] };
  /** Each panel's size; small multiples are laid out `columns` per row. */
  size?: number;
  columns?: number;
  rows?: BoundaryRow[];
  title?: string;
}

export function boundarySpec(o: BoundarySpecOptions): TopLevelSpec {
  const { theme } = o;
  const classDomain = Array.from({ length: o.classes }, (_, i) => String(i));
  const classRange = classDomain.map((_, i) => theme.classes[i % theme.classes.length]!);
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: 'x₁',
    scale: { domain: o.domain.x, nice: false, zero: false },
  };
  const y = {
    field: 'y',
    type: 'quantitative' as const,
    title: 'x₂',
    scale: { domain: o.domain.y, nice: false, zero: false },
  };
  const binary = o.classes === 2;
  // Opaque colours half-way to the background, so points stay legible on top.
  const soft = (c: string) => mix(c, theme.background, 0.55);
  const cellColor = binary
    ? {
        field: 'p',
        type: 'quantitative' as const,
        title: 'P(class 1)',
        scale: {
          domain: [0, 0.5, 1],
          range: [soft(classRange[0]!), theme.background, soft(classRange[1]!)],
          interpolate: 'rgb' as const,
        },
        legend: { gradientLength: 120 },
      }
    : {
        field: 'cls',
        type: 'nominal' as const,
        scale: { domain: classDomain, range: classRange.map(soft) },
        legend: null,
      };
  const cells = (i: number) => ({
    name: `cells_${i}`,
    data: { name: `cells_${i}`, format: { parse: null } },
    mark: { type: 'rect' as const, strokeWidth: 0, clip: true },
    encoding: { x, x2: { field: 'x2' }, y, y2: { field: 'y2' }, color: cellColor },
  });
  const points = (i: number) => ({
    name: `points_${i}`,
    data: { name: `points_${i}`, format: { parse: null } },
    mark: {
      type: 'point' as const,
      filled: true,
      size: 28,
      stroke: theme.foreground,
      strokeWidth: 0.6,
      opacity: 1,
      clip: true,
    },
    encoding: {
      x,
      y,
      fill: {
        field: 'label',
        type: 'nominal' as const,
        title: 'class',
        scale: { domain: classDomain, range: classRange },
      },
      shape: {
        field: 'kind',
        type: 'nominal' as const,
        title: 'set',
        scale: { domain: ['train', 'test'], range: ['circle', 'triangle-up'] },
      },
      tooltip: [
        { field: 'kind', type: 'nominal' as const, title: 'set' },
        { field: 'label', type: 'nominal' as const, title: 'class' },
        { field: 'x', type: 'quantitative' as const, format: '.3f' },
        { field: 'y', type: 'quantitative' as const, format: '.3f' },
      ],
    },
  });
  const size = o.size ?? 260;
  const many = o.labels.length > 1;
  // Cells and points of each run are datasets of their own: splitting one dataset with filters would evaluate two
  // interpreted expressions per cell. Small multiples are a concat of identical units on explicit, equal domains.
  const datasets: Record<string, BoundaryRow[]> = {};
  if (o.rows) {
    o.labels.forEach((label, i) => {
      datasets[`cells_${i}`] = o.rows!.filter((r) => r.run === label && r.kind === 'cell');
      datasets[`points_${i}`] = o.rows!.filter((r) => r.run === label && r.kind !== 'cell');
    });
  }
  const unit = (i: number) => ({
    ...(many ? { title: chartText(o.labels[i]!) } : {}),
    width: size,
    height: size,
    layer: [cells(i), points(i)],
  });
  const common = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(o.title ? { title: chartText(o.title) } : {}),
    config: themeConfig(theme),
    ...(o.rows ? { datasets } : {}),
  };
  if (!many) return { ...common, ...unit(0) } as TopLevelSpec;
  return {
    ...common,
    concat: o.labels.map((_, i) => unit(i)),
    columns: o.columns ?? Math.min(3, o.labels.length),
    resolve: { scale: { x: 'shared', y: 'shared', color: 'shared', fill: 'shared', shape: 'shared' } },
  } as TopLevelSpec;
}

// -------------------------------------------------------------------------------------------- gradient check

/** Whole decades around the differences and the threshold, so bars have a finite log baseline. */
export function logDomain(values: number[]): [number, number] {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (!positive.length) return [1e-12, 1];
  const lo = Math.max(LOG_FLOOR, Math.min(...positive) / 10);
  const hi = Math.max(...positive) * 10;
  return [10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(Math.max(hi, lo * 100)))];
}

export function gradcheckSpec(report: GradcheckView, theme: ChartTheme, width: Width = 'container'): TopLevelSpec {
  const domain = logDomain([...report.parameters.map((t) => t.difference), report.threshold]);
  const rows = tensorRows(report, domain[0]);
  const order = rows.map((r) => r.name);
  const x = { field: 'name', type: 'nominal' as const, title: 'parameter', sort: order, axis: { labelAngle: 0 } };
  const y = {
    field: 'difference',
    type: 'quantitative' as const,
    title: 'relative difference (log)',
    scale: { type: 'log' as const, domain, zero: false, clamp: true },
    axis: { format: '.0e' },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${report.name}: ${report.passed ? 'passed' : 'FAILED'} (difference ${report.difference.toExponential(2)})`,
    width,
    height: 220,
    autosize: { type: 'fit-x', contains: 'padding' },
    config: themeConfig(theme),
    datasets: { tensors: rows, threshold: [{ threshold: report.threshold }] },
    layer: [
      {
        name: 'bars',
        data: { name: 'tensors' },
        mark: { type: 'bar', cursor: 'pointer' },
        encoding: {
          x,
          y,
          // Bars grow up from the bottom of the log axis (a log scale has no zero).
          y2: { datum: domain[0] },
          color: {
            field: 'status',
            type: 'nominal',
            title: null,
            scale: { domain: ['pass', 'fail'], range: [theme.pass, theme.fail] },
            legend: { orient: 'top', direction: 'horizontal' },
          },
          tooltip: [
            { field: 'name', type: 'nominal', title: 'parameter' },
            { field: 'shape', type: 'nominal' },
            { field: 'raw', type: 'quantitative', title: 'difference', format: '.3e' },
            { field: 'kinks', type: 'quantitative', title: 'kinks' },
          ],
        },
      },
      {
        name: 'kinks',
        data: { name: 'tensors' },
        transform: [
          { filter: 'datum.kinks > 0' },
          { calculate: "'⚠ ' + datum.kinks + (datum.kinks === 1 ? ' kink' : ' kinks')", as: 'kinkLabel' },
        ],
        mark: { type: 'text', dy: -8, color: theme.warn, fontSize: theme.fontSize },
        encoding: { x, y, text: { field: 'kinkLabel', type: 'nominal' } },
      },
      {
        name: 'threshold',
        data: { name: 'threshold' },
        mark: { type: 'rule', strokeDash: [6, 4], color: theme.foreground },
        encoding: { y: { field: 'threshold', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec;
}

/** Per-entry heatmap of one tensor's relative errors (log colour); unsampled entries are left blank. */
export function entrySpec(name: string, m: GradcheckMatrix, threshold: number, theme: ChartTheme): TopLevelSpec {
  const cell = Math.max(8, Math.min(28, Math.floor(360 / Math.max(m.rows, m.cols))));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${name}: relative error per entry`,
    width: cell * m.cols,
    height: cell * m.rows,
    config: themeConfig(theme),
    datasets: { entries: entryRows(m) },
    data: { name: 'entries' },
    transform: [{ filter: 'datum.error !== null' }],
    mark: { type: 'rect' },
    name: 'entries',
    encoding: {
      x: { field: 'col', type: 'ordinal', title: 'column' },
      y: { field: 'row', type: 'ordinal', title: 'row' },
      color: {
        field: 'error',
        type: 'quantitative',
        title: 'rel. error',
        scale: {
          type: 'log',
          domainMid: threshold,
          range: [theme.pass, theme.background, theme.fail],
          interpolate: 'rgb',
        },
      },
      stroke: { condition: { test: `datum.error > ${threshold}`, value: theme.foreground }, value: null },
      tooltip: [
        { field: 'row', type: 'ordinal' },
        { field: 'col', type: 'ordinal' },
        { field: 'error', type: 'quantitative', format: '.3e', title: 'relative error' },
      ],
    },
  } as TopLevelSpec;
}

// ------------------------------------------------------------------------------------ sweep: parallel coordinates

export interface ParallelSpecOptions {
  theme: ChartTheme;
  axes: ParallelAxis[];
  rows: ParallelRow[];
  /** How many top trials are coloured (rank 0 … topK − 1); the rest are drawn muted behind them. */
  topK: number;
  width?: Width;
  height?: number;
}

/** Swept values and outcomes, one polyline per trial; the best trial is thickest, the top k coloured. */
export function parallelSpec(o: ParallelSpecOptions): TopLevelSpec {
  const { theme } = o;
  const keys = o.axes.map((a) => a.key);
  const ranks = Array.from({ length: o.topK }, (_, i) => `#${i + 1}`);
  const x = {
    field: 'axis',
    type: 'nominal' as const,
    title: null,
    sort: keys,
    scale: { type: 'point' as const, domain: keys, padding: 0.3 },
    axis: {
      orient: 'top' as const,
      labelAngle: 0,
      domain: false,
      ticks: false,
      labelPadding: 18,
      labelFontWeight: 'bold' as const,
    },
  };
  const y = { field: 'y', type: 'quantitative' as const, scale: { domain: [0, 1] }, axis: null };
  const tooltip = [
    { field: 'trial', type: 'nominal' as const },
    { field: 'axis', type: 'nominal' as const, title: 'axis' },
    { field: 'value', type: 'nominal' as const },
  ];
  const rankLabel = { calculate: "datum.rank === null ? 'other' : '#' + (datum.rank + 1)", as: 'place' };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: o.width ?? 'container',
    height: o.height ?? 220,
    autosize: { type: 'fit-x', contains: 'padding' },
    config: { ...themeConfig(theme), axis: { ...themeConfig(theme).axis, grid: false } },
    datasets: { parallel: o.rows, axes: o.axes },
    layer: [
      {
        name: 'axes',
        data: { name: 'axes' },
        mark: { type: 'rule', color: theme.muted },
        encoding: {
          x: { ...x, field: 'key' },
          y: { datum: 0, type: 'quantitative', scale: { domain: [0, 1] }, axis: null },
          y2: { datum: 1 },
        },
      },
      {
        name: 'others',
        data: { name: 'parallel' },
        transform: [{ filter: 'datum.rank === null' }],
        mark: { type: 'line', color: theme.muted, opacity: 0.35, strokeWidth: 1 },
        encoding: { x, y, detail: { field: 'trial', type: 'nominal' }, tooltip },
      },
      {
        name: 'top',
        data: { name: 'parallel' },
        transform: [{ filter: 'datum.rank !== null' }, rankLabel],
        mark: { type: 'line', point: { size: 30 } },
        encoding: {
          x,
          y,
          detail: { field: 'trial', type: 'nominal' },
          color: {
            field: 'place',
            type: 'nominal',
            title: 'rank',
            scale: { domain: ranks, range: ranks.map((_, i) => theme.series[i % theme.series.length]!) },
            legend: { orient: 'right' },
          },
          strokeWidth: { condition: { test: 'datum.rank === 0', value: 3.5 }, value: 1.5 },
          order: { field: 'rank', sort: 'descending' },
          tooltip,
        },
      },
      {
        name: 'lows',
        data: { name: 'axes' },
        mark: { type: 'text', dy: 10, baseline: 'top', color: theme.muted },
        encoding: {
          x: { ...x, field: 'key' },
          y: { datum: 0, type: 'quantitative', scale: { domain: [0, 1] }, axis: null },
          text: { field: 'low' },
        },
      },
      {
        name: 'highs',
        data: { name: 'axes' },
        mark: { type: 'text', dy: -4, baseline: 'bottom', color: theme.muted },
        encoding: {
          x: { ...x, field: 'key' },
          y: { datum: 1, type: 'quantitative', scale: { domain: [0, 1] }, axis: null },
          text: { field: 'high' },
        },
      },
    ],
  } as TopLevelSpec;
}
