/**
 * A labelled CSV file: a header row of column names, numeric feature columns and one integer label column
 * (by name, default the last). Parsing is core/datasets/csvParse.ts (its number grammar csvNumber.ts), reading
 * dataFile.ts (only regular files, under a size cap). Node built-ins only (fs).
 *
 * A process that asks for it (keepCsvData: the CLI, which validates and then trains in the same thread) keeps the
 * last two data sets read while their files look unchanged (size, modification time, inode), so validation and
 * training read a file once. Nothing else keeps them: a long-lived worker reads the file afresh for every job, since
 * a file rewritten within one clock tick at the same size would look unchanged.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DataAccess } from '../../core/datasets/access';
import { classesOf } from '../../core/datasets/csvParse';
import type { Dataset } from '../../core/types';
import { readCsvSync, scanCsvSync } from './dataFile';

const KEEP = 2;
const kept = new Map<string, Dataset>();
let keeping = false;

/**
 * Whether a large file may be parsed on two threads (dataFile.ts, csvPart.ts). A training job that was given one
 * thread shares the cores with other jobs, where a second parsing thread only adds its start-up: measured with no
 * free core, a 117 MB load took 1.29 s on two threads against 1.14 s on one.
 */
let twoThreadLoads = true;

/** Loads from now on may use as many threads as a run was given (only 1 or more than 1 matters). */
export function csvLoadThreads(threads: number): void {
  twoThreadLoads = threads > 1;
}

/** From now on, keep the data sets read (see above). */
export function keepCsvData(): void {
  keeping = true;
}

function stampOf(path: string, baseDir: string, label: string | undefined): string | undefined {
  try {
    const stat = statSync(resolve(baseDir, path));
    return `${resolve(baseDir, path)}\0${label ?? ''}\0${stat.size}\0${stat.mtimeMs}\0${stat.ino}`;
  } catch {
    // Unreadable: the reader reports it with its own message.
    return undefined;
  }
}

/** How often loadCsv reports the rows it has read (a long load must say it is loading, and how far it got). */
export const ROWS_REPORTED_EVERY = 1000;

/**
 * Loads the file at `path` (relative to baseDir) into the course layout: X is features × m, Y is 1 × m.
 * `onRows(rows)` is called as rows are read (at most every ROWS_REPORTED_EVERY rows) and once at the end.
 */
export function loadCsv(
  path: string,
  baseDir: string,
  label?: string,
  access: DataAccess = {},
  onRows?: (rows: number) => void,
): Dataset {
  const stamp = keeping ? stampOf(path, baseDir, label) : undefined;
  const known = stamp === undefined ? undefined : kept.get(stamp);
  if (known) {
    onRows?.(known.X.cols);
    return known;
  }
  const { shape, X, Y } = readCsvSync(
    path,
    baseDir,
    label,
    access,
    onRows && ((rows) => onRows(rows)),
    ROWS_REPORTED_EVERY,
    twoThreadLoads ? {} : { from: Infinity },
  );
  onRows?.(shape.rows);
  const set: Dataset = {
    X: { rows: shape.names.length - 1, cols: shape.rows, data: X },
    Y: { rows: 1, cols: shape.rows, data: Y },
    classes: classesOf(shape),
    featureNames: shape.names.filter((_, c) => c !== shape.labelIndex),
  };
  if (stamp !== undefined) {
    // Oldest first: a Map iterates in insertion order.
    if (kept.size >= KEEP) kept.delete(kept.keys().next().value!);
    kept.set(stamp, set);
  }
  return set;
}

/** Drops the kept data sets and stops keeping them (the CLI does before its workers load their own). */
export function forgetCsvData(): void {
  keeping = false;
  kept.clear();
}

/** Feature count from the file (every row is checked; no values are kept). */
export function csvFeatureCount(path: string, baseDir: string, label?: string, access: DataAccess = {}): number {
  return scanCsvSync(path, baseDir, label, access).names.length - 1;
}

/** Class count from the label column (max label + 1, at least 2). */
export function csvClassCount(path: string, baseDir: string, label?: string, access: DataAccess = {}): number {
  return classesOf(scanCsvSync(path, baseDir, label, access));
}
