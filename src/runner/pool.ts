/**
 * A pool of `worker_threads` workers behind a FIFO queue. Node only, no vscode: the extension and the CLI's
 * `--jobs` both use it. Each worker runs one job at a time and is reused for the next queued job; an idle worker
 * is terminated after `idleMs`, so nothing stays alive once the queue drains. Cancelling a running job terminates
 * its worker, and the slot counts as free only when the thread has really exited. A crash, a protocol violation or
 * an error fails that job alone.
 */
import type { Worker } from 'node:worker_threads';
import { fromWorkerMessage, type GradcheckReportData, type Job as WorkerJob, type ProgressMessage, type ToWorker } from '../protocol/worker';
import type { RunResult } from '../core/types';
import type { BoundaryGrid } from '../core/charts/types';
import { FifoQueue } from './queue';

export type JobSpec = WorkerJob;

export type JobOutcome =
  | { kind: 'result'; result: RunResult; boundary?: BoundaryGrid }
  | { kind: 'gradcheck'; report: GradcheckReportData }
  | { kind: 'rendered'; text: string }
  | { kind: 'boundary'; boundary: BoundaryGrid }
  | { kind: 'error'; message: string }
  | { kind: 'cancelled' };

export interface JobListener {
  /** The job left the queue and a worker started it. */
  onStart?(): void;
  onProgress?(message: ProgressMessage): void;
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
  createWorker: () => Worker;
  /** How long an idle worker is kept for the next job (default 10 s; 0 terminates it at once). */
  idleMs?: number;
}

interface Job {
  id: number;
  spec: JobSpec;
  listener: JobListener;
  resolve(outcome: JobOutcome): void;
}

interface Slot {
  worker: Worker;
  job?: Job;
  idleTimer?: NodeJS.Timeout;
  /** Set once terminate() was called: the slot stays occupied until the thread's exit event. */
  exiting: boolean;
  exited: Promise<void>;
}

export class WorkerPool {
  private readonly queue = new FifoQueue<number, Job>();
  private readonly slots = new Set<Slot>();
  private readonly changeListeners = new Set<(stats: PoolStats) => void>();
  private nextId = 1;
  private size: number;
  private disposed = false;

  constructor(private readonly options: PoolOptions) {
    this.size = Math.max(1, Math.floor(options.size));
  }

  get stats(): PoolStats {
    let running = 0;
    for (const s of this.slots) if (s.job) running++;
    return { running, queued: this.queue.size, workers: this.slots.size };
  }

  /** Called whenever running/queued/worker counts may have changed (the status bar listens). */
  onChange(listener: (stats: PoolStats) => void): { dispose(): void } {
    this.changeListeners.add(listener);
    return { dispose: () => this.changeListeners.delete(listener) };
  }

  /** A new size applies as slots free up; running jobs are never interrupted by it. */
  resize(size: number): void {
    this.size = Math.max(1, Math.floor(size));
    this.pump();
  }

  submit(spec: JobSpec, listener: JobListener = {}): JobHandle {
    if (this.disposed) throw new Error('the worker pool is disposed');
    const id = this.nextId++;
    let resolve!: (o: JobOutcome) => void;
    const done = new Promise<JobOutcome>((r) => (resolve = r));
    const job: Job = { id, spec, listener, resolve };
    this.queue.push(id, job);
    this.pump();
    this.changed();
    return { id, done, cancel: () => this.cancel(id) };
  }

  cancel(id: number): void {
    const queued = this.queue.remove(id);
    if (queued) {
      queued.resolve({ kind: 'cancelled' });
      this.changed();
      return;
    }
    const slot = [...this.slots].find((s) => s.job?.id === id);
    if (!slot) return;
    this.post(slot, { type: 'cancel', runId: id });
    this.finish(slot, { kind: 'cancelled' });
    this.retire(slot);
  }

  cancelAll(): void {
    for (const id of this.queue.keys()) this.cancel(id);
    for (const slot of [...this.slots]) if (slot.job) this.cancel(slot.job.id);
  }

  /** Cancels everything and resolves once every thread has exited. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.cancelAll();
    for (const slot of [...this.slots]) this.retire(slot);
    await Promise.all([...this.slots].map((s) => s.exited));
  }

  /** Starts queued jobs while there are free slots (idle workers first, then new ones up to the size). */
  private pump(): void {
    while (this.queue.size > 0) {
      let slot = [...this.slots].find((s) => !s.job && !s.exiting);
      if (!slot) {
        if (this.slots.size >= this.size) return;
        slot = this.spawn();
      }
      const [, job] = this.queue.shift()!;
      this.start(slot, job);
    }
  }

  private spawn(): Slot {
    const worker = this.options.createWorker();
    let markExited!: () => void;
    const slot: Slot = { worker, exiting: false, exited: new Promise((r) => (markExited = r)) };
    this.slots.add(slot);
    worker.on('message', (raw: unknown) => this.onMessage(slot, raw));
    worker.on('error', (err: Error) => {
      this.finish(slot, { kind: 'error', message: `the worker crashed: ${err.message}` });
      this.retire(slot);
    });
    worker.on('exit', (code) => {
      this.finish(slot, { kind: 'error', message: `the worker exited with code ${code}` });
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
    slot.job = job;
    this.post(slot, { type: 'start', runId: job.id, ...job.spec });
    job.listener.onStart?.();
    this.changed();
  }

  private onMessage(slot: Slot, raw: unknown): void {
    const job = slot.job;
    let message;
    try {
      message = fromWorkerMessage(raw);
    } catch (err) {
      // A worker that speaks garbage cannot be trusted with the next job either.
      this.finish(slot, { kind: 'error', message: `invalid message from the worker: ${(err as Error).message}` });
      this.retire(slot);
      return;
    }
    if (!job || message.runId !== job.id) return; // late message of a cancelled job
    switch (message.type) {
      case 'progress':
        job.listener.onProgress?.(message);
        return;
      case 'result':
        this.finish(slot, message.boundary ? { kind: 'result', result: message.result, boundary: message.boundary } : { kind: 'result', result: message.result });
        break;
      case 'gradcheck':
        this.finish(slot, { kind: 'gradcheck', report: message.report });
        break;
      case 'rendered':
        this.finish(slot, { kind: 'rendered', text: message.text });
        break;
      case 'boundary':
        this.finish(slot, { kind: 'boundary', boundary: message.boundary });
        break;
      case 'error':
        this.finish(slot, { kind: 'error', message: message.message });
        break;
    }
    this.release(slot);
  }

  /** Resolves the slot's job (once) and clears it. */
  private finish(slot: Slot, outcome: JobOutcome): void {
    const job = slot.job;
    if (!job) return;
    slot.job = undefined;
    job.resolve(outcome);
    this.changed();
  }

  /** A worker that finished normally takes the next job, or waits idle for `idleMs`. */
  private release(slot: Slot): void {
    this.pump();
    if (slot.job || slot.exiting) return;
    const idleMs = this.options.idleMs ?? 10_000;
    if (idleMs <= 0 || this.slots.size > this.size) this.retire(slot);
    else slot.idleTimer = setTimeout(() => this.retire(slot), idleMs);
  }

  private retire(slot: Slot): void {
    if (slot.exiting) return;
    slot.exiting = true;
    clearTimeout(slot.idleTimer);
    void slot.worker.terminate();
    this.changed();
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
