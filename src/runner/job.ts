/**
 * One job's work, as a worker runs it: load the data, then train or gradient-check through the core. Kept apart
 * from worker.ts so it has no worker_threads dependency and the CLI can run a job in-process.
 */
import type { DataConfig } from '../core/types';
import { boundaryGrid, parametersFromRows } from '../charts/boundary';
import type { ExperimentJob, Job, JobResult } from '../protocol/worker';
import { resourceLimits as ownLimits } from 'node:worker_threads';
import type { DataAccess } from '../core/datasets/access';
import { csvLoadThreads, loadTrainTest } from '../node/datasets';
import { DEFAULT_WORKER_MEMORY_MB, trainingMemoryProblem } from '../core/limits';
import { flatten, parameterLayout, trainExperiment } from '../core/nn';
import { InspectionRecorder } from '../core/inspect';
import { optimizerPaths } from '../core/inspect/landscape';
import { epochsOf } from '../core/nn/costHistory';
import { teamOf } from './threads';
import { runGradcheck } from './gradcheck';

export interface JobHooks {
  onEpoch(epoch: number, cost: number, testCost?: number): void;
  shouldStop(): boolean;
  /** Rows of CSV data read so far (generated data says nothing: it is instant). */
  onLoading?(rows: number): void;
  /** After every batch: the epoch (from 0), batches done of it, and how many it has. */
  onBatch?(epoch: number, done: number, batches: number): void;
  /** An inspected run's snapshot as it is taken (P is the trainer's buffer: copy what you keep). */
  onSnapshot?(epoch: number, P: Float64Array): void;
}

/** Why a model module is refused in an untrusted workspace; the extension shows the same words. */
export const UNTRUSTED_MODULE_MESSAGE =
  'model modules are user code and are not loaded in an untrusted workspace; trust the workspace to run it';

/** Why a model-module experiment does not train; the CLI and the editor show these words. */
export function moduleRunMessage(name: string): string {
  return `"${name}" uses a model module (model.module): model modules are for gradient checks, NN Lab does not train them; check it with \`nnlab gradcheck\` or ∇ Check gradients`;
}

export async function runJob(job: Job, hooks: JobHooks): Promise<JobResult> {
  // Charts render in the chart worker (runChartJob), so this bundle carries no vega.
  if (job.kind === 'costSvg' || job.kind === 'reportHtml') throw new Error(`${job.kind} jobs run in the chart worker`);
  if (job.kind === 'boundary') {
    const data = loadTrainTest(job.config.data, job.baseDir, job.dataAccess);
    return {
      kind: 'boundary',
      boundary: boundaryGrid(parametersFromRows(job.parameters), job.config.model, data.train, data.test),
    };
  }
  if (job.kind === 'paths') {
    const data = loadTrainTest(job.config.data, job.baseDir, job.dataAccess);
    return { kind: 'paths', paths: optimizerPaths(job.runs, job.config.model, data.train) };
  }
  return runExperimentJob(job, hooks);
}

async function runExperimentJob(msg: ExperimentJob, hooks: JobHooks): Promise<JobResult> {
  if (msg.config.model.module !== undefined && !msg.allowModules) throw new Error(UNTRUSTED_MODULE_MESSAGE);
  if (msg.kind === 'gradcheck') {
    const report = await runGradcheck(msg.config, msg.baseDir, {
      ...msg.gradcheck,
      ...(msg.dataAccess ? { dataAccess: msg.dataAccess } : {}),
    });
    return { kind: 'gradcheck', report: { ...report, name: msg.config.name } };
  }
  // The trainer trains NN Lab's own network; a module's forward/backward would be silently ignored.
  if (msg.config.model.module !== undefined) throw new Error(moduleRunMessage(msg.config.name));
  // A run given one thread shares the cores with other runs: its CSV is parsed on one thread too.
  csvLoadThreads(msg.threads ?? 1);
  const data = cachedTrainTest(msg.config.data, msg.baseDir, msg.dataAccess, hooks.onLoading);
  // Validation says this with a position; a job that reaches a worker anyway is refused before it allocates.
  const { layers } = msg.config.model;
  const memory = trainingMemoryProblem(
    layers,
    msg.config.train.optimizer,
    msg.config.train.batchSize,
    data.train.X.cols,
    ownLimits.maxOldGenerationSizeMb || DEFAULT_WORKER_MEMORY_MB,
  );
  if (memory) throw new Error(`${msg.config.name}: ${memory}`);
  const team = msg.threads !== undefined && msg.threads > 1 ? teamOf(msg.threads) : null;
  const recorder =
    msg.inspect === false
      ? undefined
      : new InspectionRecorder(msg.config.model, msg.config.train.epochs, data.train, hooks.onSnapshot);
  const { result, parameters } = trainExperiment(msg.config, data, recorder ? { ...hooks, probe: recorder } : hooks, {
    team,
  });
  if (recorder && result.status !== 'error') {
    // Epochs run, not cost points: a long run keeps one cost per bucket of epochs (costHistory.ts).
    result.inspection = recorder.finish(
      epochsOf(result),
      flatten(parameterLayout(msg.config.model.layers), parameters),
    );
  }
  if (result.status !== 'ok' || data.train.X.rows !== 2 || msg.boundary === false) return { kind: 'train', result };
  return { kind: 'train', result, boundary: boundaryGrid(parameters, msg.config.model, data.train, data.test) };
}

type TrainTest = ReturnType<typeof loadTrainTest>;

/**
 * Generated datasets of recent jobs, by their data config: the trials of a sweep usually share one, and a worker
 * (or the CLI's own thread) runs many trials in a row. Generation is deterministic from the config, and neither the
 * trainer nor the boundary grid writes to the data, so a cached set gives the same numbers as a fresh one.
 */
const dataCache = new Map<string, TrainTest>();
const DATA_CACHE_SIZE = 4;

function cachedTrainTest(
  cfg: DataConfig,
  baseDir: string,
  access: DataAccess = {},
  onRows?: (rows: number) => void,
): TrainTest {
  // CSV sets are kept by node/datasets/csv.ts, which knows when their file changes.
  if (cfg.dataset === 'csv' || cfg.test?.dataset === 'csv') return loadTrainTest(cfg, baseDir, access, onRows);
  const key = JSON.stringify(cfg);
  let data = dataCache.get(key);
  if (!data) {
    data = loadTrainTest(cfg, baseDir);
    // Oldest first: a Map iterates in insertion order.
    if (dataCache.size >= DATA_CACHE_SIZE) dataCache.delete(dataCache.keys().next().value!);
    dataCache.set(key, data);
  }
  return data;
}
