/**
 * Host side of model-module checking: runs moduleWorker in a worker thread with a time limit. A module that hangs
 * is stopped at the limit (worker.terminate()) with a message naming the function and entry it was stuck in; the
 * module's console output goes to stderr so that `--json` stdout stays one document. Node only.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { GradcheckReport } from './check';
import { ModelModuleError } from './moduleErrors';
import type { ModuleJob, ModuleWorkerMessage } from './moduleJob';

export const DEFAULT_MODULE_TIMEOUT_MS = 30_000;
const WORKER_FILE = 'gradcheck-worker.js';

export interface ModuleCheckOptions {
  /** Time limit for the whole check (default 30 s). */
  timeoutMs?: number;
  /** The bundled moduleWorker; by default dist/gradcheck-worker.js next to (or above) the running bundle. */
  workerScript?: string;
}

/** dist/gradcheck-worker.js: beside the running bundle (dist/*.js), else in a dist/ folder above it (tests in out/). */
export function findWorkerScript(from: string = __dirname): string {
  // Tests point this at a freshly built worker so they never run a stale dist/.
  const override = process.env.NNLAB_GRADCHECK_WORKER;
  if (override) return override;
  let dir = from;
  for (let up = 0; up < 6; up++) {
    for (const candidate of [join(dir, WORKER_FILE), join(dir, 'dist', WORKER_FILE)]) if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new ModelModuleError(`cannot find ${WORKER_FILE} (build it with: node scripts/build.mjs)`);
}

export function checkModelModule(job: ModuleJob, options: ModuleCheckOptions = {}): Promise<GradcheckReport> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_MODULE_TIMEOUT_MS;
  const script = options.workerScript ?? findWorkerScript();
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: job, stdout: true, stderr: true });
    worker.stdout.pipe(process.stderr);
    worker.stderr.pipe(process.stderr);
    let where = 'loading the module';
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      f();
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The limit is the module's own time: it starts once the thread runs, not while Node starts a thread on a busy machine.
    worker.once('online', () => {
      if (settled) return;
      timer = setTimeout(() => {
        const seconds = timeoutMs >= 1000 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`;
        finish(() =>
          reject(new ModelModuleError(`${job.label}: no answer within ${seconds} while ${where}; the module was stopped (an endless loop?)`)),
        );
      }, timeoutMs);
    });
    worker.on('message', (m: ModuleWorkerMessage) => {
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
    worker.on('error', (e) => finish(() => reject(new ModelModuleError(`${job.label}: the module crashed: ${e.message}`))));
    worker.on('exit', (code) => finish(() => reject(new ModelModuleError(`${job.label}: the module's worker exited (code ${code}) before finishing, e.g. process.exit() was called`))));
  });
}
