/**
 * The `nn` object a model module receives: numpy's RandomState and a few numpy-like helpers over matrices as
 * rows (number[][]). Broadcasting follows numpy for 2-D shapes: a dimension of 1 (or a plain number) stretches to
 * match the other operand, so `add(dot(W, X), b)` works with b of shape n × 1.
 */
import { RandomState } from '../random';

export type Rows = number[][];
type Operand = Rows | number;

function shape(a: Operand): [number, number] {
  return typeof a === 'number' ? [1, 1] : [a.length, a.length === 0 ? 0 : a[0]!.length];
}

function at(a: Operand, i: number, j: number): number {
  if (typeof a === 'number') return a;
  const row = a.length === 1 ? a[0]! : a[i]!;
  return row.length === 1 ? row[0]! : row[j]!;
}

function broadcast(a: Operand, b: Operand, name: string, f: (x: number, y: number) => number): Rows {
  const [ar, ac] = shape(a);
  const [br, bc] = shape(b);
  const rows = ar === 1 ? br : ar;
  const cols = ac === 1 ? bc : ac;
  if (
    (ar !== rows && ar !== 1) ||
    (br !== rows && br !== 1) ||
    (ac !== cols && ac !== 1) ||
    (bc !== cols && bc !== 1)
  ) {
    throw new RangeError(`nn.${name}: shapes ${ar}×${ac} and ${br}×${bc} do not broadcast`);
  }
  const out: Rows = [];
  for (let i = 0; i < rows; i++) {
    const row = new Array<number>(cols);
    for (let j = 0; j < cols; j++) row[j] = f(at(a, i, j), at(b, i, j));
    out.push(row);
  }
  return out;
}

function map(a: Rows, f: (x: number) => number): Rows {
  return a.map((row) => row.map(f));
}

/** A · B (r × k times k × c). */
export function dot(a: Rows, b: Rows): Rows {
  const [r, k] = shape(a);
  const [k2, c] = shape(b);
  if (k !== k2) throw new RangeError(`nn.dot: shapes ${r}×${k} and ${k2}×${c} are not aligned (${k} ≠ ${k2})`);
  const out: Rows = [];
  for (let i = 0; i < r; i++) {
    const row = new Array<number>(c).fill(0);
    for (let t = 0; t < k; t++) {
      const v = a[i]![t]!;
      const bt = b[t]!;
      for (let j = 0; j < c; j++) row[j]! += v * bt[j]!;
    }
    out.push(row);
  }
  return out;
}

export function transpose(a: Rows): Rows {
  const [r, c] = shape(a);
  return Array.from({ length: c }, (_, j) => Array.from({ length: r }, (_, i) => a[i]![j]!));
}

/** Σ over all entries (axis undefined), down the rows (axis 0 → 1 × cols) or along them (axis 1 → rows × 1). */
export function sum(a: Rows, axis?: 0 | 1): number | Rows {
  if (axis === 0) return [transpose(a).map((col) => col.reduce((s, v) => s + v, 0))];
  if (axis === 1) return a.map((row) => [row.reduce((s, v) => s + v, 0)]);
  return a.reduce((s, row) => row.reduce((t, v) => t + v, s), 0);
}

/** The helpers and a RandomState; a fresh object per module run so seeding in one run never leaks into another. */
export function createNn() {
  return {
    random: new RandomState(0),
    dot,
    transpose,
    sum,
    add: (a: Operand, b: Operand) => broadcast(a, b, 'add', (x, y) => x + y),
    subtract: (a: Operand, b: Operand) => broadcast(a, b, 'subtract', (x, y) => x - y),
    multiply: (a: Operand, b: Operand) => broadcast(a, b, 'multiply', (x, y) => x * y),
    divide: (a: Operand, b: Operand) => broadcast(a, b, 'divide', (x, y) => x / y),
    // NaN propagates, as in np.maximum.
    maximum: (a: Operand, b: Operand) => broadcast(a, b, 'maximum', (x, y) => (x > y || Number.isNaN(x) ? x : y)),
    exp: (a: Rows) => map(a, Math.exp),
    log: (a: Rows) => map(a, Math.log),
    zeros: (rows: number, cols: number): Rows => Array.from({ length: rows }, () => new Array<number>(cols).fill(0)),
    shape: (a: Rows) => shape(a),
  };
}

export type Nn = ReturnType<typeof createNn>;
