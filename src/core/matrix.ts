/**
 * Small helpers over the row-major `Matrix` type. Kernels work on `.data` directly; these exist for building,
 * converting and reshaping matrices at the edges (datasets, fixtures, JSON results, user modules).
 */
import type { Matrix } from './types';

/** A rows × cols matrix of zeros. */
export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** Builds a matrix from rows (numpy's nested-list layout); every row must have the same length. */
export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0]!.length;
  const out = zeros(r, c);
  for (let i = 0; i < r; i++) {
    const row = rows[i]!;
    if (row.length !== c) throw new RangeError(`row ${i} has ${row.length} values, expected ${c}`);
    out.data.set(row, i * c);
  }
  return out;
}

/** The matrix as rows of plain numbers (for JSON and user modules). */
export function toRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** A new matrix holding mᵀ. */
export function transpose(m: Matrix): Matrix {
  const out = zeros(m.cols, m.rows);
  const { rows, cols, data } = m;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out.data[j * rows + i] = data[i * cols + j]!;
  }
  return out;
}
