/**
 * Runs resolved experiments: in this process one after another (`--jobs 1`), or on a pool of worker threads
 * (src/runner/pool.ts, the one the extension uses). Either way a run that throws (e.g. unreadable data)
 * becomes an `error` result for that run alone, results come back in the order of `tasks`, and sweep trials
 * with pruning are stopped by the deterministic Pruner of src/core/sweep (so both ways prune the same trials).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BoundaryGrid } from '../core/charts/types';
import type { Pruner } from '../core/sweep/prune';
import { PruneTracker, prunedResult } from '../runner/prune';
import type { ExperimentConfig, RunResult } from '../core/types';
import type { ExperimentJob } from '../protocol/worker';
import { runJob } from '../runner/job';
import { WorkerPool, type JobHandle } from '../runner/pool';

export interface RunTask {
  config: ExperimentConfig;
  baseDir: string;
  /** A sweep trial's values by path; copied into its result. */
  sweep?: Record<string, unknown>;
  /** A trial of a pruned sweep: its pruner and its index in the sweep's trial order. */
  prune?: { pruner: Pruner; trial: number };
}

/** A finished run, with the decision boundary the job computes for two-feature data (for --out charts). */
export interface RunOutcome {
  result: RunResult;
  boundary?: BoundaryGrid;
}

export interface ExecuteListener {
  onStart?(index: number): void;
  /** `epochs` finished so far (a count). */
  onEpoch?(index: number, epochs: number): void;
  onDone?(index: number, result: RunResult): void;
}

export function defaultJobs(): number {
  return availableParallelism();
}

export function errorResult(name: string, message: string, durationMs = 0): RunResult {
  return { name, status: 'error', error: message, costs: [], trainAccuracy: null, testAccuracy: null, parameters: {}, durationMs };
}

function jobOf(task: RunTask): ExperimentJob {
  // The CLI runs the user's own files, as `node script.js` would: model modules are allowed.
  return { kind: 'train', config: task.config, baseDir: task.baseDir, allowModules: true };
}

function finalize(task: RunTask, result: RunResult, pruned: boolean): RunResult {
  const out = pruned ? prunedResult(task, result.costs, result.testCosts, result.durationMs) : result;
  if (task.sweep) out.sweep = task.sweep;
  return out;
}

export async function executeRuns(tasks: readonly RunTask[], jobs: number, listener: ExecuteListener = {}): Promise<RunOutcome[]> {
  // Without the bundled worker next to this file (e.g. bundled elsewhere), run here rather than fail.
  if (jobs <= 1 || tasks.length <= 1 || !existsSync(workerPath())) return executeInProcess(tasks, listener);
  return executeOnPool(tasks, Math.min(jobs, tasks.length), listener);
}

async function executeInProcess(tasks: readonly RunTask[], listener: ExecuteListener): Promise<RunOutcome[]> {
  // Trials run in order here, so every decision is made the moment a trial reaches the pruning epoch.
  const tracker = new PruneTracker(tasks, () => {});
  const results: RunOutcome[] = [];
  for (const [index, task] of tasks.entries()) {
    listener.onStart?.(index);
    const started = performance.now();
    const costs: number[] = [];
    let run: RunOutcome;
    try {
      const outcome = await runJob(jobOf(task), {
        onEpoch: (epoch, cost) => {
          costs.push(cost);
          tracker.update(index, costs, false);
          listener.onEpoch?.(index, epoch + 1);
        },
        shouldStop: () => tracker.pruned.has(index),
      });
      run =
        outcome.kind === 'train'
          ? { result: outcome.result, ...(outcome.boundary ? { boundary: outcome.boundary } : {}) }
          : { result: errorResult(task.config.name, `unexpected ${outcome.kind} result`) };
    } catch (e) {
      run = { result: errorResult(task.config.name, e instanceof Error ? e.message : String(e), performance.now() - started) };
    }
    tracker.update(index, run.result.costs, true);
    const pruned = tracker.pruned.has(index);
    run.result = finalize(task, run.result, pruned);
    if (pruned) delete run.boundary;
    listener.onDone?.(index, run.result);
    results.push(run);
  }
  return results;
}

/** dist/cli.js and dist/worker.js are bundled side by side. */
function workerPath(): string {
  return join(__dirname, 'worker.js');
}

async function executeOnPool(tasks: readonly RunTask[], size: number, listener: ExecuteListener): Promise<RunOutcome[]> {
  const pool = new WorkerPool({ size, createWorker: () => new Worker(workerPath()), idleMs: 0 });
  const handles: JobHandle[] = [];
  const finished = new Set<number>();
  const tracker = new PruneTracker(tasks, (i) => {
    if (!finished.has(i)) handles[i]?.cancel();
  });
  // Costs as they stream in, for pruning and for a pruned trial's history.
  const costs = tasks.map(() => [] as number[]);
  const testCosts = tasks.map(() => [] as number[]);
  const started = tasks.map(() => 0);
  try {
    for (const [index, task] of tasks.entries()) {
      handles.push(
        pool.submit(jobOf(task), {
          onStart: () => {
            started[index] = performance.now();
            listener.onStart?.(index);
          },
          onProgress: (p) => {
            costs[index]!.push(...p.costs);
            if (p.testCosts) testCosts[index]!.splice(p.firstTestIndex ?? testCosts[index]!.length, p.testCosts.length, ...p.testCosts);
            listener.onEpoch?.(index, p.firstEpoch + p.costs.length - 1);
            tracker.update(index, costs[index]!, false);
          },
        }),
      );
    }
    return await Promise.all(
      handles.map(async (handle, index) => {
        const outcome = await handle.done;
        finished.add(index);
        const task = tasks[index]!;
        let run: RunOutcome;
        if (outcome.kind === 'result') run = { result: outcome.result, ...(outcome.boundary ? { boundary: outcome.boundary } : {}) };
        else if (outcome.kind === 'cancelled') {
          const partial: RunResult = { ...errorResult(task.config.name, 'cancelled'), costs: costs[index]! };
          if (task.config.data.test) partial.testCosts = testCosts[index]!;
          run = { result: { ...partial, durationMs: performance.now() - started[index]! } };
        } else run = { result: errorResult(task.config.name, outcome.kind === 'error' ? outcome.message : `unexpected ${outcome.kind} outcome`) };
        tracker.update(index, run.result.costs, true);
        // A trial that finished before its earlier trials reached the pruning epoch may be pruned afterwards.
        await tracker.decided(index);
        const pruned = tracker.pruned.has(index);
        run.result = finalize(task, run.result, pruned);
        if (pruned) delete run.boundary;
        listener.onDone?.(index, run.result);
        return run;
      }),
    );
  } finally {
    await pool.dispose();
  }
}
