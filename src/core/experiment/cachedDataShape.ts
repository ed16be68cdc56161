/**
 * The language server and the editor's inline results ask for each experiment's data shape on every keystroke. Generated sets answer from the
 * config; a CSV file would be re-read each time, so its shape (or its error) is cached until the file's
 * size or modification time changes.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { datasetShape, type DataShape, type DataShapeProvider } from './dataShape';

interface CachedShape {
  stamp: string;
  shape?: DataShape;
  error?: unknown;
}

const csvShapes = new Map<string, CachedShape>();

export const cachedDataShape: DataShapeProvider = (data, baseDir) => {
  if (data.dataset !== 'csv' || data.path === undefined) return datasetShape(data, baseDir);
  const file = resolve(baseDir, data.path);
  let stamp = 'missing';
  try {
    const stat = statSync(file);
    stamp = `${stat.size}:${stat.mtimeMs}`;
  } catch {
    // The provider itself reports a missing file with its own message; cache that under 'missing'.
  }
  const key = `${file}\0${data.label ?? ''}`;
  let cached = csvShapes.get(key);
  if (!cached || cached.stamp !== stamp) {
    cached = { stamp };
    try {
      cached.shape = datasetShape(data, baseDir);
    } catch (e) {
      cached.error = e;
    }
    csvShapes.set(key, cached);
  }
  if (cached.error !== undefined) throw cached.error;
  return cached.shape!;
};
