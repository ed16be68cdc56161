/**
 * The extension ↔ training-worker boundary (also used by the CLI's `--jobs`). Both sides import this file.
 * Messages are discriminated by `type`; every message that arrives from the other side goes through a guard
 * (`toWorkerMessage` / `fromWorkerMessage`) that turns `unknown` into a typed message or throws a clear error.
 * No vscode, no DOM.
 */
import type { ExperimentConfig, RunResult, Snapshot } from '../core/types';
import type { OptimizerPaths } from '../core/inspect/landscape';
import type { BoundaryGrid, ChartRun } from './charts';
import type { GradcheckReport } from '../core/gradcheck/check';
import type { SharedModule } from '../core/nn/wasm/modules';
import { bool, ProtocolError, record, str, type Rec } from './guards';
import { gradcheckReportFrom } from './moduleWorker';
import type { DataAccess } from '../core/datasets/access';

/** The training worker's workerData (set by the host that creates it, so not guarded). */
export interface TrainingWorkerData {
  /** False: train at normal priority (the CLI). Absent or true: lowered priority on Linux (the editor). */
  background?: boolean;
}

/** What a job asks the worker to do. */
export type JobKind = 'train' | 'gradcheck' | 'costSvg' | 'reportHtml' | 'boundary' | 'paths';

/** Gradient-check options, as the settings `nnlab.gradcheck.*` give them. */
export interface GradcheckOptions {
  epsilon?: number;
  threshold?: number;
  /** Entries per tensor in sampled mode; absent means every entry. */
  sample?: number;
  /** The interpreter for a Python model module (the editor resolves it; docs/python.md). */
  python?: string;
}

/** The most threads one run may ask for. */
export const MAX_THREADS = 64;

/** Train or gradient-check one experiment. */
export interface ExperimentJob {
  kind: 'train' | 'gradcheck';
  config: ExperimentConfig;
  /** Directory of the experiment file: CSV paths and model modules resolve against it. */
  baseDir: string;
  /** False in an untrusted workspace: the worker then refuses to load a model module. */
  allowModules: boolean;
  gradcheck?: GradcheckOptions;
  /**
   * False skips the decision-boundary grid of a finished two-feature run (10,000 forward passes): the CLI asks
   * for it only when --out writes boundary.svg. Absent means true, which the editor's panel relies on.
   */
  boundary?: boolean;
  /**
   * False: the worker posts no progress messages, only the result (which carries every cost). Each message wakes
   * the host's thread, which on a busy machine takes a core from a training thread: the CLI asks for progress only
   * when it draws a progress bar or prunes (~50 ms of a 0.7 s 64-trial sweep on 2 cores). Absent means true.
   */
  progress?: boolean;
  /**
   * Threads for one training run's large matrix products (the worker's thread and threads − 1 helpers); the results
   * are the same bits for any count. Absent means 1.
   */
  threads?: number;
  /**
   * False skips the run's inspection (src/core/inspect: snapshots, per-layer signals, diagnoses). Sweep trials
   * skip it: a thousand trials' snapshots would fill the history for a replay nobody opens. Absent means true.
   */
  inspect?: boolean;
  /** Pause/resume/step shared with the host (runner/pause.ts PauseControl.buffer); absent: the run cannot pause. */
  control?: SharedArrayBuffer;
  /** What data files the worker may read (size cap; in an untrusted workspace, the folders). Absent: defaults. */
  dataAccess?: DataAccess;
}

/** Render a cost-curve chart to SVG (vega, headless): vega stays off the extension host's thread and bundle. */
export interface CostSvgJob {
  kind: 'costSvg';
  runs: ChartRun[];
  width: number;
}

/** Render the "Save report" document of a comparison (self-contained HTML with inline SVG charts). */
export interface ReportHtmlJob {
  kind: 'reportHtml';
  runs: ChartRun[];
  title?: string;
  subtitle?: string;
}

/** The decision boundary of stored parameters (a run opened from the history), over the experiment's data. */
export interface BoundaryJob {
  kind: 'boundary';
  config: ExperimentConfig;
  baseDir: string;
  /** Final parameters in the RunResult layout (rows). */
  parameters: Record<string, number[][]>;
  dataAccess?: DataAccess;
}

/**
 * The optimizer paths of comparable runs (core/inspect/landscape.ts): their snapshots on one plane and the cost over
 * it, evaluated over the data of `config` (every run's: comparablePaths checked that they share it).
 */
export interface PathsJob {
  kind: 'paths';
  config: ExperimentConfig;
  baseDir: string;
  runs: Array<{ name: string; snapshots: Snapshot[] }>;
  dataAccess?: DataAccess;
}

export type Job = ExperimentJob | CostSvgJob | ReportHtmlJob | BoundaryJob | PathsJob;

/** Host → worker: start one job. The worker runs one job at a time, in the order the starts arrive. */
export type StartMessage = { type: 'start'; runId: number } & Job;

/** Host → worker: stop the current job at the next epoch (the host also terminates the worker). */
export interface CancelMessage {
  type: 'cancel';
  runId: number;
}

/**
 * Both ways: compiled WebAssembly kernels (core/nn/wasm/modules.ts). A worker posts each module it builds; the pool
 * hands it to its other workers, and every module it holds to a worker it starts, so no thread builds a kernel that
 * another one already built.
 */
export interface ModulesMessage {
  type: 'modules';
  modules: SharedModule[];
}

export type ToWorker = StartMessage | CancelMessage | ModulesMessage;

/**
 * Worker → host: the costs of the epochs since the previous progress message, at most 20 messages a second.
 * `costs` and `testCosts` are transferred, not copied; `firstIndex` is the index of costs[0] in the run's recorded
 * costs, which hold one point per epoch unless the run thins them (RunResult.costSummary). Test costs may be fewer,
 * so they carry their own index.
 */
export interface ProgressMessage {
  type: 'progress';
  runId: number;
  firstIndex: number;
  /** The epoch (from 0, as the trainer and StatusMessage count) of the last of `costs`. */
  epoch: number;
  epochs: number;
  costs: Float64Array;
  testCosts?: Float64Array;
  /** Index in the run's test costs of testCosts[0]. */
  firstTestIndex?: number;
  /** The latest snapshot taken since the previous progress message (an inspected run), for live views. */
  snapshot?: { epoch: number; parameters: Float64Array };
}

/**
 * Worker → host: where a training job is between progress messages, at most 10 a second, for jobs that asked for
 * progress: loading its data (`rows` read so far), or inside an epoch (`batch`: epoch from 0, batches done of how
 * many). An epoch of a large set can take a minute, and a bar that moves only at epoch ends looks stuck.
 */
export interface StatusMessage {
  type: 'status';
  runId: number;
  rows?: number;
  batch?: { epoch: number; done: number; batches: number };
}

/**
 * What a job produced, as runner/job.ts returns it, the worker posts it (DoneMessage) and the pool resolves it
 * (runner/pool.ts JobOutcome adds only error and cancelled): one shape from the trainer to the caller.
 */
export type JobResult =
  /** A training run ended (ok, diverged, cancelled, or an error the trainer reported), with the decision boundary
   *  of a finished two-feature run (computed in the worker: 10,000 forward passes). */
  | TrainResult
  /** The core's gradient-check report, as `nnlab gradcheck --json` prints it. */
  | { kind: 'gradcheck'; report: GradcheckReportData }
  /** A costSvg (an SVG document) or reportHtml (an HTML document) job. */
  | { kind: 'rendered'; text: string }
  /** A boundary job (stored parameters). */
  | { kind: 'boundary'; boundary: BoundaryGrid }
  /** A paths job: comparable runs' optimizer paths on one plane, and the cost over it. */
  | { kind: 'paths'; paths: OptimizerPaths };

/** A finished training run: what the CLI reports and the editor stores and draws. */
export interface TrainResult {
  kind: 'train';
  result: RunResult;
  boundary?: BoundaryGrid;
}

/** Worker → host: a job finished. */
export interface DoneMessage {
  type: 'done';
  runId: number;
  result: JobResult;
}

/** Worker → host: the job threw (bad data path, model module error, refused module …). */
export interface ErrorMessage {
  type: 'error';
  runId: number;
  message: string;
}

export type FromWorker = ProgressMessage | StatusMessage | DoneMessage | ErrorMessage | ModulesMessage;

/** Worker → host: the core's gradient-check report, with the experiment's name. */
export type GradcheckReportData = GradcheckReport & { name: string };

export { ProtocolError };

function int(m: Rec, key: string, what: string): number {
  const v = m[key];
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ProtocolError(`${what}.${key}: expected an integer`);
  return v;
}

function count(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new ProtocolError(`${what}: expected a count`);
  return v;
}

function f64(m: Rec, key: string, what: string): Float64Array {
  const v = m[key];
  if (!(v instanceof Float64Array)) throw new ProtocolError(`${what}.${key}: expected a Float64Array`);
  return v;
}

/** The list of a modules message: each a key, a WebAssembly.Module and the numbers its kernel needs besides. */
function modulesMessage(m: Rec): ModulesMessage {
  if (!Array.isArray(m.modules)) throw new ProtocolError('modules.modules: expected an array');
  const Module = (globalThis as { WebAssembly?: { Module: new (...args: never[]) => object } }).WebAssembly?.Module;
  const modules = m.modules.map((raw, i): SharedModule => {
    const entry = record(raw, `modules.modules[${i}]`);
    const key = str(entry.key, `modules.modules[${i}].key`);
    if (!Module || !(entry.module instanceof Module))
      throw new ProtocolError(`modules.modules[${i}].module: expected a WebAssembly.Module`);
    const meta = record(entry.meta, `modules.modules[${i}].meta`);
    for (const [k, v] of Object.entries(meta)) {
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
        throw new ProtocolError(`modules.modules[${i}].meta.${k}: expected an offset`);
    }
    return { key, module: entry.module, meta: meta as Record<string, number> };
  });
  return { type: 'modules', modules };
}

function dataAccessFrom(value: unknown): DataAccess {
  const a = record(value, 'start.dataAccess');
  const access: DataAccess = {};
  if (a.maxBytes !== undefined) {
    if (typeof a.maxBytes !== 'number' || !(a.maxBytes > 0))
      throw new ProtocolError('start.dataAccess.maxBytes: expected a positive number');
    access.maxBytes = a.maxBytes;
  }
  if (a.roots !== undefined) {
    if (!Array.isArray(a.roots) || !a.roots.every((r) => typeof r === 'string'))
      throw new ProtocolError('start.dataAccess.roots: expected an array of strings');
    access.roots = [...(a.roots as string[])];
  }
  return access;
}

/** Guard for messages arriving at the worker. The config itself is validated by the core before it is sent. */
export function toWorkerMessage(value: unknown): ToWorker {
  const m = record(value, 'message');
  const type = str(m.type, 'message.type');
  if (type === 'modules') return modulesMessage(m);
  const runId = int(m, 'runId', type);
  if (type === 'cancel') return { type, runId };
  if (type !== 'start') throw new ProtocolError(`message.type: unknown "${type}"`);
  const kind = str(m.kind, `${type}.kind`);
  if (kind === 'costSvg') {
    if (!Array.isArray(m.runs)) throw new ProtocolError('start.runs: expected an array');
    // The chart data is built by the host from its own results, so only the envelope is checked here.
    return { type, runId, kind, runs: m.runs as ChartRun[], width: int(m, 'width', type) };
  }
  if (kind === 'reportHtml') {
    if (!Array.isArray(m.runs)) throw new ProtocolError('start.runs: expected an array');
    const job: StartMessage = { type, runId, kind, runs: m.runs as ChartRun[] };
    if (m.title !== undefined) job.title = str(m.title, `${type}.title`);
    if (m.subtitle !== undefined) job.subtitle = str(m.subtitle, `${type}.subtitle`);
    return job;
  }
  if (kind !== 'train' && kind !== 'gradcheck' && kind !== 'boundary' && kind !== 'paths')
    throw new ProtocolError(`start.kind: unknown "${kind}"`);
  const config = record(m.config, 'start.config');
  str(config.name, 'start.config.name');
  for (const part of ['data', 'model', 'train']) record(config[part], `start.config.${part}`);
  const dataAccess = m.dataAccess === undefined ? undefined : dataAccessFrom(m.dataAccess);
  // What every job over the experiment's data carries; read after each kind's own required field, so a message with
  // several bad fields names the same one first as before.
  const overData = () => ({
    type: 'start' as const,
    runId,
    config: config as unknown as ExperimentConfig,
    baseDir: str(m.baseDir, `${type}.baseDir`),
    ...(dataAccess ? { dataAccess } : {}),
  });
  if (kind === 'paths') {
    // The snapshots come from the host's own results; the worker checks their sizes (principalPlane).
    if (!Array.isArray(m.runs) || m.runs.length < 2) throw new ProtocolError('start.runs: expected at least two runs');
    return { ...overData(), kind, runs: m.runs as PathsJob['runs'] };
  }
  if (kind === 'boundary') {
    const parameters = record(m.parameters, 'start.parameters') as Record<string, number[][]>;
    return { ...overData(), kind, parameters };
  }
  const allowModules = bool(m.allowModules, 'start.allowModules');
  const start: StartMessage = { ...overData(), kind, allowModules };
  for (const key of ['boundary', 'progress', 'inspect'] as const) {
    const value = m[key];
    if (value !== undefined) start[key] = bool(value, `start.${key}`);
  }
  if (m.control !== undefined) {
    if (!(m.control instanceof SharedArrayBuffer) || m.control.byteLength !== 8)
      throw new ProtocolError('start.control: expected an 8-byte SharedArrayBuffer');
    start.control = m.control;
  }
  if (m.threads !== undefined) {
    const t = m.threads;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > MAX_THREADS) {
      throw new ProtocolError(`start.threads: expected an integer from 1 to ${MAX_THREADS}`);
    }
    start.threads = t;
  }
  if (m.gradcheck !== undefined) {
    const g = record(m.gradcheck, 'start.gradcheck');
    const options: GradcheckOptions = {};
    for (const key of ['epsilon', 'threshold', 'sample'] as const) {
      const v = g[key];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !(v > 0))
        throw new ProtocolError(`start.gradcheck.${key}: expected a positive number`);
      options[key] = v;
    }
    if (g.python !== undefined) options.python = str(g.python, 'start.gradcheck.python');
    start.gradcheck = options;
  }
  return start;
}

function jobResultFrom(r: Rec): JobResult {
  const kind = str(r.kind, 'done.result.kind');
  switch (kind) {
    case 'train': {
      const run = record(r.result, 'done.result.result');
      str(run.name, 'done.result.result.name');
      str(run.status, 'done.result.result.status');
      if (!Array.isArray(run.costs)) throw new ProtocolError('done.result.result.costs: expected an array');
      const result: TrainResult = { kind, result: run as unknown as RunResult };
      // The grid's cells are checked by the webview's guard, which every panel message passes.
      if (r.boundary !== undefined)
        result.boundary = record(r.boundary, 'done.result.boundary') as unknown as BoundaryGrid;
      return result;
    }
    case 'gradcheck': {
      const report = record(r.report, 'done.result.report');
      return {
        kind,
        report: {
          ...gradcheckReportFrom(report, 'done.result.report'),
          name: str(report.name, 'done.result.report.name'),
        },
      };
    }
    case 'rendered':
      return { kind, text: str(r.text, 'done.result.text') };
    case 'boundary':
      return { kind, boundary: record(r.boundary, 'done.result.boundary') as unknown as BoundaryGrid };
    case 'paths':
      // Checked cell by cell by the webview's guard, which every panel message passes.
      return { kind, paths: record(r.paths, 'done.result.paths') as unknown as OptimizerPaths };
    default:
      throw new ProtocolError(`done.result.kind: unknown "${kind}"`);
  }
}

/** Guard for messages arriving at the host from a worker. */
export function fromWorkerMessage(value: unknown): FromWorker {
  const m = record(value, 'message');
  const type = str(m.type, 'message.type');
  if (type === 'modules') return modulesMessage(m);
  const runId = int(m, 'runId', type);
  switch (type) {
    case 'progress': {
      const msg: ProgressMessage = {
        type,
        runId,
        firstIndex: int(m, 'firstIndex', type),
        epoch: int(m, 'epoch', type),
        epochs: int(m, 'epochs', type),
        costs: f64(m, 'costs', type),
      };
      if (m.testCosts !== undefined) {
        msg.testCosts = f64(m, 'testCosts', type);
        msg.firstTestIndex = int(m, 'firstTestIndex', type);
      }
      if (m.snapshot !== undefined) {
        const s = record(m.snapshot, 'progress.snapshot');
        msg.snapshot = {
          epoch: int(s, 'epoch', 'progress.snapshot'),
          parameters: f64(s, 'parameters', 'progress.snapshot'),
        };
      }
      return msg;
    }
    case 'status': {
      const msg: StatusMessage = { type, runId };
      if (m.rows !== undefined) msg.rows = count(m.rows, 'status.rows');
      if (m.batch !== undefined) {
        const b = record(m.batch, 'status.batch');
        msg.batch = {
          epoch: count(b.epoch, 'status.batch.epoch'),
          done: count(b.done, 'status.batch.done'),
          batches: count(b.batches, 'status.batch.batches'),
        };
      }
      return msg;
    }
    case 'done':
      return { type, runId, result: jobResultFrom(record(m.result, 'done.result')) };
    case 'error':
      return { type, runId, message: str(m.message, `${type}.message`) };
    default:
      throw new ProtocolError(`message.type: unknown "${type}"`);
  }
}
