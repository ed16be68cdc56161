/** The data shape read from the data itself: the default DataShapeProvider of the CLI and the workers. Node only. */
import type { DataAccess } from '../../core/datasets/access';
import { generatedShape, type DataShape } from '../../core/experiment/dataShape';
import type { DataConfig } from '../../core/types';
import { loadDataset } from '../datasets';

/**
 * A CSV file is read in full so that a bad row is an error in the editor and before a run, not halfway through one;
 * the data set read stays in memory for the training that follows (datasets/csv.ts), so the CLI reads a file once.
 * Generated sets need no data.
 */
export function datasetShape(data: DataConfig, baseDir: string, access: DataAccess = {}): DataShape {
  if (data.dataset === 'csv') {
    const set = loadDataset(data, baseDir, access);
    return { features: set.X.rows, classes: set.classes, samples: set.X.cols };
  }
  return generatedShape(data);
}
