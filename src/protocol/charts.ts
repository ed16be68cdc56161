/**
 * The charts' wire types: plain data the chart model (src/charts) draws. The extension builds these from run results,
 * sends them to the webview (src/protocol/webview.ts validates them on arrival) and hands the same shapes to the
 * headless SVG renderer (the chart worker, src/protocol/worker.ts).
 * Arrays are plain number arrays because webview messages are JSON: a NaN arrives as null and the guards
 * turn it back into NaN.
 */
import type { Activation, Inspection, OutputActivation, RunStatus, Snapshot } from '../core/types';
import type { GradcheckJson } from '../core/gradcheck/json';

/** A flattened config: dotted key → scalar; arrays (layers) are shown as their JSON text. */
export type FlatConfig = Record<string, string | number | boolean | null>;

/** One axis of the boundary grid: `n` cell centres spread evenly from min to max inclusive. */
export interface GridAxis {
  min: number;
  max: number;
  n: number;
}

/** Points of one split, as parallel arrays (feature 0, feature 1, class index). */
export interface PointSet {
  x: number[];
  y: number[];
  label: number[];
}

/**
 * A decision-boundary heatmap: cell (i, j) — column i along x, row j along y — is entry j * x.n + i.
 * Binary: `p` is P(class 1). Multi-class: `cls` is the arg-max class and `p` its probability.
 */
export interface BoundaryGrid {
  x: GridAxis;
  y: GridAxis;
  classes: number;
  p: number[];
  cls?: number[];
  train: PointSet;
  test?: PointSet;
}

/** A run as the panel shows it: a finished RunResult, or one still training (`status: 'running'`). */
export interface ChartRun {
  /** Unique within a panel; the host chooses it (e.g. the worker's run id or the history file name). */
  id: string;
  name: string;
  status: RunStatus | 'running';
  /** Flattened resolved config; the comparison table shows only the keys that differ between runs. */
  config: FlatConfig;
  /** costs[i] is the cost of the last epoch of bucket i, epoch (i+1)·testEvery − 1 (0-based), as the trainer records it. */
  costs: number[];
  /** testCosts[k] belongs to epoch k · testEvery. */
  testCosts?: number[];
  /** Epochs per recorded point (the trainer's costStride: costEvery, raised for very long runs). */
  testEvery: number;
  /** Planned number of epochs (for the x domain while a run is live). */
  epochs: number;
  trainAccuracy: number | null;
  testAccuracy: number | null;
  durationMs: number;
  /** The (0-based) epoch after which the parameters were no longer finite. */
  divergedAtEpoch?: number;
  error?: string;
  sweep?: Record<string, string | number | boolean | null>;
  boundary?: BoundaryGrid;
  /** The network's shape, for the network view (absent for a run whose config is unknown). */
  model?: { layers: number[]; activation: Activation; output: OutputActivation };
  /** A live run's latest snapshot (the network view draws it while training). */
  liveSnapshot?: Snapshot;
  /** A live run held by pause (or between steps). */
  paused?: boolean;
  /** Snapshots (thinned for the panel, see panelInspection), per-layer signals and diagnoses. */
  inspection?: Inspection;
}

/** One checked entry, among the worst of its check. */
export interface GradcheckEntry {
  param: string;
  index: [number, number];
  analytic: number;
  numeric: number;
  relativeError: number;
  /** A ReLU-style kink lies within ±epsilon of this entry, so the numeric gradient is unreliable. */
  kink: boolean;
}

/** Per-entry relative errors of one tensor, row-major; NaN where an entry was not sampled. */
export interface GradcheckMatrix {
  rows: number;
  cols: number;
  relativeError: number[];
}

/** One parameter tensor's summary in a gradient check, as `nnlab gradcheck --json` prints it. */
export type GradcheckTensor = GradcheckJson['parameters'][number];

/**
 * What the gradient-check view draws: the report as `nnlab gradcheck --json` prints it (one shape for the CLI and
 * the panel), with the worst entries over all tensors for the panel's table.
 */
export interface GradcheckView extends GradcheckJson {
  worst: GradcheckEntry[];
  /** Optional per-entry matrices by tensor name, for the heatmap shown when a parameter is clicked. */
  entries?: Record<string, GradcheckMatrix>;
}
