/**
 * What the validator needs to know about a data set without training on it: its feature count, class count
 * and size. For generated sets that follows from the config; for CSV files it means reading the file, which
 * is why this is a replaceable function (the language server may cache it).
 */
import { classCount, featureCount, loadDataset, type DataAccess } from '../datasets';
import type { DataConfig } from '../types';

export interface DataShape {
  features: number;
  classes: number;
  samples: number;
}

/**
 * Throws an Error whose message is shown at `data.path` (for CSV problems: unreadable file, bad row). Returns
 * undefined while the shape is not known yet (the editor reads a file in the background; checks that need the
 * shape wait for the next pass).
 */
export type DataShapeProvider = (data: DataConfig, baseDir: string) => DataShape | undefined;

/**
 * The shape from the datasets module. A CSV file is read in full so that a bad row is an error in the editor
 * and before a run, not halfway through one; the data set read stays in memory for the training that follows
 * (datasets/csv.ts), so the CLI reads a file once. Generated sets need no data.
 */
export function datasetShape(data: DataConfig, baseDir: string, access: DataAccess = {}): DataShape {
  if (data.dataset === 'csv') {
    const set = loadDataset(data, baseDir, access);
    return { features: set.X.rows, classes: set.classes, samples: set.X.cols };
  }
  return { features: featureCount(data, baseDir), classes: classCount(data, baseDir), samples: data.samples };
}
