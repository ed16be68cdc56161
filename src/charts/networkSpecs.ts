/**
 * The vega-lite specs of the Network tab and its headless twin (`nnlab run --out`'s network.svg and signals.svg):
 * the network diagram with neuron maps, one neuron's map large, and the per-layer signals. Split from specs.ts,
 * whose conventions they follow (stable mark names, the theme's colours).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ChartTheme } from './theme';
import { mix, themeConfig } from './theme';
import { THUMB_SIZE, type MapCellRow, type NetworkRows } from './network';
import { SIGNAL_PANELS, type SignalRow } from './signals';

// ---------------------------------------------------------------------------------------------- network view

export interface NetworkSpecOptions {
  theme: ChartTheme;
  rows: NetworkRows;
  /** Pixels per diagram unit (the distance between two neighbouring nodes). */
  unit?: number;
  title?: string;
}

/**
 * Nodes by layer (mark `nodes`), edges with width ∝ |w| and colour = sign (mark `edges`: positive in class 1's
 * colour, negative in class 0's), and, when the rows carry them, each neuron's map as a thumbnail framed by its
 * node (mark `mapcells`, colour −1…1 on the boundary's diverging scale).
 */
export function networkSpec(o: NetworkSpecOptions): TopLevelSpec {
  const { theme, rows } = o;
  const maps = rows.cells.length > 0;
  const unit = o.unit ?? (maps ? 72 : 56);
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    axis: null,
    scale: { domain: [-0.5, rows.width - 0.5], nice: false, zero: false },
  };
  const y = {
    field: 'y',
    type: 'quantitative' as const,
    axis: null,
    scale: { domain: [-rows.height / 2, rows.height / 2], nice: false, zero: false },
  };
  const largest = Math.max(1e-12, ...rows.edges.map((e) => e.magnitude));
  const soft = (c: string) => mix(c, theme.background, 0.15);
  const nodeMark = maps
    ? {
        type: 'point' as const,
        shape: 'square',
        filled: false,
        size: (unit * THUMB_SIZE) ** 2,
        stroke: theme.muted,
        strokeWidth: 1,
      }
    : {
        type: 'point' as const,
        shape: 'circle',
        filled: true,
        size: 140,
        fill: theme.foreground,
        stroke: theme.background,
        strokeWidth: 1.5,
      };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(o.title ? { title: o.title } : {}),
    width: unit * rows.width,
    height: unit * rows.height,
    config: { ...themeConfig(theme), view: { stroke: null } },
    datasets: { nodes: rows.nodes, edges: rows.edges, mapcells: rows.cells },
    layer: [
      {
        name: 'edges',
        data: { name: 'edges' },
        mark: { type: 'rule', opacity: 0.75, strokeCap: 'round' },
        encoding: {
          x,
          y,
          x2: { field: 'x2' },
          y2: { field: 'y2' },
          strokeWidth: {
            field: 'magnitude',
            type: 'quantitative',
            scale: { domain: [0, largest], range: [0.25, 6] },
            legend: null,
          },
          color: {
            field: 'sign',
            type: 'nominal',
            title: 'weight',
            scale: { domain: ['positive', 'negative'], range: [theme.classes[1]!, theme.classes[0]!] },
            legend: { orient: 'top', direction: 'horizontal' },
          },
          tooltip: [
            { field: 'label', type: 'nominal', title: 'weight' },
            { field: 'w', type: 'quantitative', format: '.4g', title: 'value' },
          ],
        },
      },
      {
        name: 'mapcells',
        data: { name: 'mapcells' },
        mark: { type: 'rect', strokeWidth: 0, opacity: 1, cursor: 'pointer' },
        encoding: {
          x,
          x2: { field: 'x2' },
          y,
          y2: { field: 'y2' },
          color: {
            field: 'v',
            type: 'quantitative',
            title: 'output',
            scale: {
              domain: [-1, 0, 1],
              range: [soft(theme.classes[0]!), theme.background, soft(theme.classes[1]!)],
              interpolate: 'rgb',
            },
            legend: null,
          },
          tooltip: [
            { field: 'neuron', type: 'nominal' },
            { field: 'a', type: 'quantitative', format: '.3g', title: 'output' },
          ],
        },
      },
      {
        name: 'nodes',
        data: { name: 'nodes' },
        mark: { ...nodeMark, cursor: 'pointer' },
        encoding: { x, y, tooltip: [{ field: 'label', type: 'nominal', title: 'unit' }] },
      },
    ],
  } as TopLevelSpec;
}

/** One neuron's map, large (the view shows it when a neuron is clicked): the same colours as its thumbnail. */
export function neuronSpec(theme: ChartTheme, title: string, cells: MapCellRow[], size = 220): TopLevelSpec {
  const soft = (c: string) => mix(c, theme.background, 0.15);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: size,
    height: size,
    config: themeConfig(theme),
    datasets: { neuron: cells },
    data: { name: 'neuron' },
    name: 'neuroncells',
    mark: { type: 'rect', strokeWidth: 0 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: 'x₁', scale: { nice: false, zero: false } },
      x2: { field: 'x2' },
      y: { field: 'y', type: 'quantitative', title: 'x₂', scale: { nice: false, zero: false } },
      y2: { field: 'y2' },
      color: {
        field: 'v',
        type: 'quantitative',
        title: 'output (scaled)',
        scale: {
          domain: [-1, 0, 1],
          range: [soft(theme.classes[0]!), theme.background, soft(theme.classes[1]!)],
          interpolate: 'rgb',
        },
      },
      tooltip: [{ field: 'a', type: 'quantitative', format: '.3g', title: 'output' }],
    },
  } as TopLevelSpec;
}

// ------------------------------------------------------------------------------------------ per-layer signals

export interface SignalsSpecOptions {
  theme: ChartTheme;
  rows: SignalRow[];
  /** Each small multiple's size. */
  width?: number;
  height?: number;
}

/**
 * Small multiples: one row per layer, one column per signal (SIGNAL_PANELS), a line per series. Each panel is its
 * own unit (mark `signals_<row·10 + column>`) with its own y scale: a row × column facet misplaced its cells.
 */
export function signalsSpec(o: SignalsSpecOptions): TopLevelSpec {
  const { theme } = o;
  const series = [...new Set(o.rows.map((r) => r.series))];
  const color = {
    field: 'series',
    type: 'nominal' as const,
    title: null,
    // Seven series, six theme colours: the foreground is the seventh.
    scale: {
      domain: series,
      range: series.map((_, i) => [...theme.series, theme.foreground][i % (theme.series.length + 1)]!),
    },
    legend: { orient: 'top' as const, direction: 'horizontal' as const },
  };
  const layers = [...new Map(o.rows.map((r) => [r.row, r.layer])).entries()].sort((a, b) => a[0] - b[0]);
  const datasets: Record<string, SignalRow[]> = {};
  const rows = layers.map(([row, label], r) => ({
    hconcat: SIGNAL_PANELS.map((panel, column) => {
      const name = `signals_${row * 10 + column}`;
      datasets[name] = o.rows.filter((x) => x.row === row && x.column === column);
      return {
        name,
        ...(r === 0 ? { title: panel } : {}),
        width: o.width ?? 120,
        height: o.height ?? 70,
        data: { name },
        mark: { type: 'line' as const, point: { size: 12 }, strokeWidth: 1.5 },
        encoding: {
          x: { field: 'epoch', type: 'quantitative' as const, title: r === layers.length - 1 ? 'epoch' : null },
          y: {
            field: 'value',
            type: 'quantitative' as const,
            title: column === 0 ? label : null,
            scale: { zero: false },
          },
          color,
          tooltip: [
            { field: 'layer', type: 'nominal' as const },
            { field: 'series', type: 'nominal' as const },
            { field: 'epoch', type: 'quantitative' as const },
            { field: 'value', type: 'quantitative' as const, format: '.4g' },
          ],
        },
      };
    }),
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: themeConfig(theme),
    datasets,
    vconcat: rows,
    resolve: { scale: { color: 'shared' } },
  } as TopLevelSpec;
}
