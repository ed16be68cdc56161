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
/** …and at least this many (or the whole set), however tight the budget below. */
export const MIN_PROBE_EXAMPLES = 200;
/**
 * However few the epochs, the probes' example passes stay under this share of training's (epochs × examples). The
 * generic kernels a probe runs on are several times slower per example than training's tiled ones, so 1% of the
 * passes is a few percent of the time. Without a cap, 8 full-set probes took longer than the training itself on
 * the 784-wide bench set (50 s against numpy's 3 s).
 */
export const PROBE_SHARE = 0.01;

/** Which epochs a run measures its signals at, and over how many of its training examples. */
export interface ProbePlan {
  epochs: number[];
  examples: number;
}

/**
 * The probes of a run of `epochs` epochs on `examples` training examples: one per PROBE_EVERY epochs, at least
 * MIN_PROBES and at most MAX_PROBES, always the first and the last epoch; then within PROBE_SHARE of training's
 * example passes, first by fewer probes (never under 2), then by fewer examples per probe (never under
 * MIN_PROBE_EXAMPLES). The course's runs are far inside the budget.
 */
export function probePlan(epochs: number, examples: number): ProbePlan {
  if (epochs <= 0) return { epochs: [], examples: 0 };
  let count = Math.min(MAX_PROBES, Math.max(MIN_PROBES, Math.floor(epochs / PROBE_EVERY)));
  let measured = Math.min(examples, PROBE_EXAMPLES);
  const budget = PROBE_SHARE * epochs * examples;
  if (count * measured > budget) count = Math.max(2, Math.floor(budget / measured));
  if (count * measured > budget)
    measured = Math.min(examples, Math.max(MIN_PROBE_EXAMPLES, Math.floor(budget / count)));
  return { epochs: spacedEpochs(epochs - 1, count), examples: measured };
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

/** Epochs whose signals are measured when the training set's size is not known (no cost cap): see probePlan. */
export function probeEpochs(epochs: number): number[] {
  if (epochs <= 0) return [];
  return spacedEpochs(epochs - 1, Math.min(MAX_PROBES, Math.max(MIN_PROBES, Math.floor(epochs / PROBE_EVERY))));
}
