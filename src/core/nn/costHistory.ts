/**
 * The cost history of a run, bounded whatever its length. A run records one point per `every` epochs, where
 * `every` is fixed before it starts: the experiment's costEvery, raised so that no run records more than
 * MAX_COST_POINTS points. A point holds the cost of the last epoch of its bucket (what `costs` shows) and, when a
 * bucket spans several epochs, the bucket's lowest and highest epoch cost, so a chart can still draw the spread.
 * Runs of up to MAX_COST_POINTS epochs with costEvery 1 record every epoch, exactly as before.
 */

import type { RunResult } from '../types';

/** At most this many points per run: 100,000 float64s are 0.8 MB per series, a few MB as JSON. */
export const MAX_COST_POINTS = 100_000;

/** Epochs per recorded point for a run of `epochs` epochs. */
export function costStride(epochs: number, costEvery: number): number {
  return Math.max(1, Math.floor(costEvery), Math.ceil(epochs / MAX_COST_POINTS));
}

export class CostHistory {
  readonly costs: number[] = [];
  /** Per point: the lowest and highest epoch cost of its bucket (kept only when a bucket spans several epochs). */
  readonly min: number[] = [];
  readonly max: number[] = [];
  private low = Infinity;
  private high = -Infinity;
  private last = NaN;
  private filled = 0;

  constructor(readonly every: number) {}

  /** Adds one epoch's cost; true when it closed a bucket (a point was recorded). */
  add(cost: number): boolean {
    this.last = cost;
    this.filled++;
    if (this.every > 1) {
      // A NaN cost must show in the summary: Math.min/max propagate it.
      this.low = Math.min(this.low, cost);
      this.high = Math.max(this.high, cost);
    }
    return this.filled === this.every ? this.close() : false;
  }

  /** Records the partial bucket of a run that stopped early or ended between buckets; true when there was one. */
  flush(): boolean {
    return this.filled > 0 ? this.close() : false;
  }

  private close(): boolean {
    this.costs.push(this.last);
    if (this.every > 1) {
      this.min.push(this.low);
      this.max.push(this.high);
      this.low = Infinity;
      this.high = -Infinity;
    }
    this.filled = 0;
    return true;
  }
}

/** Epochs a result covers (its cost points, unless they are thinned). */
export function epochsOf(result: Pick<RunResult, 'costs' | 'costSummary'>): number {
  return result.costSummary?.epochs ?? result.costs.length;
}
