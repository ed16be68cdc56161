/**
 * Gradient-check one resolved experiment: either the user's model module (model.module, in a worker with a time
 * limit) or NN Lab's own network on the experiment's data and initial parameters (with its l2, and with dropout
 * masks drawn once and held fixed when keepProb < 1). Node only (datasets may read CSV; modules need a worker); the
 * pure half is core/gradcheck/experiment.ts.
 */
import { resolve } from 'node:path';
import type { ExperimentConfig } from '../../core/types';
import type { DataAccess } from '../../core/datasets/access';
import { checkGradients, type CheckOptions, type GradcheckReport } from '../../core/gradcheck/check';
import { fixedDropoutMasks, isPythonModule, omittedMessage } from '../../core/gradcheck/experiment';
import { describeError } from '../../core/gradcheck/moduleErrors';
import type { ModuleSetup } from '../../core/gradcheck/moduleProblem';
import { networkProblem } from '../../core/gradcheck/network';
import { toRows } from '../../core/matrix';
import { initializeParameters } from '../../core/nn';
import { rowsOfParameters } from '../../core/nn/params';
import { loadDataset } from '../datasets';
import { checkModelModule, type ModuleCheckOptions } from './moduleCheck';

export type ExperimentCheckOptions = CheckOptions & ModuleCheckOptions & { dataAccess?: DataAccess };

/**
 * What a model module without setup() is checked on: the experiment's data and initial parameters as rows, or why
 * they cannot be had (a key the file left out, a data file that does not load).
 */
export function moduleFallback(
  config: ExperimentConfig,
  baseDir: string,
  access: DataAccess = {},
): ModuleSetup | { error: string } {
  const omitted = config.omitted ?? [];
  try {
    // Only setup() can stand in for what the file left out; without it the check fails naming the keys.
    if (omitted.length) throw new Error(omittedMessage(omitted, isPythonModule(config.model.module ?? '')));
    const data = loadDataset(config.data, baseDir, access);
    return { params: rowsOfParameters(initializeParameters(config.model)), X: toRows(data.X), Y: toRows(data.Y) };
  } catch (e) {
    return { error: describeError(e) };
  }
}

/**
 * A JS/TS model module (in a worker) or NN Lab's own network. Python modules run through the runner's harness
 * (src/runner/gradcheck.ts), which calls this for everything else.
 */
export async function gradcheckExperiment(
  config: ExperimentConfig,
  baseDir: string,
  options: ExperimentCheckOptions = {},
): Promise<GradcheckReport> {
  const { model } = config;
  if (model.module !== undefined) {
    const { timeoutMs, workerScript, memoryMb, dataAccess, ...check } = options;
    return checkModelModule(
      {
        file: resolve(baseDir, model.module),
        label: model.module,
        fallback: moduleFallback(config, baseDir, dataAccess),
        options: check,
      },
      {
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        ...(workerScript === undefined ? {} : { workerScript }),
        ...(memoryMb === undefined ? {} : { memoryMb }),
      },
    );
  }
  const data = loadDataset(config.data, baseDir, options.dataAccess);
  const opts =
    model.keepProb < 1
      ? {
          l2: config.train.l2,
          keepProb: model.keepProb,
          dropoutMasks: fixedDropoutMasks(model.layers, data.X.cols, model.keepProb, model.seed),
        }
      : { l2: config.train.l2 };
  return checkGradients(networkProblem(initializeParameters(model), data.X, data.Y, model, opts), options);
}
