/**
 * The training worker (dist/worker.js): train, gradient-check and decision-boundary jobs through the core. It
 * holds no chart code, so a training thread starts in tens of milliseconds; charts have dist/charts-worker.js.
 */
import { setPriority } from 'node:os';
import { workerData } from 'node:worker_threads';
import type { TrainingWorkerData } from '../protocol/worker';
import { runJob } from '../runner/job';
import { serve } from './serve';

// In the editor training is background work: with more runs than cores, the editor's own threads must still get
// the CPU whenever they wake. On Linux the nice value is per thread, so this lowers only this worker thread (and any
// thread it starts); elsewhere setPriority(0, …) would lower the whole extension host, so it is left alone.
// The CLI's workers are what its user waits for, as its in-process runs are: they keep the normal priority, or on a
// busy machine every other process would come first (the 64-trial sweep with --jobs 2 took twice as long as --jobs 1).
const background = (workerData as TrainingWorkerData | undefined)?.background !== false;
if (process.platform === 'linux' && background) {
  try {
    setPriority(0, 10);
  } catch {
    // Not permitted here: train at normal priority.
  }
}

serve(runJob);
