/**
 * Data sets by config. The generated sets (moons, circles, xor, gauss, spiral) are pure and 2-D, the same bits in any
 * runtime; a csv set comes from a file, which only src/node/datasets reads (loadDataset there is the one entry point
 * the trainer, validator, CLI and editor use: it reads CSV files and calls generatedDataset for the rest).
 */
import type { DataConfig, Dataset } from '../types';
import { circles } from './circles';
import { DatasetError } from './errors';
import { moons } from './moons';
import { gauss, spiral, xor } from './playground';

export { DatasetError } from './errors';
export { circles } from './circles';
export { moons } from './moons';
export { gauss, spiral, xor } from './playground';
export { classesOf, type CsvShape } from './csvParse';
export type { DataAccess } from './access';

/** Every generated set has two features (the plane the decision boundary is drawn on). */
export const GENERATED_FEATURES = 2;

/** data.path of a csv config, or the error that it is missing. */
export function csvPath(cfg: DataConfig): string {
  if (!cfg.path) throw new DatasetError('csv: data.path is required (the CSV file, relative to the experiment file)');
  return cfg.path;
}

/** A generated set from its config; a csv config is a file to read (src/node/datasets), not something to generate. */
export function generatedDataset(cfg: DataConfig): Dataset {
  switch (cfg.dataset) {
    case 'moons':
      return moons(cfg.samples, cfg.noise, cfg.seed);
    case 'circles':
      return circles(cfg.samples, cfg.noise, cfg.seed, cfg.factor);
    case 'xor':
      return xor(cfg.samples, cfg.noise, cfg.seed);
    case 'gauss':
      return gauss(cfg.samples, cfg.noise, cfg.seed, cfg.classes);
    case 'spiral':
      return spiral(cfg.samples, cfg.noise, cfg.seed, cfg.classes);
    case 'csv':
      throw new DatasetError(
        `csv: the data set is the file ${JSON.stringify(cfg.path)}, which only a file reader loads`,
      );
    default:
      throw new DatasetError(`unknown dataset "${String((cfg as { dataset: unknown }).dataset)}"`);
  }
}

/** The class count of a generated set, without generating it. */
export function generatedClassCount(cfg: DataConfig): number {
  return cfg.dataset === 'gauss' || cfg.dataset === 'spiral' ? cfg.classes : 2;
}

/** The test set's config: the training config with `test` overriding (and no nested test). */
export function testConfig(cfg: DataConfig): DataConfig | undefined {
  if (!cfg.test) return undefined;
  const { test, ...base } = cfg;
  return { ...base, ...test };
}
