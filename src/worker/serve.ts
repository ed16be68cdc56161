/**
 * The message loop both workers share: validate each message, run the job with throttled progress (costs as
 * transferred Float64Array chunks), post the outcome or the error. One job at a time, in arrival order; the host
 * owns creation, cancellation and terminate().
 */
import { parentPort } from 'node:worker_threads';
import { adoptModules, onModuleBuilt } from '../core/nn/wasm/modules';
import { toWorkerMessage, type FromWorker, type Job, type JobResult, type StartMessage } from '../protocol/worker';
import type { JobHooks } from '../runner/job';
import { reportingHooks } from '../runner/jobProgress';

export function serve(runJob: (job: Job, hooks: JobHooks) => Promise<JobResult>): void {
  const port = parentPort;
  if (!port) throw new Error('a worker script must run in a worker thread');

  /** Run ids whose cancel arrived: seen while a job awaits (a module loading) or still waits behind another job. */
  const cancelled = new Set<number>();

  const post = (message: FromWorker): void => {
    const transfer: ArrayBuffer[] = [];
    if (message.type === 'progress') {
      transfer.push(message.costs.buffer as ArrayBuffer);
      if (message.testCosts) transfer.push(message.testCosts.buffer as ArrayBuffer);
      if (message.snapshot) transfer.push(message.snapshot.parameters.buffer as ArrayBuffer);
    }
    port.postMessage(message, transfer);
  };

  const start = async (msg: StartMessage): Promise<void> => {
    const { hooks, flush } = reportingHooks(msg, post, () => cancelled.has(msg.runId));
    try {
      const outcome = await runJob(msg, hooks);
      flush();
      post({ type: 'done', runId: msg.runId, result: outcome });
    } catch (err) {
      post({ type: 'error', runId: msg.runId, message: err instanceof Error ? err.message : String(err) });
    } finally {
      cancelled.delete(msg.runId);
    }
  };

  // Posted as soon as it is built, mid-job: the message goes out at once, so a thread that has not reached that
  // kernel yet gets it (through the pool) before it would build its own.
  onModuleBuilt((entry) => post({ type: 'modules', modules: [entry] }));

  // Jobs run strictly one after another in arrival order: the host may hand over the next job before the current
  // one finishes (WorkerPool's pipeline), and a job that awaits (a model module loading) must not interleave.
  let queue: Promise<void> = Promise.resolve();

  port.on('message', (raw: unknown) => {
    let msg;
    try {
      msg = toWorkerMessage(raw);
    } catch (err) {
      const runId = typeof (raw as { runId?: unknown })?.runId === 'number' ? (raw as { runId: number }).runId : -1;
      post({ type: 'error', runId, message: `invalid message: ${(err as Error).message}` });
      return;
    }
    if (msg.type === 'cancel') cancelled.add(msg.runId);
    else if (msg.type === 'modules') adoptModules(msg.modules);
    else {
      const next = msg;
      queue = queue.then(() => {
        // Cancelled while it waited behind another job: the host has already settled it, so it is dropped.
        if (cancelled.delete(next.runId)) return;
        return start(next);
      });
    }
  });
}
