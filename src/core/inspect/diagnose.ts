/**
 * What a tutor would say about a run's per-layer signals, in words, naming the layer and the epoch. The thresholds
 * are constants here and the tests pin them (test/unit/inspect.test.ts):
 *   symmetry   a hidden layer's units all identical (largest distance ≤ SYMMETRIC_DISTANCE) at every probe;
 *   saturation at least SATURATED_SHARE of a layer's outputs (the output layer: of the examples) saturated;
 *   dead       from some probe to the last, every unit of a relu layer zero on every example (any width), or at
 *              least DEAD_SHARE of them in a layer of at least DEAD_MIN_UNITS units.
 * Saturation is named at the first probe that crosses its threshold. Dead units are named from the probe after which
 * they stay at or over theirs, with the share at the last probe: a unit that comes back to life was not dead, and a
 * dip under the threshold and back restarts the count. A layer whose units are all
 * identical is not also called dead: its units are zero because they are identical, and symmetry is the lesson.
 *
 * Why a width: in a narrow layer a share counts a unit or two, and whether they die is the seed's luck, not a lesson.
 * The course's own He run (layer 2 of 5 units) ends with 3 dead at 99.3% training accuracy, and the optimization
 * lab's layer 2 (2 units) has one dead from the first epoch under every optimizer while Adam reaches 94%: a tutor
 * would not single either out. A whole dead layer always hurts, whatever its width: it passes zeros, so the output no
 * longer depends on the input and nothing before it gets a gradient.
 */
import type { Diagnosis, LayerSignals } from '../types';

export const SYMMETRIC_DISTANCE = 1e-12;
export const SATURATED_SHARE = 0.5;
export const DEAD_SHARE = 0.25;
export const DEAD_MIN_UNITS = 8;

const pct = (share: number) => `${Math.round(share * 100)}%`;

function firstAtLeast(values: number[] | null, threshold: number): number {
  return values ? values.findIndex((v) => v >= threshold) : -1;
}

/** The index from which every value is ≥ threshold, or -1 when the last one is not. */
function holdsFrom(values: number[] | null, threshold: number): number {
  if (!values) return -1;
  let from = values.length;
  while (from > 0 && values[from - 1]! >= threshold) from--;
  return from < values.length ? from : -1;
}

export function diagnose(epochs: number[], layers: LayerSignals[]): Diagnosis[] {
  if (!epochs.length) return [];
  const out: Diagnosis[] = [];
  const last = layers.length;
  for (const s of layers) {
    const name = s.layer === last ? 'output' : `layer ${s.layer}`;
    const symmetric = s.symmetry !== null && s.symmetry.every((d) => d <= SYMMETRIC_DISTANCE);
    if (symmetric) {
      const span =
        epochs.length > 1 ? `from epoch ${epochs[0]} to ${epochs[epochs.length - 1]}` : `at epoch ${epochs[0]}`;
      out.push({
        kind: 'symmetry',
        layer: s.layer,
        epoch: epochs[0]!,
        text: `${name}: all ${s.units} units identical ${span}, symmetry never broken`,
      });
    }
    const saturated = firstAtLeast(s.saturated, SATURATED_SHARE);
    if (saturated >= 0) {
      const share = s.saturated![saturated]!;
      const epoch = epochs[saturated]!;
      const text =
        s.layer === last
          ? `output saturated in ${pct(share)} of examples at epoch ${epoch}`
          : `${name}: ${pct(share)} of ${s.activation} outputs saturated at epoch ${epoch}`;
      out.push({ kind: 'saturation', layer: s.layer, epoch, share, text });
    }
    const dead = symmetric ? -1 : holdsFrom(s.dead, s.units >= DEAD_MIN_UNITS ? DEAD_SHARE : 1);
    if (dead >= 0) {
      const share = s.dead![s.dead!.length - 1]!;
      const epoch = epochs[dead]!;
      const end = epochs[epochs.length - 1]!;
      out.push({
        kind: 'dead',
        layer: s.layer,
        epoch,
        share,
        text:
          share === 1
            ? `all ${s.units} ReLUs in ${name} are dead (zero on every example) ${epoch < end ? `since epoch ${epoch}` : `at epoch ${end}`}: the output no longer depends on the input`
            : `${pct(share)} of ReLUs in ${name} are dead (zero on every example) at epoch ${end}${epoch < end ? `, at least ${pct(DEAD_SHARE)} since epoch ${epoch}` : ''}`,
      });
    }
  }
  return out.sort((a, b) => a.epoch - b.epoch || a.layer - b.layer);
}
