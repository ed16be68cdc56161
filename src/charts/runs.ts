/**
 * Turning the core's results into what the charts draw. The extension and the CLI call these, so the webview
 * and the headless renderer see the same ChartRun for the same RunResult.
 */
import type { ExperimentConfig, Inspection, RunResult } from '../core/types';
import { costStride } from '../core/nn/costHistory';
import type { BoundaryGrid, ChartRun, FlatConfig } from '../protocol/charts';

/** Flattens a resolved config to dotted keys (`train.learningRate`); arrays become their JSON text. */
export function flattenConfig(value: unknown, prefix = '', out: FlatConfig = {}): FlatConfig {
  if (value === null || typeof value !== 'object') {
    if (prefix) out[prefix] = value === undefined ? null : (value as string | number | boolean | null);
    return out;
  }
  if (Array.isArray(value)) {
    out[prefix] = JSON.stringify(value);
    return out;
  }
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    flattenConfig(v, prefix ? `${prefix}.${key}` : key, out);
  }
  return out;
}

export interface ChartRunExtras {
  config?: ExperimentConfig;
  boundary?: BoundaryGrid;
}

/** A finished run as the panel shows it. `id` must be unique within the panel. */
export function chartRunFromResult(id: string, result: RunResult, extras: ChartRunExtras = {}): ChartRun {
  const run: ChartRun = {
    id,
    name: result.name,
    status: result.status,
    config: extras.config ? flattenConfig(extras.config) : {},
    costs: result.costs,
    testEvery:
      result.costSummary?.every ??
      (extras.config ? costStride(extras.config.train.epochs, extras.config.train.costEvery) : 1),
    epochs: extras.config?.train.epochs ?? result.costs.length,
    trainAccuracy: result.trainAccuracy,
    testAccuracy: result.testAccuracy,
    durationMs: result.durationMs,
  };
  if (result.testCosts) run.testCosts = result.testCosts;
  if (result.divergedAtEpoch !== undefined) run.divergedAtEpoch = result.divergedAtEpoch;
  if (result.error !== undefined) run.error = result.error;
  if (result.sweep) run.sweep = flattenConfig(result.sweep);
  if (extras.boundary) run.boundary = extras.boundary;
  if (extras.config && extras.config.model.layers.length >= 2) {
    const { layers, activation, output } = extras.config.model;
    run.model = { layers, activation, output };
    if (result.inspection) run.inspection = panelInspection(result.inspection);
  }
  return run;
}

/**
 * Numbers of snapshot parameters the panel gets per run at most. The panel's state is posted and saved as JSON on
 * every change; a wide network's 64 snapshots would be megabytes, so they are thinned evenly (first and last kept).
 */
export const PANEL_SNAPSHOT_NUMBERS = 200_000;

export function panelInspection(inspection: Inspection): Inspection {
  const { snapshots } = inspection;
  const size = snapshots[0]?.parameters.length ?? 0;
  const keep = Math.max(2, Math.floor(PANEL_SNAPSHOT_NUMBERS / Math.max(1, size)));
  if (snapshots.length <= keep) return inspection;
  const picked = Array.from(
    { length: keep },
    (_, k) => snapshots[Math.round((k * (snapshots.length - 1)) / (keep - 1))]!,
  );
  return { ...inspection, snapshots: picked };
}
