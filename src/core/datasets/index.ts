/**
 * Datasets by config: the one entry point the trainer, validator, CLI and editor use.
 * Generated sets are 2-D; csv sets take their shape from the file (paths resolve against baseDir,
 * the experiment file's folder).
 */
import type { DataConfig, Dataset } from '../types';
import { circles } from './circles';
import { csvClassCount, csvFeatureCount, loadCsv } from './csv';
import type { DataAccess } from './dataFile';
import { DatasetError } from './errors';
import { moons } from './moons';
import { gauss, spiral, xor } from './playground';

export { DatasetError } from './errors';
export { circles } from './circles';
export { moons } from './moons';
export { gauss, spiral, xor } from './playground';
export { loadCsv, keepCsvData, forgetCsvData } from './csv';
export type { DataAccess } from './dataFile';

function csvPath(cfg: DataConfig): string {
  if (!cfg.path) throw new DatasetError('csv: data.path is required (the CSV file, relative to the experiment file)');
  return cfg.path;
}

/** `onRows` hears how many rows a CSV file has given so far (generated sets are instant and say nothing). */
export function loadDataset(cfg: DataConfig, baseDir: string, access: DataAccess = {}, onRows?: (rows: number) => void): Dataset {
  switch (cfg.dataset) {
    case 'moons':
      return moons(cfg.samples, cfg.noise, cfg.seed);
    case 'circles':
      return circles(cfg.samples, cfg.noise, cfg.seed, cfg.factor);
    case 'xor':
      return xor(cfg.samples, cfg.noise, cfg.seed);
    case 'gauss':
      return gauss(cfg.samples, cfg.noise, cfg.seed, cfg.classes ?? 2);
    case 'spiral':
      return spiral(cfg.samples, cfg.noise, cfg.seed, cfg.classes ?? 2);
    case 'csv':
      return loadCsv(csvPath(cfg), baseDir, cfg.label, access, onRows);
    default:
      throw new DatasetError(`unknown dataset "${String((cfg as { dataset: unknown }).dataset)}"`);
  }
}

/** The test set's config: the training config with `test` overriding (and no nested test). */
export function testConfig(cfg: DataConfig): DataConfig | undefined {
  if (!cfg.test) return undefined;
  const { test, ...base } = cfg;
  return { ...base, ...test };
}

/** `onRows` counts the rows of both sets, training first. */
export function loadTrainTest(cfg: DataConfig, baseDir: string, access: DataAccess = {}, onRows?: (rows: number) => void): { train: Dataset; test?: Dataset } {
  const train = loadDataset(cfg, baseDir, access, onRows);
  const t = testConfig(cfg);
  if (!t) return { train };
  const before = train.X.cols;
  return { train, test: loadDataset(t, baseDir, access, onRows && ((rows) => onRows(before + rows))) };
}

/** Number of input features, without generating data (csv reads the header only). */
export function featureCount(cfg: DataConfig, baseDir = '.', access: DataAccess = {}): number {
  return cfg.dataset === 'csv' ? csvFeatureCount(csvPath(cfg), baseDir, cfg.label, access) : 2;
}

/** Number of classes, without generating data (csv scans the label column). */
export function classCount(cfg: DataConfig, baseDir = '.', access: DataAccess = {}): number {
  switch (cfg.dataset) {
    case 'gauss':
    case 'spiral':
      return cfg.classes ?? 2;
    case 'csv':
      return csvClassCount(csvPath(cfg), baseDir, cfg.label, access);
    default:
      return 2;
  }
}
