/**
 * How a running job reports to its host: costs in progress chunks (at most `maxPerSecond`, as Float64Arrays the
 * worker transfers), loading and in-epoch status at most 10 a second, the latest snapshot with the next chunk, the
 * pause gate, and the cancel check. The worker posts what these hooks emit (worker/serve.ts); the CLI's in-process
 * runs hand it straight to the run (local.ts), so a run is followed through the same messages either way.
 */
import { performance } from 'node:perf_hooks';
import type { ProgressMessage, StartMessage, StatusMessage } from '../protocol/worker';
import type { JobHooks } from './job';
import { pauseGate } from './pause';
import { BatchReporter, CostChunker, type CostChunk } from './progress';

export interface ReportingHooks {
  hooks: JobHooks;
  /** Emits the costs still pending (call it when the job returns, before its result). */
  flush(): void;
}

export function reportingHooks(
  msg: StartMessage,
  emit: (message: ProgressMessage | StatusMessage) => void,
  cancelled: () => boolean,
  maxPerSecond = 20,
): ReportingHooks {
  const chunker = new CostChunker(maxPerSecond);
  const epochs = msg.kind === 'train' || msg.kind === 'gradcheck' ? msg.config.train.epochs : 0;
  let snapshot: { epoch: number; parameters: Float64Array } | undefined;
  const send = (chunk: CostChunk | undefined): void => {
    if (!chunk) return;
    emit({ type: 'progress', runId: msg.runId, epochs, ...chunk, ...(snapshot ? { snapshot } : {}) });
    snapshot = undefined;
  };
  const flush = (): void => send(chunker.take(performance.now()));
  const quiet = 'progress' in msg && msg.progress === false;
  // Pausing blocks before an epoch; what trained so far is sent first, so the host shows where the run stands.
  const gate = 'control' in msg && msg.control ? pauseGate(msg.control, flush) : undefined;
  const shouldStop = (): boolean => {
    gate?.();
    return cancelled();
  };
  if (quiet) return { hooks: { onEpoch: () => {}, shouldStop }, flush };
  // Status messages (loading, within an epoch) at most 10 a second; an epoch's end is a progress message anyway.
  let lastRows = -Infinity;
  const batches = new BatchReporter(() => performance.now());
  const status = (fields: Omit<StatusMessage, 'type' | 'runId'>): void =>
    emit({ type: 'status', runId: msg.runId, ...fields });
  const hooks: JobHooks = {
    onEpoch: (epoch, cost, testCost) => {
      batches.epochEnded(epoch);
      send(chunker.push(epoch, cost, testCost, performance.now()));
    },
    // Only the latest snapshot goes with the next progress message: a live view shows the newest parameters.
    onSnapshot: (epoch, P) => (snapshot = { epoch, parameters: P.slice() }),
    shouldStop,
    onLoading: (rows) => {
      const now = performance.now();
      if (now - lastRows < 100) return;
      lastRows = now;
      status({ rows });
    },
    onBatch: (epoch, done, of) => {
      if (batches.batch(epoch, done, of)) status({ batch: { epoch, done, batches: of } });
    },
  };
  return { hooks, flush };
}
