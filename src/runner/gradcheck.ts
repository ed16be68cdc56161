/**
 * A gradient check of one resolved experiment, whatever its model: a Python module through the harness
 * (src/runner/python), else the core's check (a JS/TS module in a worker, or NN Lab's own network). The CLI and the
 * training worker both come through here. Node only.
 */
import { resolve } from 'node:path';
import type { GradcheckReport } from '../core/gradcheck/check';
import { isPythonModule } from '../core/gradcheck/experiment';
import { gradcheckExperiment, moduleFallback, type ExperimentCheckOptions } from '../node/gradcheck/experiment';
import { DEFAULT_MODULE_TIMEOUT_MS } from '../node/gradcheck/moduleCheck';
import type { ExperimentConfig } from '../core/types';
import { checkPythonModule } from './python/check';

export type GradcheckRunOptions = ExperimentCheckOptions & {
  /** The interpreter for Python modules (default python3 on PATH). */
  python?: string;
  /** Address-space limit of a Python module's process in MiB (default 2048). */
  pythonMemoryMb?: number;
};

export function runGradcheck(
  config: ExperimentConfig,
  baseDir: string,
  options: GradcheckRunOptions = {},
): Promise<GradcheckReport> {
  const { python, pythonMemoryMb, ...core } = options;
  const module = config.model.module;
  if (module === undefined || !isPythonModule(module)) return gradcheckExperiment(config, baseDir, core);
  const { timeoutMs, workerScript: _unused, memoryMb: _heap, dataAccess, ...check } = core;
  return checkPythonModule(
    {
      file: resolve(baseDir, module),
      label: module,
      fallback: moduleFallback(config, baseDir, dataAccess),
      options: check,
      ...(config.model.functions ? { functions: config.model.functions } : {}),
    },
    {
      timeoutMs: timeoutMs ?? DEFAULT_MODULE_TIMEOUT_MS,
      ...(python === undefined ? {} : { python }),
      ...(pythonMemoryMb === undefined ? {} : { memoryMb: pythonMemoryMb }),
    },
  );
}
