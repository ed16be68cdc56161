/**
 * What the validator needs to know about a data set without training on it: its feature count, class count
 * and size. For generated sets that follows from the config; for CSV files it means reading the file, which
 * is why this is a function the caller gives (src/node/experiment: datasetShape reads the file, cachedDataShape reads
 * it in the background and caches it for the editor's processes).
 */
import { GENERATED_FEATURES, generatedClassCount } from '../datasets';
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

/** The shape of a generated set, from its config alone (a csv set's needs its file: node/experiment/dataShape.ts). */
export function generatedShape(data: DataConfig): DataShape {
  return { features: GENERATED_FEATURES, classes: generatedClassCount(data), samples: data.samples };
}
