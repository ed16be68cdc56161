/**
 * Host side of model-module checking: runs src/worker/moduleWorker.ts in a worker thread with a time limit and memory
 * limits. A module that hangs is stopped at the limit (worker.terminate()) with a message naming the function and
 * entry it was stuck in. Its JavaScript heap is capped by resourceLimits; what it allocates outside the heap (Buffers,
 * typed arrays) is watched through the process's resident size, and the module is stopped when that grows past the
 * limit. Every message from the worker is checked (the module can post on the same port). The module's console
 * output goes to stderr so that `--json` stdout stays one document. Node only.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { resourceLimits as ownLimits, Worker } from 'node:worker_threads';
import type { GradcheckReport } from '../../core/gradcheck/check';
import { describeError, ModelModuleError } from '../../core/gradcheck/moduleErrors';
import { DEFAULT_WORKER_MEMORY_MB, isOutOfMemory, outOfMemoryMessage, workerResourceLimits } from '../../core/limits';
import { fromModuleWorkerMessage, type ModuleJob } from '../../protocol/moduleWorker';

export const DEFAULT_MODULE_TIMEOUT_MS = 30_000;
const WORKER_FILE = 'gradcheck-worker.js';

export interface ModuleCheckOptions {
  /** Time limit for the whole check (default 30 s). */
  timeoutMs?: number;
  /** The bundled moduleWorker; by default dist/gradcheck-worker.js next to (or above) the running bundle. */
  workerScript?: string;
  /**
   * The module's memory, in MB: its heap limit, and how far the process may grow outside the heap while it runs.
   * Default: the limit of the thread this runs in (a training worker's), else DEFAULT_WORKER_MEMORY_MB.
   */
  memoryMb?: number;
}

/** How often the resident size is sampled while a module runs: a module filling Buffers grows ~1 GB/s. */
const MEMORY_WATCH_MS = 20;
const WATCH_SLACK_MB = 128;

/** dist/gradcheck-worker.js: beside the running bundle (dist/*.js), else in a dist/ folder above it (tests in out/). */
export function findWorkerScript(from: string = __dirname): string {
  // Tests point this at a freshly built worker so they never run a stale dist/.
  const override = process.env.NNLAB_GRADCHECK_WORKER;
  if (override) return override;
  let dir = from;
  for (let up = 0; up < 6; up++) {
    for (const candidate of [join(dir, WORKER_FILE), join(dir, 'dist', WORKER_FILE)])
      if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new ModelModuleError(`cannot find ${WORKER_FILE} (build it with: node scripts/build.mjs)`);
}

export function checkModelModule(job: ModuleJob, options: ModuleCheckOptions = {}): Promise<GradcheckReport> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_MODULE_TIMEOUT_MS;
  const script = options.workerScript ?? findWorkerScript();
  const memoryMb = options.memoryMb ?? (ownLimits.maxOldGenerationSizeMb || DEFAULT_WORKER_MEMORY_MB);
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, {
      workerData: job,
      stdout: true,
      stderr: true,
      resourceLimits: workerResourceLimits(memoryMb),
    });
    worker.stdout.pipe(process.stderr);
    worker.stderr.pipe(process.stderr);
    let where = 'loading the module';
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(watch);
      void worker.terminate();
      f();
    };
    // The heap has its own limit; this catches what resourceLimits cannot see. The process may grow by the heap
    // (and a thread's own start-up and young generation, WATCH_SLACK_MB) plus as much again outside it before the
    // module is stopped (other threads' growth counts too: the watch errs towards stopping).
    const rssAtStart = process.memoryUsage.rss();
    const watch = setInterval(() => {
      if (process.memoryUsage.rss() - rssAtStart > (2 * memoryMb + WATCH_SLACK_MB) * 2 ** 20) {
        finish(() =>
          reject(
            new ModelModuleError(
              `${job.label}: the module ${outOfMemoryMessage(memoryMb)}; it allocated more than that outside the JavaScript heap (Buffers or typed arrays) and was stopped`,
            ),
          ),
        );
      }
    }, MEMORY_WATCH_MS);
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The limit is the module's own time: it starts once the thread runs, not while Node starts a thread on a busy machine.
    worker.once('online', () => {
      if (settled) return;
      timer = setTimeout(() => {
        const seconds = timeoutMs >= 1000 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`;
        finish(() =>
          reject(
            new ModelModuleError(
              `${job.label}: no answer within ${seconds} while ${where}; the module was stopped (an endless loop?)`,
            ),
          ),
        );
      }, timeoutMs);
    });
    worker.on('message', (raw: unknown) => {
      let m;
      try {
        m = fromModuleWorkerMessage(raw);
      } catch (e) {
        finish(() =>
          reject(
            new ModelModuleError(
              `${job.label}: the module's worker sent an invalid message (${(e as Error).message}); a module must not post messages of its own`,
            ),
          ),
        );
        return;
      }
      switch (m.type) {
        case 'phase':
          where = m.phase === 'load' ? 'loading the module' : `running ${m.phase}()`;
          break;
        case 'entry':
          where = `running forward() for ${m.tensor}[${m.index.join(',')}] ± ε`;
          break;
        case 'report':
          finish(() => resolve(m.report));
          break;
        case 'error':
          finish(() => reject(new ModelModuleError(m.message)));
          break;
      }
    });
    // 'error' carries whatever was thrown (not always an Error), or ERR_WORKER_OUT_OF_MEMORY at the heap limit.
    worker.on('error', (e: unknown) => {
      const why = isOutOfMemory(e)
        ? `the module ${outOfMemoryMessage(memoryMb)}`
        : `the module crashed: ${describeError(e)}`;
      finish(() => reject(new ModelModuleError(`${job.label}: ${why}`)));
    });
    worker.on('exit', (code) =>
      finish(() =>
        reject(
          new ModelModuleError(
            `${job.label}: the module's worker exited (code ${code}) before finishing, e.g. process.exit() was called`,
          ),
        ),
      ),
    );
  });
}
