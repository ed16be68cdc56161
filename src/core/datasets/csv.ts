/**
 * A labelled CSV file: a header row of column names, numeric feature columns and one integer label column
 * (by name, default the last). Every problem names the file and the 1-based line, e.g. `data.csv:7: …`.
 * Node built-ins only (fs); no quoting support beyond trimming optional quotes around header names.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Dataset } from '../types';
import { DatasetError } from './errors';

interface CsvTable {
  names: string[];
  labelIndex: number;
  /** 1-based line numbers and cells of the non-blank data rows. */
  rows: { line: number; cells: string[] }[];
}

function readTable(path: string, baseDir: string, label?: string): CsvTable {
  let text: string;
  try {
    text = readFileSync(resolve(baseDir, path), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DatasetError(`${path}: cannot read the file (${code ?? String(e)})`, path);
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerAt = lines.findIndex((l) => l.trim() !== '');
  if (headerAt < 0) throw new DatasetError(`${path}: the file is empty; expected a header row`, path);
  const names = lines[headerAt]!.split(',').map((s) => s.trim().replace(/^"(.*)"$/, '$1'));
  if (names.length < 2) {
    throw new DatasetError(`${path}:${headerAt + 1}: expected a header with at least one feature and a label`, path, headerAt + 1);
  }
  const labelIndex = label === undefined ? names.length - 1 : names.indexOf(label);
  if (labelIndex < 0) {
    throw new DatasetError(`${path}:${headerAt + 1}: no column named "${label}" (columns: ${names.join(', ')})`, path, headerAt + 1);
  }
  const rows: CsvTable['rows'] = [];
  for (let i = headerAt + 1; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue;
    const cells = lines[i]!.split(',');
    if (cells.length !== names.length) {
      throw new DatasetError(`${path}:${i + 1}: expected ${names.length} columns, found ${cells.length}`, path, i + 1);
    }
    rows.push({ line: i + 1, cells });
  }
  if (rows.length === 0) throw new DatasetError(`${path}: no data rows after the header`, path);
  return { names, labelIndex, rows };
}

function parseNumber(path: string, line: number, column: string, cell: string): number {
  const text = cell.trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) {
    throw new DatasetError(`${path}:${line}: column "${column}": "${text}" is not a number`, path, line);
  }
  return value;
}

function parseLabel(path: string, line: number, column: string, cell: string): number {
  const value = parseNumber(path, line, column, cell);
  if (!Number.isInteger(value) || value < 0) {
    throw new DatasetError(`${path}:${line}: label "${cell.trim()}" must be an integer class ≥ 0`, path, line);
  }
  return value;
}

/** How often loadCsv reports the rows it has read (a long load must say it is loading, and how far it got). */
export const ROWS_REPORTED_EVERY = 1000;

/**
 * Loads the file at `path` (relative to baseDir) into the course layout: X is features × m, Y is 1 × m.
 * `onRows(rows)` is called every ROWS_REPORTED_EVERY rows read and once at the end.
 */
export function loadCsv(path: string, baseDir: string, label?: string, onRows?: (rows: number) => void): Dataset {
  const { names, labelIndex, rows } = readTable(path, baseDir, label);
  const m = rows.length;
  const features = names.length - 1;
  const X = new Float64Array(features * m);
  const Y = new Float64Array(m);
  let maxLabel = 0;
  rows.forEach(({ line, cells }, i) => {
    for (let c = 0, f = 0; c < cells.length; c++) {
      if (c === labelIndex) continue;
      X[f * m + i] = parseNumber(path, line, names[c]!, cells[c]!);
      f++;
    }
    Y[i] = parseLabel(path, line, names[labelIndex]!, cells[labelIndex]!);
    maxLabel = Math.max(maxLabel, Y[i]!);
    if (onRows && (i + 1) % ROWS_REPORTED_EVERY === 0) onRows(i + 1);
  });
  onRows?.(m);
  return {
    X: { rows: features, cols: m, data: X },
    Y: { rows: 1, cols: m, data: Y },
    classes: Math.max(2, maxLabel + 1),
    featureNames: names.filter((_, c) => c !== labelIndex),
  };
}

/** Feature count from the header alone. */
export function csvFeatureCount(path: string, baseDir: string, label?: string): number {
  return readTable(path, baseDir, label).names.length - 1;
}

/** Class count from the label column alone (max label + 1, at least 2). */
export function csvClassCount(path: string, baseDir: string, label?: string): number {
  const { names, labelIndex, rows } = readTable(path, baseDir, label);
  let maxLabel = 0;
  for (const { line, cells } of rows) {
    maxLabel = Math.max(maxLabel, parseLabel(path, line, names[labelIndex]!, cells[labelIndex]!));
  }
  return Math.max(2, maxLabel + 1);
}
