/**
 * The training worker (dist/worker.js): train, gradient-check and decision-boundary jobs through the core. It
 * holds no chart code, so a training thread starts in tens of milliseconds; charts have dist/charts-worker.js.
 */
import { setPriority } from 'node:os';
import { runJob } from '../runner/job';
import { serve } from './serve';

// Training is background work: with more runs than cores, the editor's own threads must still get the CPU
// whenever they wake. On Linux the nice value is per thread, so this lowers only this worker thread (and any
// thread it starts); elsewhere setPriority(0, …) would lower the whole extension host, so it is left alone.
if (process.platform === 'linux') {
  try {
    setPriority(0, 10);
  } catch {
    // Not permitted here: train at normal priority.
  }
}

serve(runJob);
