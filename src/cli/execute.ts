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
import type { Pruner } from '../core/sweep/prune';
import type { ExperimentConfig, RunResult } from '../core/types';
import type { StatusMessage, TrainingWorkerData } from '../protocol/worker';
import type { DataAccess } from '../core/datasets/access';
import { forgetCsvData } from '../node/datasets';
import { DEFAULT_WORKER_MEMORY_MB, workerResourceLimits } from '../core/limits';
import { LocalRunner } from '../runner/local';
import { WorkerPool } from '../runner/pool';
import { threadsPerRun } from '../runner/threads';
import { trainAll, type RunOutcome, type Submitter, type TrainingTask } from '../runner/training';

export interface RunTask {
  config: ExperimentConfig;
  baseDir: string;
  /** A sweep trial's values by path; copied into its result. */
  sweep?: Record<string, unknown>;
  /** A trial of a pruned sweep: its pruner and its index in the sweep's trial order. */
  prune?: { pruner: Pruner; trial: number };
}

export interface ExecuteOptions {
  /** Compute each two-feature run's decision boundary (only --out draws it; 10,000 forward passes a run). */
  boundary?: boolean;
  /** A pool started early by startPool(), so worker start-up overlapped the caller's parsing; disposed here. */
  pool?: WorkerPool;
  /**
   * False when the listener does nothing with onEpoch (no progress bar): workers then post only results, not
   * progress. Trials of a pruned sweep stream their costs regardless, since pruning decides on them.
   */
  progress?: boolean;
  /** Threads per run (--threads); absent: the cores left over by the runs training at once (threadsPerRun). */
  threads?: number;
  /** What data files the runs may read (the size cap). */
  dataAccess?: DataAccess;
  /** Each worker's heap limit in MB (default DEFAULT_WORKER_MEMORY_MB). */
  workerMemoryMb?: number;
}

export interface ExecuteListener {
  onStart?(index: number): void;
  /** Epoch `epoch` (from 0) ended; `cost` the latest recorded cost. */
  onEpoch?(index: number, epoch: number, cost?: number): void;
  /** Loading (rows read) or inside an epoch (batches done), as the worker's status messages say. */
  onStatus?(index: number, status: Omit<StatusMessage, 'type' | 'runId'>): void;
  onDone?(index: number, result: RunResult): void;
}

export function defaultJobs(): number {
  return availableParallelism();
}

function jobOf(task: RunTask, options: ExecuteOptions): TrainingTask['job'] {
  // The CLI runs the user's own files, as `node script.js` would: model modules are allowed.
  const progress = (options.progress ?? true) || task.prune !== undefined;
  // Sweep trials are not inspected (protocol/worker.ts's `inspect` says why).
  const job: TrainingTask['job'] = {
    kind: 'train',
    config: task.config,
    baseDir: task.baseDir,
    allowModules: true,
    boundary: options.boundary ?? true,
    progress,
    inspect: !task.sweep,
  };
  if (options.threads !== undefined && options.threads > 1) job.threads = options.threads;
  if (options.dataAccess) job.dataAccess = options.dataAccess;
  return job;
}

/**
 * Jobs each worker holds at once: a sweep trial takes ~15 ms, so waiting a message round trip (1–5 ms) between
 * trials would idle the thread for a noticeable share of the time. Two keeps one trial queued behind the running one.
 */
const PIPELINE = 2;

/**
 * Starts the worker pool of `executeRuns(…, jobs)` now, so the threads boot while the caller still reads and expands
 * the experiment file; undefined when the runs would not use a pool. Pass it in `options.pool`.
 */
export function startPool(jobs: number, memoryMb = DEFAULT_WORKER_MEMORY_MB): WorkerPool | undefined {
  if (jobs <= 1 || !existsSync(workerPath())) return undefined;
  const pool = newPool(jobs, memoryMb);
  // The task count is not known yet: warm no more threads than there are cores (the pool shrinks to the task count
  // once it is known, and grows up to `jobs` only if there are that many runs).
  pool.warm(Math.min(jobs, availableParallelism()));
  return pool;
}

function newPool(size: number, memoryMb: number): WorkerPool {
  const workerData: TrainingWorkerData = { background: false };
  const createWorker = () => new Worker(workerPath(), { workerData, resourceLimits: workerResourceLimits(memoryMb) });
  return new WorkerPool({ size, createWorker, idleMs: 0, pipeline: PIPELINE });
}

export async function executeRuns(
  tasks: readonly RunTask[],
  jobs: number,
  listener: ExecuteListener = {},
  options: ExecuteOptions = {},
): Promise<RunOutcome[]> {
  // Without the bundled worker next to this file (e.g. bundled elsewhere), run here rather than fail. A pool from
  // startPool() was only made once the worker was found.
  const inProcess = jobs <= 1 || tasks.length <= 1 || (!options.pool && !existsSync(workerPath()));
  options = { ...options, threads: threadsPerRun(options.threads, inProcess ? 1 : jobs, tasks.length) };
  if (inProcess) {
    await options.pool?.dispose();
    // Trials run in order here, so every pruning decision is made the moment a trial reaches the pruning epoch.
    return execute(new LocalRunner(), tasks, listener, options);
  }
  const size = Math.min(jobs, tasks.length);
  const pool = options.pool ?? newPool(size, options.workerMemoryMb ?? DEFAULT_WORKER_MEMORY_MB);
  // The workers read their own data: what validation kept here for in-process runs is not needed.
  forgetCsvData();
  // A pool started for more runs than there are: the extra workers go as soon as they are idle.
  pool.resize(size);
  // Two-ended: trials may run in any order here (results are indexed), and it saved ~7% of the 64-trial sweep
  // bench (fewer variants per thread). Not for pruned sweeps: pruning stops a trial early only once the trials
  // before it reached the pruning epoch, so those run first.
  pool.setTwoEnded(!tasks.some((t) => t.prune));
  try {
    return await execute(pool, tasks, listener, options);
  } finally {
    await pool.dispose();
  }
}

/**
 * Trains the tasks on `submitter` (the pool, or this thread) through the runner shared with the editor
 * (runner/training.ts): it keeps each run's costs, prunes, and turns every ending into a result.
 */
async function execute(
  submitter: Submitter,
  tasks: readonly RunTask[],
  listener: ExecuteListener,
  options: ExecuteOptions,
): Promise<RunOutcome[]> {
  const runs = trainAll(
    submitter,
    tasks.map((task) => ({
      job: jobOf(task, options),
      ...(task.sweep ? { sweep: task.sweep } : {}),
      ...(task.prune ? { prune: task.prune } : {}),
    })),
    {
      onStart: (run) => listener.onStart?.(run.index),
      onProgress: (run) => listener.onEpoch?.(run.index, run.epoch, run.costs[run.costs.length - 1]),
      onStatus: (run, status) => listener.onStatus?.(run.index, status),
    },
  );
  return Promise.all(
    runs.map(async (run) => {
      const outcome = await run.done;
      listener.onDone?.(run.index, outcome.result);
      return outcome;
    }),
  );
}

/** dist/cli.js and dist/worker.js are bundled side by side. */
function workerPath(): string {
  return join(__dirname, 'worker.js');
}
