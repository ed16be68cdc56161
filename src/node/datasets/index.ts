/**
 * Data sets by config, CSV files included: the one entry point the trainer, validator, CLI and editor use. Generated
 * sets come from the core (core/datasets); csv sets are read from their file (paths resolve against baseDir, the
 * experiment file's folder) under the DataAccess rules.
 */
import type { DataAccess } from '../../core/datasets/access';
import { csvPath, GENERATED_FEATURES, generatedClassCount, generatedDataset, testConfig } from '../../core/datasets';
import type { DataConfig, Dataset } from '../../core/types';
import { csvClassCount, csvFeatureCount, loadCsv } from './csv';

export { loadCsv, keepCsvData, forgetCsvData, csvLoadThreads } from './csv';

/** `onRows` hears how many rows a CSV file has given so far (generated sets are instant and say nothing). */
export function loadDataset(
  cfg: DataConfig,
  baseDir: string,
  access: DataAccess = {},
  onRows?: (rows: number) => void,
): Dataset {
  return cfg.dataset === 'csv' ? loadCsv(csvPath(cfg), baseDir, cfg.label, access, onRows) : generatedDataset(cfg);
}

/** `onRows` counts the rows of both sets, training first. */
export function loadTrainTest(
  cfg: DataConfig,
  baseDir: string,
  access: DataAccess = {},
  onRows?: (rows: number) => void,
): { train: Dataset; test?: Dataset } {
  const train = loadDataset(cfg, baseDir, access, onRows);
  const t = testConfig(cfg);
  if (!t) return { train };
  const before = train.X.cols;
  return { train, test: loadDataset(t, baseDir, access, onRows && ((rows) => onRows(before + rows))) };
}

/** Number of input features, without generating data (csv reads the header only). */
export function featureCount(cfg: DataConfig, baseDir = '.', access: DataAccess = {}): number {
  return cfg.dataset === 'csv' ? csvFeatureCount(csvPath(cfg), baseDir, cfg.label, access) : GENERATED_FEATURES;
}

/** Number of classes, without generating data (csv scans the label column). */
export function classCount(cfg: DataConfig, baseDir = '.', access: DataAccess = {}): number {
  return cfg.dataset === 'csv' ? csvClassCount(csvPath(cfg), baseDir, cfg.label, access) : generatedClassCount(cfg);
}
