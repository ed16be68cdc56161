/**
 * The model-module worker (bundled as dist/gradcheck-worker.js): loads the user's module, runs the whole gradient
 * check against it, and posts the report. It runs in its own thread so that the host can stop a module that hangs,
 * and it tells the host which function (and which entry) it is in, so that the timeout message can say where.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkGradients } from '../core/gradcheck/check';
import { describeError, ModelModuleError } from '../core/gradcheck/moduleErrors';
import { ModuleRunner, type Phase } from '../core/gradcheck/moduleProblem';
import { loadModelModule } from '../node/gradcheck/moduleLoader';
import type { ModuleJob, ModuleWorkerMessage } from '../protocol/moduleWorker';

const port = parentPort;
if (!port) throw new Error('moduleWorker.ts must run in a worker thread');
const post = (m: ModuleWorkerMessage) => port.postMessage(m);

async function main(job: ModuleJob): Promise<void> {
  post({ type: 'phase', phase: 'load' });
  const mod = await loadModelModule(job.file, job.label);
  let last: Phase | undefined;
  const runner = new ModuleRunner(mod, job.label, (phase) => {
    if (phase !== last) post({ type: 'phase', phase });
    last = phase;
  });
  const problem = await runner.problem(await runner.setup(job.fallback));
  problem.onEntry = (tensor, index) => post({ type: 'entry', tensor, index });
  post({ type: 'report', report: await checkGradients(problem, job.options) });
}

main(workerData as ModuleJob).catch((e: unknown) => {
  const message = e instanceof ModelModuleError ? e.message : `${(workerData as ModuleJob).label}: ${describeError(e)}`;
  post({ type: 'error', message });
});
