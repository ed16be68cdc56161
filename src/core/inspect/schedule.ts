/**
 * Which epochs a run keeps parameter snapshots of and which it measures signals at. Both lists are bounded, so a
 * run's history file and its probing time stay small whatever its epoch count, and both are dense early, where
 * training changes fastest (and where the course's init lessons show: the saturated or symmetric epoch 0).
 */

/** Snapshots a run keeps at most: enough for a smooth replay slider, small enough for every run's history file. */
export const MAX_SNAPSHOTS = 64;
/** Signal probes at most, and the share of epochs probed: a probe costs about one full-batch epoch. */
export const MAX_PROBES = 64;
export const PROBE_SHARE = 0.01;

/**
 * Up to `count` distinct epochs in 0…last, always with 0 and last: half spaced evenly in log(1 + epoch) (dense
 * early) and half evenly in epoch (so late training is not left with a handful).
 */
export function spacedEpochs(last: number, count: number): number[] {
  if (last + 1 <= count) return Array.from({ length: last + 1 }, (_, i) => i);
  // Both halves include 0 and last, so the union has at most `count` epochs.
  const picked = new Set<number>();
  const half = Math.max(2, Math.floor(count / 2));
  const logEnd = Math.log(last + 1);
  for (let k = 0; k < half; k++) picked.add(Math.round(Math.exp((logEnd * k) / (half - 1))) - 1);
  for (let k = 0; k < count - half; k++) picked.add(Math.round((last * k) / Math.max(1, count - half - 1)));
  return [...picked].sort((a, b) => a - b);
}

/** Snapshot epochs of a run of `epochs` epochs: epoch e holds the parameters epoch e starts from, `epochs` the final ones. */
export function snapshotEpochs(epochs: number): number[] {
  return spacedEpochs(epochs, MAX_SNAPSHOTS);
}

/**
 * Epochs whose signals are measured: a budget of PROBE_SHARE of the epochs (so probing adds about 1% to training),
 * at most MAX_PROBES, and at least the first and last epoch.
 */
export function probeEpochs(epochs: number): number[] {
  if (epochs <= 0) return [];
  const count = Math.min(MAX_PROBES, Math.max(2, Math.floor(epochs * PROBE_SHARE)));
  return spacedEpochs(epochs - 1, count);
}
