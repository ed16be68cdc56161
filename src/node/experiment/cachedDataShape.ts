/**
 * The data shapes of the editor's processes (the language server, and the extension host's resolve for runs), which
 * must never block on a data file: a CSV file is checked in the background (datasets/dataFile.ts scanCsvFile: only
 * regular files, under the size cap, each chunk awaited), and until it is done its shape is unknown (undefined),
 * so the checks that need it wait. When a check finishes, listeners hear it and validate again. The shape (or its
 * error) is cached until the file's size, modification time or inode changes, or the access rules change. Node only.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DataAccess } from '../../core/datasets/access';
import { classesOf } from '../../core/datasets/csvParse';
import type { DataShape, DataShapeProvider } from '../../core/experiment/dataShape';
import { refusalByStat, scanCsvFile } from '../datasets/dataFile';
import { datasetShape } from './dataShape';

interface CachedShape {
  stamp: string;
  shape?: DataShape;
  error?: unknown;
  pending?: Promise<void>;
}

const csvShapes = new Map<string, CachedShape>();
/** Why shapes changed: a background check finished, or the access rules changed (every shape is forgotten). */
export type DataShapesChange = 'checked' | 'rules';
const listeners = new Set<(change: DataShapesChange) => void>();
let access: DataAccess = {};

/** Sets the size cap and, in an untrusted workspace, the folders data may be read from; forgets every shape. */
export function setDataAccess(next: DataAccess): void {
  if (JSON.stringify(next) === JSON.stringify(access)) return;
  access = next;
  // Only shapes read under the old rules need another look (none at start-up).
  const had = csvShapes.size > 0;
  csvShapes.clear();
  if (had) for (const l of listeners) l('rules');
}

/** The rules checks run under now (runs pass them on to their workers). */
export function dataAccess(): DataAccess {
  return access;
}

/** Called whenever a background check finished (or the rules changed): validate again. */
export function onDataShapesChanged(listener: (change: DataShapesChange) => void): { dispose(): void } {
  listeners.add(listener);
  return { dispose: () => listeners.delete(listener) };
}

/** Whether some data file is being checked now. */
export function dataShapesPending(): boolean {
  return [...csvShapes.values()].some((c) => c.pending !== undefined);
}

/** Resolves once no check is running (checks started meanwhile included). */
export async function dataShapesSettled(): Promise<void> {
  for (;;) {
    const pending = [...csvShapes.values()].map((c) => c.pending).filter((p): p is Promise<void> => p !== undefined);
    if (pending.length === 0) return;
    await Promise.all(pending);
  }
}

function stampOf(file: string): string {
  try {
    // stat never opens the file, so it cannot block on a pipe.
    const stat = statSync(file);
    return `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
  } catch {
    // The check reports a missing file with its own message; cache that under 'missing'.
    return 'missing';
  }
}

export const cachedDataShape: DataShapeProvider = (data, baseDir) => {
  if (data.dataset !== 'csv' || data.path === undefined) return datasetShape(data, baseDir);
  const file = resolve(baseDir, data.path);
  const stamp = stampOf(file);
  const key = `${file}\0${data.label ?? ''}`;
  let cached = csvShapes.get(key);
  if (!cached || cached.stamp !== stamp) {
    const entry: CachedShape = { stamp };
    cached = entry;
    csvShapes.set(key, entry);
    // What stat alone refuses (devices, pipes, folders, files over the cap) is known now, with no read to wait for.
    const refused = refusalByStat(data.path, baseDir, access);
    if (refused) entry.error = refused;
    else
      entry.pending = scanCsvFile(data.path, baseDir, data.label, access)
        .then(
          (shape) => {
            entry.shape = { features: shape.names.length - 1, classes: classesOf(shape), samples: shape.rows };
          },
          (e: unknown) => {
            entry.error = e;
          },
        )
        .finally(() => {
          delete entry.pending;
          if (csvShapes.get(key) === entry) for (const l of listeners) l('checked');
        });
  }
  if (cached.pending) return undefined;
  if (cached.error !== undefined) throw cached.error;
  return cached.shape!;
};
