/**
 * The training worker: a thin worker_threads adapter. It validates each message, calls the core, and posts
 * throttled progress (costs as transferred Float64Array chunks) and the result. One job at a time; the host owns
 * creation, cancellation and terminate().
 */
import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { setPriority } from 'node:os';
import { CostChunker } from '../runner/progress';
import { toWorkerMessage, type FromWorker, type StartMessage } from '../protocol/worker';
import { runJob } from '../runner/job';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');

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

/** Run ids whose cancel arrived; only seen while a job awaits (loading data), since training itself is synchronous. */
const cancelled = new Set<number>();

function post(message: FromWorker): void {
  const transfer: ArrayBuffer[] = [];
  if (message.type === 'progress') {
    transfer.push(message.costs.buffer as ArrayBuffer);
    if (message.testCosts) transfer.push(message.testCosts.buffer as ArrayBuffer);
  }
  port!.postMessage(message, transfer);
}

async function start(msg: StartMessage): Promise<void> {
  const chunker = new CostChunker(20);
  const epochs = msg.kind === 'train' || msg.kind === 'gradcheck' ? msg.config.train.epochs : 0;
  const flush = (chunk: ReturnType<CostChunker['take']>): void => {
    if (chunk) post({ type: 'progress', runId: msg.runId, epochs, ...chunk });
  };
  try {
    const outcome = await runJob(msg, {
      // The trainer counts epochs from 0; the protocol from 1.
      onEpoch: (epoch, cost, testCost) => flush(chunker.push(epoch + 1, cost, testCost, performance.now())),
      shouldStop: () => cancelled.has(msg.runId),
    });
    flush(chunker.take(performance.now()));
    if (outcome.kind === 'train') {
      const { result, boundary } = outcome;
      post(boundary ? { type: 'result', runId: msg.runId, result, boundary } : { type: 'result', runId: msg.runId, result });
    }
    else if (outcome.kind === 'gradcheck') post({ type: 'gradcheck', runId: msg.runId, report: outcome.report });
    else if (outcome.kind === 'boundary') post({ type: 'boundary', runId: msg.runId, boundary: outcome.boundary });
    else post({ type: 'rendered', runId: msg.runId, text: outcome.text });
  } catch (err) {
    post({ type: 'error', runId: msg.runId, message: err instanceof Error ? err.message : String(err) });
  } finally {
    cancelled.delete(msg.runId);
  }
}

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
  else void start(msg);
});
