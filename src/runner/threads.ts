/**
 * Thread teams for the tiled kernels on Node's worker_threads (core/nn/wasm/threads.ts does the rest), and how many
 * threads a run gets when several runs share the machine.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { threadTeam, type ThreadTeam } from '../core/nn/wasm/threads';

/** dist/products-worker.js, bundled beside dist/worker.js and dist/cli.js. */
export function helperScript(): string {
  return join(__dirname, 'products-worker.js');
}

/** A team of `threads` threads (the caller and threads − 1 helpers); one thread when helpers cannot start. */
export function nodeThreadTeam(threads: number, script = helperScript()): ThreadTeam {
  if (threads > 1 && !existsSync(script)) threads = 1;
  return threadTeam(threads, (control, index, parts) => {
    const worker = new Worker(script, { workerData: { control, index, parts } });
    // A helper never keeps the process alive; the team's close() ends it.
    worker.unref();
    return { post: (message) => worker.postMessage(message), terminate: () => void worker.terminate() };
  });
}

/**
 * This thread's team of each size, kept for its later runs: helpers boot in tens of milliseconds, which a sweep's
 * short trials should not pay each time. Helpers are unref'd, and end with the thread that started them.
 */
const teams = new Map<number, ThreadTeam>();

export function teamOf(threads: number): ThreadTeam {
  let team = teams.get(threads);
  if (!team) {
    team = nodeThreadTeam(threads);
    teams.set(threads, team);
  }
  return team;
}

/**
 * Threads per run when `jobs` runs train at once, `runs` in all: the cores left over by the runs, at least 1.
 * An explicit request (the setting or --threads) wins.
 */
export function threadsPerRun(
  requested: number | undefined,
  jobs: number,
  runs: number,
  cores = availableParallelism(),
): number {
  if (requested !== undefined && requested >= 1) return Math.floor(requested);
  const concurrent = Math.max(1, Math.min(jobs, runs));
  return Math.max(1, Math.floor(cores / concurrent));
}
