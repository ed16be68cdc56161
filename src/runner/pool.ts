/**
 * A pool of `worker_threads` workers behind a FIFO queue. Node only, no vscode: the extension and the CLI's
 * `--jobs` both use it. Each worker runs one job at a time and is reused for the next queued job; an idle worker
 * is terminated after `idleMs`, so nothing stays alive once the queue drains. Cancelling a running job terminates
 * its worker, and the slot counts as free only when the thread has really exited. A crash, a protocol violation or
 * an error fails that job alone.
 *
 * With `pipeline` > 1 a busy worker is also handed its next job(s) before the current one finishes, so it never
 * waits a message round trip between short jobs (the CLI's sweep trials take ~15 ms each). A job handed over but not
 * started yet is put back at the front of the queue when its worker is terminated (a cancel or a crash of the job
 * ahead of it), so cancelling still means terminating only the job that runs.
 */
import type { Worker } from 'node:worker_threads';
import type { SharedModule } from '../core/nn/wasm/modules';
import {
  fromWorkerMessage,
  type Job as WorkerJob,
  type JobResult,
  type ProgressMessage,
  type StatusMessage,
  type ToWorker,
} from '../protocol/worker';
import { DEFAULT_WORKER_MEMORY_MB, workerCrashMessage } from '../core/limits';
import { FifoQueue } from './queue';

export type JobSpec = WorkerJob;

/** How a job ended: what it produced (the worker's JobResult, as it was posted), an error, or a cancel. */
export type JobOutcome = JobResult | { kind: 'error'; message: string } | { kind: 'cancelled' };

export interface JobListener {
  /** The job left the queue and a worker started it. */
  onStart?(): void;
  onProgress?(message: ProgressMessage): void;
  /** Loading (rows read) or inside an epoch (batches done): see StatusMessage. */
  onStatus?(message: StatusMessage): void;
}

export interface JobHandle {
  readonly id: number;
  readonly done: Promise<JobOutcome>;
  /** Removes a queued job, or terminates the worker of a running one. `done` then resolves as cancelled. */
  cancel(): void;
}

export interface PoolStats {
  running: number;
  queued: number;
  /** Threads alive, including idle ones and those still exiting after terminate(). */
  workers: number;
}

export interface PoolOptions {
  size: number;
  /**
   * Makes a worker. Give it resource limits (workerResourceLimits): without them a job that exhausts its heap takes
   * the whole process down; with them it fails alone, and the message names the limit the worker was given.
   */
  createWorker: () => Worker;
  /** How long an idle worker is kept for the next job (default 10 s; 0 terminates it at once). */
  idleMs?: number;
  /**
   * Jobs handed to one worker at a time, the running one included (default 1). Above 1, cancelling a job that waits
   * in a worker makes it skip that job; the editor keeps 1 so each of its queued runs waits visibly in the queue.
   */
  pipeline?: number;
  /**
   * Every second worker takes jobs from the back of the queue instead of the front (default false). A sweep's
   * trials are queued in grid order, so neighbours share most values and with them the code V8 compiles for them
   * (per thread); working from both ends, each thread meets fewer variants. Only for jobs whose start order does not
   * matter (the CLI's unpruned runs); the editor keeps FIFO.
   */
  twoEnded?: boolean;
}

const MODULES_KEPT = 16;

interface Job {
  id: number;
  spec: JobSpec;
  listener: JobListener;
  resolve(outcome: JobOutcome): void;
}

interface Slot {
  worker: Worker;
  /** 0, 1, 2 … the lowest free number at spawn: with twoEnded, odd ones take jobs from the back. */
  ordinal: number;
  /** Jobs handed to this worker, in the order it runs them: jobs[0] runs, the rest wait in the worker. */
  jobs: Job[];
  idleTimer?: NodeJS.Timeout;
  /** Set once terminate() was called: the slot stays occupied until the thread's exit event. */
  exiting: boolean;
  exited: Promise<void>;
}

export class WorkerPool {
  private readonly queue = new FifoQueue<number, Job>();
  private readonly slots = new Set<Slot>();
  private readonly changeListeners = new Set<(stats: PoolStats) => void>();
  /**
   * WebAssembly kernels the workers built, by key, oldest first: each is handed to the other workers at once and
   * to every worker started later, so no thread builds a kernel another one built (a new shape costs 5–130 ms of
   * encoding per thread). As small as the workers' own caches.
   */
  private readonly modules = new Map<string, SharedModule>();
  private nextId = 1;
  private size: number;
  private readonly depth: number;
  private twoEnded: boolean;
  private disposed = false;

  constructor(private readonly options: PoolOptions) {
    this.size = Math.max(1, Math.floor(options.size));
    this.depth = Math.max(1, Math.floor(options.pipeline ?? 1));
    this.twoEnded = options.twoEnded ?? false;
  }

  /** Turns PoolOptions.twoEnded on or off for the jobs handed out from now on. */
  setTwoEnded(on: boolean): void {
    this.twoEnded = on;
  }

  get stats(): PoolStats {
    let running = 0;
    let waiting = 0;
    for (const s of this.slots) {
      if (s.jobs.length) running++;
      waiting += Math.max(0, s.jobs.length - 1);
    }
    return { running, queued: this.queue.size + waiting, workers: this.slots.size };
  }

  /**
   * Starts up to `count` workers now (never more than the size), so their start-up overlaps whatever the caller
   * does before submitting (the CLI parses and expands the file meanwhile). They wait for jobs like idle workers.
   */
  warm(count: number): void {
    if (this.disposed) return;
    const target = Math.min(this.size, Math.floor(count));
    while (this.slots.size < target) {
      const slot = this.spawn();
      this.idle(slot);
    }
    this.changed();
  }

  /** Called whenever running/queued/worker counts may have changed (the status bar listens). */
  onChange(listener: (stats: PoolStats) => void): { dispose(): void } {
    this.changeListeners.add(listener);
    return { dispose: () => this.changeListeners.delete(listener) };
  }

  /** A new size applies as slots free up; running jobs are never interrupted by it. */
  resize(size: number): void {
    this.size = Math.max(1, Math.floor(size));
    // Idle workers beyond the new size (e.g. warmed for more jobs than came) go now; busy ones when they finish.
    let surplus = this.slots.size - this.size;
    for (const slot of this.slots) {
      if (surplus <= 0) break;
      if (!slot.exiting && slot.jobs.length === 0) {
        this.retire(slot);
        surplus--;
      }
    }
    this.pump();
  }

  submit(spec: JobSpec, listener: JobListener = {}): JobHandle {
    return this.submitAll([{ spec, listener }])[0]!;
  }

  /** Queues several jobs before any is handed out, so a twoEnded pool sees the whole queue (both of its ends). */
  submitAll(items: readonly { spec: JobSpec; listener?: JobListener }[]): JobHandle[] {
    if (this.disposed) throw new Error('the worker pool is disposed');
    const handles = items.map(({ spec, listener = {} }) => {
      const id = this.nextId++;
      let resolve!: (o: JobOutcome) => void;
      const done = new Promise<JobOutcome>((r) => (resolve = r));
      this.queue.push(id, { id, spec, listener, resolve });
      return { id, done, cancel: () => this.cancel(id) };
    });
    this.pump();
    this.changed();
    return handles;
  }

  cancel(id: number): void {
    const queued = this.queue.remove(id);
    if (queued) {
      queued.resolve({ kind: 'cancelled' });
      this.changed();
      return;
    }
    const slot = [...this.slots].find((s) => s.jobs.some((j) => j.id === id));
    if (!slot) return;
    this.post(slot, { type: 'cancel', runId: id });
    if (slot.jobs[0]!.id !== id) {
      // Not started yet: the worker drops it on the cancel message, and the running job goes on.
      const index = slot.jobs.findIndex((j) => j.id === id);
      slot.jobs.splice(index, 1)[0]!.resolve({ kind: 'cancelled' });
      this.changed();
      return;
    }
    this.finish(slot, { kind: 'cancelled' });
    this.retire(slot);
  }

  cancelAll(): void {
    for (const id of this.queue.keys()) this.cancel(id);
    for (const slot of [...this.slots]) for (const job of [...slot.jobs].reverse()) this.cancel(job.id);
  }

  /** Cancels everything and resolves once every thread has exited. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.cancelAll();
    for (const slot of [...this.slots]) this.retire(slot);
    await Promise.all([...this.slots].map((s) => s.exited));
  }

  /**
   * Hands queued jobs to workers: idle workers first, then new ones up to the size, then (pipeline > 1) the worker
   * with the fewest jobs in hand.
   */
  private pump(): void {
    while (this.queue.size > 0) {
      const live = [...this.slots].filter((s) => !s.exiting);
      let slot = live.find((s) => s.jobs.length === 0);
      if (!slot && this.slots.size < this.size) slot = this.spawn();
      if (!slot) {
        const open = live.filter((s) => s.jobs.length < this.depth).sort((a, b) => a.jobs.length - b.jobs.length);
        slot = open[0];
        if (!slot) return;
      }
      const [, job] = (this.twoEnded && slot.ordinal % 2 === 1 ? this.queue.pop() : this.queue.shift())!;
      this.start(slot, job);
    }
  }

  private spawn(): Slot {
    const worker = this.options.createWorker();
    let markExited!: () => void;
    const used = new Set([...this.slots].map((s) => s.ordinal));
    let ordinal = 0;
    while (used.has(ordinal)) ordinal++;
    const slot: Slot = { worker, ordinal, jobs: [], exiting: false, exited: new Promise((r) => (markExited = r)) };
    this.slots.add(slot);
    worker.on('message', (raw: unknown) => this.onMessage(slot, raw));
    if (this.modules.size) this.post(slot, { type: 'modules', modules: [...this.modules.values()] });
    const memoryMb = worker.resourceLimits?.maxOldGenerationSizeMb || DEFAULT_WORKER_MEMORY_MB;
    // A worker's 'error' carries whatever its script threw (not always an Error), or ERR_WORKER_OUT_OF_MEMORY.
    worker.on('error', (err: unknown) => {
      this.finish(slot, { kind: 'error', message: workerCrashMessage(err, memoryMb) });
      this.retire(slot);
    });
    worker.on('exit', (code) => {
      this.finish(slot, { kind: 'error', message: `the worker exited with code ${code}` });
      // A thread that exited on its own never started the jobs it held behind the failed one.
      if (slot.jobs.length) this.queue.unshift(slot.jobs.splice(0).map((j) => [j.id, j] as const));
      clearTimeout(slot.idleTimer);
      this.slots.delete(slot);
      markExited();
      this.pump();
      this.changed();
    });
    return slot;
  }

  private start(slot: Slot, job: Job): void {
    clearTimeout(slot.idleTimer);
    slot.jobs.push(job);
    this.post(slot, { type: 'start', runId: job.id, ...job.spec });
    // A job handed over behind another one starts when that one finishes (see onMessage).
    if (slot.jobs.length === 1) job.listener.onStart?.();
    this.changed();
  }

  private onMessage(slot: Slot, raw: unknown): void {
    let message;
    try {
      message = fromWorkerMessage(raw);
    } catch (err) {
      // A worker that speaks garbage cannot be trusted with the next job either.
      this.finish(slot, { kind: 'error', message: `invalid message from the worker: ${(err as Error).message}` });
      this.retire(slot);
      return;
    }
    if (message.type === 'modules') {
      this.share(slot, message.modules);
      return;
    }
    // The worker runs its jobs in order, so anything not about the first one is a late message of a cancelled job.
    const job = slot.jobs[0];
    if (!job || message.runId !== job.id) return;
    switch (message.type) {
      case 'progress':
        job.listener.onProgress?.(message);
        return;
      case 'status':
        job.listener.onStatus?.(message);
        return;
      case 'done':
        this.finish(slot, message.result);
        break;
      case 'error':
        this.finish(slot, { kind: 'error', message: message.message });
        break;
    }
    this.release(slot);
  }

  /** Resolves the slot's running job (once) and removes it. */
  private finish(slot: Slot, outcome: JobOutcome): void {
    const job = slot.jobs.shift();
    if (!job) return;
    job.resolve(outcome);
    this.changed();
  }

  /** A worker that finished a job normally starts the next one it holds, takes more from the queue, or idles. */
  private release(slot: Slot): void {
    slot.jobs[0]?.listener.onStart?.();
    this.pump();
    if (slot.jobs.length || slot.exiting) return;
    const idleMs = this.options.idleMs ?? 10_000;
    if (idleMs <= 0 || this.slots.size > this.size) this.retire(slot);
    else this.idle(slot);
  }

  /** An idle worker is kept `idleMs` for the next job (0: until a job comes or the pool is disposed). */
  private idle(slot: Slot): void {
    const idleMs = this.options.idleMs ?? 10_000;
    if (idleMs > 0) slot.idleTimer = setTimeout(() => this.retire(slot), idleMs);
  }

  /**
   * Terminates the worker. Every caller has settled the running job first, so the jobs still held here never
   * started: they go back to the front of the queue, in order, and start on another worker (or on this slot's
   * replacement once the thread has exited).
   */
  private retire(slot: Slot): void {
    if (slot.exiting) return;
    slot.exiting = true;
    clearTimeout(slot.idleTimer);
    if (slot.jobs.length) this.queue.unshift(slot.jobs.splice(0).map((j) => [j.id, j] as const));
    void slot.worker.terminate();
    this.pump();
    this.changed();
  }

  private share(from: Slot, modules: SharedModule[]): void {
    for (const m of modules) {
      this.modules.delete(m.key);
      if (this.modules.size >= MODULES_KEPT) this.modules.delete(this.modules.keys().next().value!);
      this.modules.set(m.key, m);
    }
    for (const slot of this.slots) if (slot !== from && !slot.exiting) this.post(slot, { type: 'modules', modules });
  }

  private post(slot: Slot, message: ToWorker): void {
    try {
      slot.worker.postMessage(message);
    } catch {
      // A worker that is already exiting cannot receive; its exit event fails the job.
    }
  }

  private changed(): void {
    const stats = this.stats;
    for (const l of this.changeListeners) l(stats);
  }
}
