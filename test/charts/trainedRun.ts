/**
 * The small real network the chart tests and the render bench draw: circles data, relu/sigmoid, gd at 0.05, trained
 * by the worker's own job code and shaped as the host shapes it (so the network view gets a real inspection).
 */
import { chartRunFromResult } from '../../src/charts/runs';
import type { ExperimentConfig } from '../../src/core/types';
import type { ChartRun } from '../../src/protocol/charts';
import { runJob } from '../../src/runner/job';
import { experimentConfig } from '../unit/experimentConfig';

export interface CirclesNet {
  layers: number[];
  /** Defaults to `${init}-${layers.join('-')}`. */
  name?: string;
  init?: ExperimentConfig['model']['init'];
  initScale?: number;
  samples?: number;
  epochs?: number;
}

export function circlesConfig({
  layers,
  init = 'he',
  initScale = 1,
  samples = 120,
  epochs = 200,
  name = `${init}-${layers.join('-')}`,
}: CirclesNet): ExperimentConfig {
  return {
    ...experimentConfig(
      { layers, init, initScale },
      { learningRate: 0.05, epochs, shuffleSeed: 0 },
      { dataset: 'circles', samples, noise: 0.05, seed: 1, factor: 0.5, classes: 2 },
    ),
    name,
  };
}

/** Trains `config` (relative data paths against `baseDir`); throws unless it trained with a boundary and an inspection. */
export async function inspectedRun(config: ExperimentConfig, baseDir: string): Promise<ChartRun> {
  const outcome = await runJob(
    { kind: 'train', config, baseDir, allowModules: false },
    { onEpoch: () => {}, shouldStop: () => false },
  );
  if (outcome.kind !== 'train' || !outcome.boundary || !outcome.result.inspection)
    throw new Error(`${config.name} did not train with an inspection: ${JSON.stringify(outcome).slice(0, 200)}`);
  return chartRunFromResult(config.name, outcome.result, { config, boundary: outcome.boundary });
}
