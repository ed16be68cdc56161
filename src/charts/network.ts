/**
 * The network view's data: nodes by layer, edges with their weights, and for two-feature data every hidden and
 * output neuron's activation over the boundary's grid (a thumbnail at the neuron's place in the diagram), computed
 * from one set of flat parameters (a snapshot or the final ones). Pure: the webview draws live and replayed
 * snapshots with it, and the CLI's --out the same picture as SVG.
 *
 * Size limits, so a first draw stays well under a second (measured in test/webview/bench.test.ts):
 *   - thumbnails for at most MAX_MAP_NEURONS hidden + output neurons (each is THUMB_CELLS² rects);
 *   - the diagram (nodes and edges) for at most MAX_DIAGRAM_UNITS units in a layer and MAX_DIAGRAM_EDGES weights;
 *     past that the view gives a per-layer summary (units, weights, ‖W‖) instead.
 */
import { createWorkspace, forwardLoss, network } from '../core/nn/network';
import { parameterLayout } from '../core/nn/params';
import type { NetworkModel } from './boundary';
import { gridInputs } from './boundary';
import type { GridAxis } from '../protocol/charts';

export const THUMB_CELLS = 16;
export const MAX_MAP_NEURONS = 48;
export const MAX_DIAGRAM_UNITS = 32;
export const MAX_DIAGRAM_EDGES = 1500;
/** A thumbnail's side in diagram units (one unit = the distance between two neighbouring nodes). */
export const THUMB_SIZE = 0.72;

export type NetworkDetail = 'maps' | 'diagram' | 'summary';

/** How much of the network the view draws (the module comment gives the limits and why). */
export function networkDetail(layers: readonly number[], twoFeatures: boolean): NetworkDetail {
  const layout = parameterLayout(layers);
  const edges = layout.slots.reduce((n, s) => n + s.rows * s.cols, 0);
  if (layers.some((n) => n > MAX_DIAGRAM_UNITS) || edges > MAX_DIAGRAM_EDGES) return 'summary';
  const neurons = layers.slice(1).reduce((a, b) => a + b, 0);
  return twoFeatures && layers[0] === 2 && neurons <= MAX_MAP_NEURONS ? 'maps' : 'diagram';
}

/**
 * Every layer's outputs over a cells × cells grid on the axes' extent: maps[l − 1] is layer l's, units × cells²,
 * row-major (cell k = j·cells + i, j up the y axis). The output layer's are its probabilities.
 */
export function neuronMaps(
  model: NetworkModel,
  P: ArrayLike<number>,
  x: GridAxis,
  y: GridAxis,
  cells = THUMB_CELLS,
): Float64Array[] {
  const layout = parameterLayout(model.layers);
  const net = network(layout, model.activation, model.output);
  const input = gridInputs({ ...x, n: cells }, { ...y, n: cells });
  const m = input.cols;
  const ws = createWorkspace(model.layers, m, false);
  ws.A[0]!.set(input.data);
  forwardLoss(net, Float64Array.from(P), ws, m);
  return layout.slots.map((s, i) => ws.A[i + 1]!.slice(0, s.rows * m));
}

export interface NodeRow {
  id: string;
  layer: number;
  unit: number;
  x: number;
  y: number;
  /** What the tooltip names: x₁ for an input, "layer 2 unit 3", "output". */
  label: string;
}

export interface EdgeRow {
  x: number;
  y: number;
  x2: number;
  y2: number;
  w: number;
  magnitude: number;
  sign: 'positive' | 'negative';
  label: string;
}

export interface MapCellRow {
  neuron: string;
  x: number;
  x2: number;
  y: number;
  y2: number;
  /** The neuron's output scaled to −1…1 (see mapScale), which the colour encodes. */
  v: number;
  /** The neuron's output itself, for the tooltip. */
  a: number;
}

export interface NetworkRows {
  nodes: NodeRow[];
  edges: EdgeRow[];
  cells: MapCellRow[];
  /** The diagram's extent: x from −0.5 to L + 0.5, y over the widest layer. */
  width: number;
  height: number;
}

/** A unit's place: layers left to right, units top to bottom, centred on 0. */
function place(layers: readonly number[], l: number, unit: number): { x: number; y: number } {
  return { x: l, y: (layers[l]! - 1) / 2 - unit };
}

function nodeLabel(layers: readonly number[], l: number, unit: number): string {
  if (l === 0) return `input x${'₁₂₃₄₅₆₇₈₉'[unit] ?? unit + 1}`;
  const last = l === layers.length - 1;
  if (last) return layers[l] === 1 ? 'output' : `output ${unit}`;
  return `layer ${l} unit ${unit + 1}`;
}

/**
 * The output scaled into −1…1 for colour, one scale per layer so the maps of a layer compare: a probability as
 * 2p − 1 (0.5 is neutral), a hidden output divided by the layer's largest |output| over the grid.
 */
function mapScale(layerMaps: Float64Array, output: boolean): (a: number) => number {
  if (output) return (a) => 2 * a - 1;
  let largest = 0;
  for (let t = 0; t < layerMaps.length; t++) largest = Math.max(largest, Math.abs(layerMaps[t]!));
  return largest > 0 ? (a) => a / largest : () => 0;
}

export function networkRows(
  model: NetworkModel,
  P: ArrayLike<number>,
  maps?: { x: GridAxis; y: GridAxis; cells?: number },
): NetworkRows {
  const { layers } = model;
  const layout = parameterLayout(layers);
  const nodes: NodeRow[] = [];
  for (let l = 0; l < layers.length; l++) {
    for (let u = 0; u < layers[l]!; u++)
      nodes.push({ id: `${l}:${u}`, layer: l, unit: u, ...place(layers, l, u), label: nodeLabel(layers, l, u) });
  }
  const edges: EdgeRow[] = [];
  layout.slots.forEach((s, i) => {
    const l = i + 1;
    for (let r = 0; r < s.rows; r++) {
      for (let c = 0; c < s.cols; c++) {
        const w = P[s.w + r * s.cols + c]!;
        const from = place(layers, l - 1, c);
        const to = place(layers, l, r);
        edges.push({
          x: from.x,
          y: from.y,
          x2: to.x,
          y2: to.y,
          w,
          magnitude: Math.abs(w),
          sign: w < 0 ? 'negative' : 'positive',
          label: `W${l}[${r}][${c}]`,
        });
      }
    }
  });
  const cells: MapCellRow[] = [];
  if (maps) {
    const n = maps.cells ?? THUMB_CELLS;
    const all = neuronMaps(model, P, maps.x, maps.y, n);
    const side = THUMB_SIZE / n;
    all.forEach((layerMaps, i) => {
      const l = i + 1;
      const scale = mapScale(layerMaps, l === layers.length - 1);
      for (let u = 0; u < layers[l]!; u++) {
        const centre = place(layers, l, u);
        const left = centre.x - THUMB_SIZE / 2;
        const bottom = centre.y - THUMB_SIZE / 2;
        for (let j = 0; j < n; j++) {
          for (let k = 0; k < n; k++) {
            const a = layerMaps[u * n * n + j * n + k]!;
            // Each cell reaches half a cell further right and up, under the ones drawn after it, so no seam shows
            // the edges behind (as boundaryRows does); the last row and column stop at the thumbnail's edge.
            const x2 = Math.min(left + THUMB_SIZE, left + (k + 1.5) * side);
            const y2 = Math.min(bottom + THUMB_SIZE, bottom + (j + 1.5) * side);
            cells.push({ neuron: `${l}:${u}`, x: left + k * side, x2, y: bottom + j * side, y2, v: scale(a), a });
          }
        }
      }
    });
  }
  return { nodes, edges, cells, width: layers.length, height: Math.max(...layers) };
}

/** Past the diagram's limits: units, weights and ‖W‖ per layer. */
export function layerSummary(
  layers: readonly number[],
  P: ArrayLike<number>,
): Array<{ layer: number; units: number; weights: number; norm: number }> {
  return parameterLayout(layers).slots.map((s, i) => {
    let sq = 0;
    for (let k = s.w; k < s.w + s.rows * s.cols; k++) sq += P[k]! * P[k]!;
    return { layer: i + 1, units: s.rows, weights: s.rows * s.cols, norm: Math.sqrt(sq) };
  });
}

/**
 * The rows the network view draws for parameters P: with neuron maps when the data has two features (`grid`, the
 * boundary's axes) and the network is small enough, or null past the diagram's limits (the view then shows
 * layerSummary). Shared by the panel and the CLI's network.svg.
 */
export function networkViewRows(
  model: NetworkModel,
  P: ArrayLike<number>,
  grid: { x: GridAxis; y: GridAxis } | undefined,
): NetworkRows | null {
  const detail = networkDetail(model.layers, grid !== undefined);
  if (detail === 'summary') return null;
  return networkRows(model, P, detail === 'maps' && grid ? { x: grid.x, y: grid.y, cells: THUMB_CELLS } : undefined);
}

/** How many numbers a snapshot of this network holds. */
export function parameterCount(layers: readonly number[]): number {
  return parameterLayout(layers).size;
}
