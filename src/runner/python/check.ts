/**
 * Gradient-checks a Python model module (model.module: "./my_model.py") through the harness: the learner's
 * forward(X, Y, parameters) -> (cost, cache) and backward(X, Y, cache) -> gradients run in their own interpreter,
 * and the same check as for JS modules (check.ts) perturbs θ here and asks for J at a batch of θ′ per message.
 * Errors name the module, the function and, for a Python exception, the file and line: "(at /abs/my_model.py:12)",
 * followed by the traceback on the next lines. Node only.
 */
import {
  checkGradients,
  type CheckOptions,
  type CheckProblem,
  type GradcheckReport,
  type TensorSpec,
} from '../../core/gradcheck/check';
import { ModelModuleError } from '../../core/gradcheck/moduleErrors';
import type { ModuleSetup } from '../../core/gradcheck/moduleProblem';
import {
  decodeF64,
  encodeF64,
  type FunctionNames,
  type HarnessError,
  type HarnessRequest,
} from '../../protocol/python';
import { DEFAULT_PYTHON_MEMORY_MB, findHarness, HarnessProcess } from './process';

export const DEFAULT_PYTHON = 'python3';

export interface PythonCheckOptions {
  /** The interpreter (default python3 on PATH). */
  python?: string;
  timeoutMs: number;
  /** Address-space limit of the Python process in MiB (default 2048). */
  memoryMb?: number;
  /** The harness script; by default python/nnlab_harness.py found above the running bundle. */
  harness?: string;
  onOutput?: (text: string) => void;
}

export interface PythonModuleJob {
  file: string;
  label: string;
  functions?: FunctionNames;
  fallback?: ModuleSetup | { error: string };
  options: CheckOptions;
}

const ROLES: Record<string, string> = {
  load: 'loading the module',
  setup: 'setup',
  forward: 'forward',
  backward: 'backward',
};

/** "my_model.py: backward() raised ValueError: … (at /abs/my_model.py:12)" and the traceback on the next lines. */
export function harnessErrorMessage(label: string, e: HarnessError, names: Required<FunctionNames>): string {
  if (e.phase === 'contract') return `${label}: ${e.message}`;
  if (e.phase === 'hello' && e.missing) return e.message;
  if (!e.type) return `${label}: ${e.message}`;
  const fn = e.phase in names ? `${names[e.phase as keyof FunctionNames]}()` : (ROLES[e.phase] ?? e.phase);
  const where = e.file && e.line ? ` (at ${e.file}:${e.line})` : '';
  const verb = e.phase === 'load' ? 'loading the module raised' : `${fn} raised`;
  return `${label}: ${verb} ${e.type}: ${e.message}${where}${e.traceback ? `\n${e.traceback.trimEnd()}` : ''}`;
}

function fallbackOf(fallback: PythonModuleJob['fallback']): Extract<HarnessRequest, { op: 'load' }>['fallback'] {
  if (!fallback) return null;
  if ('error' in fallback) return { error: fallback.error };
  const matrix = (rows: number[][]) => encodeF64(rows.flat(), [rows.length, rows[0]?.length ?? 0]);
  return {
    params: Object.entries(fallback.params).map(([name, rows]) => ({ name, value: matrix(rows) })),
    X: matrix(fallback.X),
    Y: matrix(fallback.Y),
  };
}

export async function checkPythonModule(job: PythonModuleJob, options: PythonCheckOptions): Promise<GradcheckReport> {
  const python = options.python || DEFAULT_PYTHON;
  const names: Required<FunctionNames> = { forward: 'forward', backward: 'backward', setup: 'setup', ...job.functions };
  const proc = new HarnessProcess({
    python,
    harness: options.harness ?? findHarness(),
    timeoutMs: options.timeoutMs,
    memoryMb: options.memoryMb ?? DEFAULT_PYTHON_MEMORY_MB,
    ...(options.onOutput ? { onOutput: options.onOutput } : {}),
  });
  const fail = (r: { error: HarnessError }) => new ModelModuleError(harnessErrorMessage(job.label, r.error, names));
  try {
    const hello = await proc.ok(
      { op: 'hello' },
      (r) =>
        new ModelModuleError(
          r.error.missing === 'numpy'
            ? `${job.label}: the Python interpreter "${python}" cannot import numpy (${r.error.message}). Install it (Debian/Ubuntu: sudo apt-get install python3-numpy; ` +
                `otherwise: ${python} -m pip install numpy), or choose an interpreter that has it (the Python extension's environment, nnlab.python.path, --python)`
            : fail(r).message,
        ),
    );
    proc.restartClock();
    proc.where = `loading the module (Python ${String(hello.python)}, numpy ${String(hello.numpy)})`;
    const loaded = await proc.ok(
      { op: 'load', file: job.file, functions: job.functions ?? {}, fallback: fallbackOf(job.fallback) },
      fail,
    );
    const tensors = (loaded.tensors as Array<{ name: string; shape: number[] }>).map((t): TensorSpec => ({
      name: t.name,
      rows: t.shape[0]!,
      cols: t.shape[1]!,
    }));
    const problem: CheckProblem = {
      tensors,
      theta: decodeF64(loaded.theta, 'theta'),
      analytic: decodeF64(loaded.analytic, 'analytic'),
      evaluate: () => {
        throw new Error('a Python module is evaluated in batches');
      },
      evaluateBatch: async (thetas) => {
        const size = thetas[0]?.length ?? 0;
        const flat = new Float64Array(thetas.length * size);
        thetas.forEach((t, k) => flat.set(t, k * size));
        const reply = await proc.ok({ op: 'costs', thetas: encodeF64(flat, [thetas.length, size]) }, fail);
        const costs = decodeF64(reply.costs, 'costs');
        if (costs.length !== thetas.length)
          throw new ModelModuleError(`the Python harness sent ${costs.length} costs for ${thetas.length} θ`);
        return Array.from(costs, (cost) => ({ cost }));
      },
      onEntry: (tensor, index) => {
        proc.where = `running ${names.forward}() for ${tensor}[${index.join(',')}] ± ε and the rest of its batch`;
      },
    };
    return await checkGradients(problem, job.options);
  } catch (e) {
    if (e instanceof ModelModuleError && !e.message.startsWith(`${job.label}:`))
      throw new ModelModuleError(`${job.label}: ${e.message}`);
    throw e;
  } finally {
    proc.close();
  }
}
