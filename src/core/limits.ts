/**
 * The limits NN Lab puts on what one job may use, so that no file, data set or model module can take the editor,
 * the language server or the CLI down with it: every worker thread gets a V8 heap limit, data files a size cap, and
 * networks whose arrays could not fit the limit are refused before anything is allocated. Plain values and
 * messages only, shared by the core's checks, the worker pool, the model-module worker and both front ends.
 */

/** The default of `nnlab.workerMemoryMb` and `--worker-memory`: a worker's JavaScript heap, in MB. */
export const DEFAULT_WORKER_MEMORY_MB = 1024;

/** The default of `nnlab.data.maxFileMb` and `--max-data-mb`: the largest data file read, in MB. */
export const DEFAULT_DATA_MAX_MB = 512;

/** Where a user changes the worker limit, in words both front ends can show. */
export const WORKER_MEMORY_SETTING = 'the nnlab.workerMemoryMb setting, or --worker-memory MB for nnlab';

/** Where a user changes the data file cap. */
export const DATA_MAX_SETTING = 'the nnlab.data.maxFileMb setting, or --max-data-mb MB for nnlab';

/**
 * The resource limits of a worker with `mb` MB. The old generation is what a runaway array or string fills; the
 * young generation and the stack keep V8's defaults. Typed arrays live outside this heap: the trainer's are checked
 * by estimateTrainingBytes before they are allocated, a model module's by moduleCheck's memory watch.
 */
/** The part of worker_threads' ResourceLimits NN Lab sets (declared here: the core stays free of Node's types). */
export interface WorkerMemoryLimits {
  maxOldGenerationSizeMb: number;
}

export function workerResourceLimits(mb: number): WorkerMemoryLimits {
  return { maxOldGenerationSizeMb: Math.max(16, Math.floor(mb)) };
}

export function outOfMemoryMessage(mb: number): string {
  return `ran out of memory: a worker may use ${Math.floor(mb)} MB (change it with ${WORKER_MEMORY_SETTING})`;
}

/** A worker's 'error' event for reaching its heap limit. */
export function isOutOfMemory(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
}

/** Why a worker thread failed, from its 'error' event (which may carry any value a script threw). */
export function workerCrashMessage(err: unknown, mb: number): string {
  if (isOutOfMemory(err)) return outOfMemoryMessage(mb);
  if (err instanceof Error) return `the worker crashed: ${err.message}`;
  return `the worker crashed: it threw ${describeThrown(err)}`;
}

/** A thrown value that is not an Error, as a message can show it (`42`, `"text"`, `{ … }`). */
export function describeThrown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
  try {
    const text = JSON.stringify(value);
    if (text !== undefined) return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    // A cycle or a BigInt: fall through to String().
  }
  return String(value);
}

/**
 * Bytes the trainer allocates for a network: the parameters, their gradients and the optimizer's copies of them
 * (gd none, momentum one, rmsprop one, adam two), plus each layer's activations and their gradients over a batch.
 * An estimate from below: enough to refuse a network that cannot fit, not a promise that one that passes will.
 */
export function estimateTrainingBytes(layers: readonly number[], optimizer: string, batch: number): number {
  let parameters = 0;
  let units = 0;
  for (let l = 1; l < layers.length; l++) {
    parameters += layers[l]! * (layers[l - 1]! + 1);
    units += layers[l]!;
  }
  const copies = optimizer === 'adam' ? 2 : optimizer === 'gd' ? 0 : 1;
  return 8 * (parameters * (2 + copies) + 3 * units * Math.max(1, batch));
}

/**
 * Why a network cannot train within `limitMb`, or undefined: its estimated arrays (estimateTrainingBytes, over
 * batches of `samples` examples at most) exceed the limit. Said before anything is allocated.
 */
export function trainingMemoryProblem(
  layers: readonly number[],
  optimizer: string,
  batchSize: number | undefined,
  samples: number,
  limitMb: number,
): string | undefined {
  const batch = Math.min(batchSize ?? samples, samples);
  const bytes = estimateTrainingBytes(layers, optimizer, batch);
  const limit = limitMb * 2 ** 20;
  if (bytes <= limit) return undefined;
  return `this network needs at least ${formatMb(bytes)} to train with ${optimizer} (parameters, gradients and optimizer state of 8 bytes each, and a batch's activations), over the ${Math.floor(limitMb)} MB a worker may use (change it with ${WORKER_MEMORY_SETTING})`;
}

export function formatMb(bytes: number): string {
  const mb = bytes / 2 ** 20;
  return mb >= 10_000 ? `${(mb / 1024).toFixed(0)} GB` : `${mb >= 10 ? mb.toFixed(0) : mb.toFixed(1)} MB`;
}
