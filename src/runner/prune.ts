/**
 * Deterministic early stopping of sweep trials on the worker pool, shared by `nnlab run --jobs` and the editor, so
 * both prune the same trials: the core's Pruner decides in trial order; this tracks a batch of running tasks, stops
 * the pruned ones, and cuts a pruned trial's result at the pruning epoch. Node only, no vscode.
 */
import { costStride } from '../core/nn/costHistory';
import type { Pruner } from '../core/sweep/prune';
import type { ExperimentConfig, RunResult } from '../core/types';

/** A task that may be a trial of a pruned sweep: its pruner and its index in the sweep's trial order. */
export interface PrunableTask {
  config: ExperimentConfig;
  prune?: { pruner: Pruner; trial: number };
}

/**
 * A pruned trial's result is cut at the pruning epoch, whenever the stop actually happened, so it is the same
 * on one thread or many; its parameters and accuracies are not reported for the same reason.
 */
export function prunedResult(
  task: PrunableTask,
  costs: readonly number[],
  testCosts: readonly number[] | undefined,
  durationMs: number,
): RunResult {
  const points = pointsUpTo(task, task.prune!.pruner.settings.after);
  const result: RunResult = {
    name: task.config.name,
    status: 'pruned',
    costs: costs.slice(0, points),
    trainAccuracy: null,
    testAccuracy: null,
    parameters: {},
    durationMs,
  };
  // Test costs are recorded per bucket too, at the bucket's first epoch.
  if (testCosts) result.testCosts = testCosts.slice(0, points);
  return result;
}

/** Recorded cost points up to and including epoch `after` (1-based): one per bucket of costStride epochs. */
function pointsUpTo(task: PrunableTask, after: number): number {
  return Math.ceil(after / costStride(task.config.train.epochs, task.config.train.costEvery));
}

/** Tracks pruning decisions for a batch of tasks; `stop` is called for trials pruned while they may still run. */
export class PruneTracker {
  readonly pruned = new Set<number>();
  private readonly recorded = new Set<number>();
  private readonly decisions = new Map<number, { promise: Promise<void>; resolve: () => void }>();

  constructor(
    private readonly tasks: readonly PrunableTask[],
    private readonly stop: (index: number) => void,
  ) {}

  /** Resolves once task `index` is known to be pruned or kept (at once for tasks without pruning). */
  decided(index: number): Promise<void> {
    if (!this.tasks[index]!.prune) return Promise.resolve();
    return this.waiter(index).promise;
  }

  private waiter(index: number): { promise: Promise<void>; resolve: () => void } {
    let w = this.decisions.get(index);
    if (!w) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      w = { promise, resolve };
      this.decisions.set(index, w);
    }
    return w;
  }

  /**
   * Task `index` ended with `result`: records it, waits until its pruning is decided (a trial that ended before
   * the trials ahead of it reached the pruning epoch may still be pruned) and returns the result to report, cut
   * at the pruning epoch when the trial was pruned. `durationMs` is the pruned result's (default: the result's).
   */
  async settle(index: number, result: RunResult, durationMs = result.durationMs): Promise<RunResult> {
    this.update(index, result.costs, true);
    await this.decided(index);
    return this.pruned.has(index)
      ? prunedResult(this.tasks[index]!, result.costs, result.testCosts, durationMs)
      : result;
  }

  /** Task `index` has these costs so far, or has ended with them. */
  update(index: number, costs: readonly number[], ended: boolean): void {
    const prune = this.tasks[index]!.prune;
    if (!prune || this.recorded.has(index)) return;
    // The cost at epoch `after` is that of the point whose bucket holds it (the epoch itself when every epoch counts).
    const points = pointsUpTo(this.tasks[index]!, prune.pruner.settings.after);
    if (costs.length < points && !ended) return;
    this.recorded.add(index);
    for (const d of prune.pruner.record(prune.trial, costs.length >= points ? costs[points - 1]! : null)) {
      const target = this.tasks.findIndex((t) => t.prune?.pruner === prune.pruner && t.prune.trial === d.index);
      if (target < 0) continue;
      if (d.prune) {
        this.pruned.add(target);
        this.stop(target);
      }
      this.waiter(target).resolve();
    }
  }
}
