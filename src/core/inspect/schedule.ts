/**
 * Which epochs a run keeps parameter snapshots of and which it measures signals at. Both lists are bounded, so a
 * run's history file and its probing time stay small whatever its epoch count, and both are dense early, where
 * training changes fastest (and where the course's init lessons show: the saturated or symmetric epoch 0).
 */

/** Snapshots a run keeps at most: enough for a smooth replay slider, small enough for every run's history file. */
export const MAX_SNAPSHOTS = 64;
/**
 * The probe budget. A probe is one full-batch forward and backward pass with the generic kernels (it needs every
 * layer's outputs), about ten epochs of the course's runs on the WebAssembly kernels, so one probe per PROBE_EVERY
 * epochs costs about 1.7% of training (bench/inspect.bench.ts measures it). Runs get at least MIN_PROBES (a short run
 * is fast whatever the ratio: 8 probes of [2,10,5,1] on 300 examples take about a millisecond) and at most MAX_PROBES.
 */
export const PROBE_EVERY = 600;
export const MIN_PROBES = 8;
export const MAX_PROBES = 32;
/**
 * A probe measures at most this many training examples (evenly spaced through the set), so its cost does not grow
 * with the data: the course's sets (≤ 300 examples) and digits (1,500) are measured whole.
 */
export const PROBE_EXAMPLES = 2000;
/**
 * However few the epochs, the probes' example passes stay under this share of training's (epochs × examples): a
 * 5-epoch run on 20,000 examples gets 2 probes of 2,000, not 8. Without it, 8 full-set probes on the generic
 * kernels took longer than the training itself on the 784-wide bench set (50 s against numpy's 3 s).
 */
export const PROBE_SHARE = 0.05;

/** How many examples a probe of a set of `m` measures. */
export function probeExamples(m: number): number {
  return Math.min(m, PROBE_EXAMPLES);
}

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
 * Epochs whose signals are measured, on the budget above, for a training set of `examples` (unknown: no cost cap);
 * always the first and the last epoch.
 */
export function probeEpochs(epochs: number, examples?: number): number[] {
  if (epochs <= 0) return [];
  let count = Math.min(MAX_PROBES, Math.max(MIN_PROBES, Math.floor(epochs / PROBE_EVERY)));
  if (examples !== undefined && examples > 0) {
    count = Math.min(count, Math.max(2, Math.floor((PROBE_SHARE * epochs * examples) / probeExamples(examples))));
  }
  return spacedEpochs(epochs - 1, count);
}
