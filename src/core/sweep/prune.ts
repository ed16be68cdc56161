/**
 * Early stopping for sweeps, decided so that the same file prunes the same trials on one core or many:
 * trial k is compared only with the trials before it in trial order. Its cost at epoch `after` is pruned when
 * it is above the `quantile` (numpy's default linear interpolation) of the earlier trials' costs at that epoch
 * (every earlier trial that reached it, pruned or not). A decision waits until every earlier trial has either
 * reported its cost at `after` or ended before it, so it never depends on which thread ran faster.
 */
import type { PruneSettings } from './types';

/** numpy.quantile(values, q) with the default 'linear' method. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface PruneDecision {
  index: number;
  prune: boolean;
}

export class Pruner {
  /** undefined: not known yet; null: the trial ended before epoch `after`. */
  private readonly costs: (number | null | undefined)[];
  private frontier = 0;

  constructor(
    readonly settings: PruneSettings,
    count: number,
  ) {
    this.costs = new Array(count).fill(undefined);
  }

  /** Trial `index`'s cost at epoch `after`, or null when it ended before; returns the decisions this makes possible. */
  record(index: number, cost: number | null): PruneDecision[] {
    if (this.costs[index] !== undefined) return [];
    this.costs[index] = cost;
    const decisions: PruneDecision[] = [];
    while (this.frontier < this.costs.length && this.costs[this.frontier] !== undefined) {
      const k = this.frontier++;
      const own = this.costs[k];
      const earlier = this.costs.slice(0, k).filter((c): c is number => typeof c === 'number');
      const prune = typeof own === 'number' && earlier.length > 0 && own > quantile(earlier, this.settings.quantile);
      decisions.push({ index: k, prune });
    }
    return decisions;
  }
}
