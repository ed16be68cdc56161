/** The rows of the per-layer signals chart (networkSpecs.ts signalsSpec), from a run's inspection. */
import type { Inspection } from '../core/types';

/** The chart's columns, in order; each holds one or two series. */
export const SIGNAL_PANELS = ['activation', 'saturated / dead', 'gradient norm', 'update ratio', 'symmetry'] as const;

export interface SignalRow {
  /** "layer 1 · relu", "output · sigmoid": the row of small multiples. */
  layer: string;
  /** The row's and the column's places, which order the facets (a sort by a list of names misplaces cells). */
  row: number;
  column: number;
  panel: (typeof SIGNAL_PANELS)[number];
  series: string;
  epoch: number;
  value: number;
}

/** Every finite signal value as a row; a signal that does not apply to a layer (null) has no rows. */
export function signalRows(inspection: Inspection): SignalRow[] {
  const rows: SignalRow[] = [];
  const last = inspection.layers.length;
  for (const s of inspection.layers) {
    const layer = `${s.layer === last ? 'output' : `layer ${s.layer}`} · ${s.activation}`;
    const add = (panel: SignalRow['panel'], series: string, values: ReadonlyArray<number | null> | null) => {
      values?.forEach((value, k) => {
        if (value !== null && Number.isFinite(value)) {
          rows.push({
            layer,
            row: s.layer,
            column: SIGNAL_PANELS.indexOf(panel),
            panel,
            series,
            epoch: inspection.signalEpochs[k]!,
            value,
          });
        }
      });
    };
    add('activation', 'mean', s.mean);
    add('activation', 'std', s.std);
    add('saturated / dead', 'saturated', s.saturated);
    add('saturated / dead', 'dead', s.dead);
    add('gradient norm', '‖∇‖', s.gradNorm);
    add('update ratio', '‖ΔW‖/‖W‖', s.updateRatio);
    add('symmetry', 'max distance', s.symmetry);
  }
  return rows;
}
