/**
 * Gradient-check one resolved experiment: either the user's model module (model.module, in a worker with a time
 * limit) or NN Lab's own network on the experiment's data and initial parameters (with its l2, and with dropout
 * masks drawn once and held fixed when keepProb < 1). Node only (datasets may read CSV; modules need a worker).
 */
import { resolve } from 'node:path';
import type { ExperimentConfig } from '../types';
import { loadDataset, type DataAccess } from '../datasets';
import { toRows } from '../matrix';
import { initializeParameters } from '../nn';
import { createMasks, drawMasks } from '../nn/dropout';
import { rowsOfParameters } from '../nn/params';
import { RandomState } from '../random';
import { checkGradients, type CheckOptions, type GradcheckReport } from './check';
import { describeError } from './moduleLoader';
import { checkModelModule, type ModuleCheckOptions } from './moduleCheck';
import type { ModuleSetup } from './moduleProblem';
import { networkProblem } from './network';

/** A model module NN Lab runs through its Python harness rather than in a Node worker. */
export const isPythonModule = (module: string): boolean => module.toLowerCase().endsWith('.py');

export type ExperimentCheckOptions = CheckOptions & ModuleCheckOptions & { dataAccess?: DataAccess };

/** The course's D_l = (rand(n_l, m) < keepProb) for each hidden layer, from RandomState(model.seed), drawn once. */
export function fixedDropoutMasks(layers: readonly number[], m: number, keepProb: number, seed: number): Float64Array[] {
  const masks = createMasks(layers, m);
  drawMasks(new RandomState(seed), masks, layers, m, keepProb);
  return masks;
}

/** Why a module without setup(nn) cannot be checked: the keys the experiment would have to give instead. */
export function omittedMessage(omitted: readonly ('data' | 'model.layers')[], python = false): string {
  const keys = omitted.map((k) => `"${k}"`).join(' and ');
  const setup = python ? 'define setup() returning (X, Y, parameters) in the module' : 'export setup(nn) returning { params, X, Y } from the module';
  return `the experiment has no ${keys}; give ${omitted.length > 1 ? 'them' : 'it'} in the experiment (or in "defaults"), or ${setup}`;
}

/**
 * What a model module without setup() is checked on: the experiment's data and initial parameters as rows, or why
 * they cannot be had (a key the file left out, a data file that does not load).
 */
export function moduleFallback(config: ExperimentConfig, baseDir: string, access: DataAccess = {}): ModuleSetup | { error: string } {
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
      { file: resolve(baseDir, model.module), label: model.module, fallback: moduleFallback(config, baseDir, dataAccess), options: check },
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
      ? { l2: config.train.l2, keepProb: model.keepProb, dropoutMasks: fixedDropoutMasks(model.layers, data.X.cols, model.keepProb, model.seed) }
      : { l2: config.train.l2 };
  return checkGradients(networkProblem(initializeParameters(model), data.X, data.Y, model, opts), options);
}
