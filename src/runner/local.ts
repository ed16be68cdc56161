/**
 * Jobs run in this thread, one after another in submission order, behind the pool's interface (submitAll, JobHandle,
 * JobListener): the CLI's single runs and `--jobs 1`. The listener hears what a worker would post, one progress
 * chunk per recorded cost (no thread boundary to spare, and a pruning decision is then made at once). Cancel stops
 * a running job at its next epoch, as the trainer's shouldStop allows.
 */
import type { Job } from '../protocol/worker';
import { runJob } from './job';
import { reportingHooks } from './jobProgress';
import type { JobHandle, JobListener, JobOutcome } from './pool';

export class LocalRunner {
  private queue: Promise<void> = Promise.resolve();
  private nextId = 1;

  submitAll(items: readonly { spec: Job; listener?: JobListener }[]): JobHandle[] {
    return items.map(({ spec, listener = {} }) => {
      const id = this.nextId++;
      let cancelled = false;
      let resolve!: (outcome: JobOutcome) => void;
      const done = new Promise<JobOutcome>((r) => (resolve = r));
      this.queue = this.queue.then(async () => {
        if (cancelled) return resolve({ kind: 'cancelled' });
        listener.onStart?.();
        const emit = (m: Parameters<Parameters<typeof reportingHooks>[1]>[0]) =>
          m.type === 'progress' ? listener.onProgress?.(m) : listener.onStatus?.(m);
        const { hooks, flush } = reportingHooks({ type: 'start', runId: id, ...spec }, emit, () => cancelled, Infinity);
        try {
          const result = await runJob(spec, hooks);
          flush();
          resolve(result);
        } catch (e) {
          resolve({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
        }
        // What waits on this job (its result settled, a pruning decision) runs before the next job takes the thread.
        await new Promise((r) => setImmediate(r));
      });
      return { id, done, cancel: () => void (cancelled = true) };
    });
  }
}
