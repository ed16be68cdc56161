/**
 * Runs resolved experiments: in this process one after another (`--jobs 1`), or on a pool of worker threads
 * (src/runner/pool.ts, the one the extension uses). Either way a run that throws (e.g. unreadable data)
 * becomes an `error` result for that run alone, and results come back in the order of `tasks`.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BoundaryGrid } from '../core/charts/types';
import type { ExperimentConfig, RunResult } from '../core/types';
import type { ExperimentJob } from '../protocol/worker';
import { runJob } from '../runner/job';
import { WorkerPool } from '../runner/pool';

export interface RunTask {
  config: ExperimentConfig;
  baseDir: string;
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

export async function executeRuns(tasks: readonly RunTask[], jobs: number, listener: ExecuteListener = {}): Promise<RunOutcome[]> {
  if (jobs <= 1 || tasks.length <= 1) return executeInProcess(tasks, listener);
  return executeOnPool(tasks, Math.min(jobs, tasks.length), listener);
}

async function executeInProcess(tasks: readonly RunTask[], listener: ExecuteListener): Promise<RunOutcome[]> {
  const results: RunOutcome[] = [];
  for (const [index, task] of tasks.entries()) {
    listener.onStart?.(index);
    const started = performance.now();
    let run: RunOutcome;
    try {
      const outcome = await runJob(jobOf(task), {
        onEpoch: (epoch) => listener.onEpoch?.(index, epoch + 1),
        shouldStop: () => false,
      });
      run =
        outcome.kind === 'train'
          ? { result: outcome.result, ...(outcome.boundary ? { boundary: outcome.boundary } : {}) }
          : { result: errorResult(task.config.name, `unexpected ${outcome.kind} result`) };
    } catch (e) {
      run = { result: errorResult(task.config.name, e instanceof Error ? e.message : String(e), performance.now() - started) };
    }
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
  try {
    const handles = tasks.map((task, index) =>
      pool.submit(jobOf(task), {
        onStart: () => listener.onStart?.(index),
        onProgress: (p) => listener.onEpoch?.(index, p.firstEpoch + p.costs.length - 1),
      }),
    );
    return await Promise.all(
      handles.map(async (handle, index) => {
        const outcome = await handle.done;
        const name = tasks[index]!.config.name;
        const run: RunOutcome =
          outcome.kind === 'result'
            ? { result: outcome.result, ...(outcome.boundary ? { boundary: outcome.boundary } : {}) }
            : { result: errorResult(name, outcome.kind === 'error' ? outcome.message : `unexpected ${outcome.kind} outcome`) };
        listener.onDone?.(index, run.result);
        return run;
      }),
    );
  } finally {
    await pool.dispose();
  }
}
