/**
 * A streaming parser of labelled CSV bytes (pure: no fs). It is fed the file in chunks and never holds more than
 * the current line, so validation can read a file of any size in bounded memory, and training can parse straight
 * into the dataset's Float64Arrays. Every problem names the file, the 1-based line and, for a cell, its 1-based
 * column, e.g. `data.csv:7:12: column "b": "0x10" is hexadecimal; only decimal numbers are accepted`.
 *
 * Layout: the first non-blank line is the header (a leading BOM is ignored, names may be quoted); blank lines are
 * skipped; `\r\n` is fine; the label column is `label` by name or else the last; labels are integers ≥ 0.
 */
import { DatasetError } from './errors';
import { cellProblem, scanNumber, scanned } from './csvNumber';

/** What validation needs to know about a CSV file. */
export interface CsvShape {
  names: string[];
  labelIndex: number;
  rows: number;
  /** The largest label (classes = max(2, maxLabel + 1)). */
  maxLabel: number;
}

/** The class count a CSV file's labels give: max label + 1, at least 2. */
export function classesOf(shape: CsvShape): number {
  return Math.max(2, shape.maxLabel + 1);
}

/** Where parsed rows go: features column-major with a row stride (the course's X is features × m), labels. */
export interface CsvTarget {
  /** X[f * stride + row]. */
  X: Float64Array;
  Y: Float64Array;
  stride: number;
}

/**
 * Where a parser starts when another thread parses the file's beginning: after `line` lines (the header among
 * them), writing its first row at `row` (any slot past the rows the other part can hold; the caller closes the gap).
 */
export interface CsvPartStart {
  names: string[];
  labelIndex: number;
  line: number;
  row: number;
}

/**
 * Rows parsed into a row-major block before they are written to the column-major X: writing each cell straight
 * to X[f·stride + row] touches one cache line and one page per feature per row, which made loading a 784-column
 * file about 2× slower; a block writes each feature's run of BLOCK rows contiguously (512 rows: 4 KB, a page).
 */
const BLOCK = 512;
/** …but never more than 4 MB of block, whatever the column count. */
const BLOCK_BYTES = 4 * 2 ** 20;

/** Features per tile of the block → X transpose: 16 doubles are two cache lines of a block row. */
const TILE = 16;

const NEWLINE = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;

export class CsvParser {
  private names: string[] | undefined;
  private labelIndex = -1;
  private line = 0;
  private rows = 0;
  private maxLabel = 0;
  private target: CsvTarget | undefined;
  private block = new Float64Array(0);
  private blockRows = 0;
  private blockSize = BLOCK;
  /** The slot of this parser's first row in the target (not 0 when it parses the later part of a file). */
  private rowBase = 0;

  /**
   * `file` is how messages name the file; `label` the label column's name (default: the last column).
   * `makeTarget` is asked, once the header is known, where rows go (undefined: check and count only). With
   * `start`, the parser reads a later part of a file whose header another parser read.
   */
  constructor(
    private readonly file: string,
    private readonly label: string | undefined,
    private readonly makeTarget?: (features: number, names: string[], labelIndex: number) => CsvTarget,
    start?: CsvPartStart,
  ) {
    if (start) {
      this.line = start.line;
      this.rowBase = start.row;
      this.useHeader(start.names, start.labelIndex);
    }
  }

  /**
   * Parses the complete lines in bytes[from, to) and returns where the unfinished last line starts (to feed it
   * again with more bytes after it). With `final`, the rest is the last line and everything is consumed. Bytes
   * past `to` are never read as data, but pass a view that ends at `to` so no search runs past it.
   */
  feed(bytes: Uint8Array, from: number, to: number, final: boolean): number {
    let start = from;
    for (;;) {
      let end = bytes.indexOf(NEWLINE, start);
      if (end < 0 || end >= to) {
        if (!final || start >= to) return final ? to : start;
        end = to;
      }
      this.line++;
      const stop = end > start && bytes[end - 1] === CR ? end - 1 : end;
      if (this.names) this.row(bytes, start, stop);
      else this.header(bytes, start, stop);
      start = end + 1;
      if (start > to) return to;
    }
  }

  /** Data rows parsed so far. */
  get rowCount(): number {
    return this.rows;
  }

  /** Whether the header was read (the rows that follow go to the target). */
  get hasHeader(): boolean {
    return this.names !== undefined;
  }

  /** What a part of a file gave once all its bytes were fed: its rows are in the target, from its start row. */
  finishPart(): { rows: number; maxLabel: number } {
    this.flushBlock();
    return { rows: this.rows, maxLabel: this.maxLabel };
  }

  /** Counts the rows another parser read after this one's last line (their values are already in the target). */
  addPart(part: { rows: number; maxLabel: number }): void {
    this.flushBlock();
    this.rows += part.rows;
    if (part.maxLabel > this.maxLabel) this.maxLabel = part.maxLabel;
  }

  /** The shape once every byte was fed, or a DatasetError for a file without header or rows. */
  finish(): CsvShape {
    this.flushBlock();
    if (!this.names) throw new DatasetError(`${this.file}: the file is empty; expected a header row`, this.file);
    if (this.rows === 0) throw new DatasetError(`${this.file}: no data rows after the header`, this.file);
    return { names: this.names, labelIndex: this.labelIndex, rows: this.rows, maxLabel: this.maxLabel };
  }

  private header(bytes: Uint8Array, from: number, to: number): void {
    let text = new TextDecoder().decode(bytes.subarray(from, to));
    if (this.line === 1) text = text.replace(/^\uFEFF/, '');
    if (text.trim() === '') return;
    const names = text.split(',').map((s) => s.trim().replace(/^"(.*)"$/, '$1'));
    if (names.length < 2) this.fail('expected a header with at least one feature and a label');
    const labelIndex = this.label === undefined ? names.length - 1 : names.indexOf(this.label);
    if (labelIndex < 0) this.fail(`no column named "${this.label}" (columns: ${names.join(', ')})`);
    this.useHeader(names, labelIndex);
  }

  private useHeader(names: string[], labelIndex: number): void {
    this.names = names;
    this.labelIndex = labelIndex;
    this.target = this.makeTarget?.(names.length - 1, names, labelIndex);
    if (this.target) {
      this.blockSize = Math.max(1, Math.min(BLOCK, Math.floor(BLOCK_BYTES / 8 / (names.length - 1))));
      this.block = new Float64Array(this.blockSize * (names.length - 1));
    }
  }

  /** Writes the block's rows to X, feature by feature. */
  private flushBlock(): void {
    const target = this.target;
    const rows = this.blockRows;
    if (!target || rows === 0) return;
    const features = this.names!.length - 1;
    const { X, stride } = target;
    const block = this.block;
    const first = this.rowBase + this.rows - rows;
    // Tiled: TILE features at a time, so the block is read a few cache lines per row (not one line per value, a
    // row's width apart) while X is written in TILE sequential streams. One feature at a time spent more time here
    // than in parsing the numbers on a 784-column file.
    for (let f0 = 0; f0 < features; f0 += TILE) {
      const f1 = Math.min(features, f0 + TILE);
      for (let r = 0; r < rows; r++) {
        const from = r * features;
        for (let f = f0; f < f1; f++) X[f * stride + first + r] = block[from + f]!;
      }
    }
    this.blockRows = 0;
  }

  private row(bytes: Uint8Array, from: number, to: number): void {
    const names = this.names!;
    const columns = names.length;
    const labelIndex = this.labelIndex;
    const target = this.target;
    const row = this.rows;
    const block = this.block;
    const blockAt = this.blockRows * (columns - 1);
    let cellStart = from;
    let column = 0;
    let feature = 0;
    for (;;) {
      // The number is parsed as the cell's end is searched for: one pass over the bytes.
      const value = scanNumber(bytes, cellStart, to);
      let cellEnd = scanned.end;
      if (value !== value || (cellEnd < to && bytes[cellEnd] !== COMMA)) {
        while (cellEnd < to && bytes[cellEnd] !== COMMA) cellEnd++;
        if (column === 0 && cellEnd === to && isBlank(bytes, from, to)) return;
        if (column >= columns) this.fail(`expected ${columns} columns, found ${countColumns(bytes, from, to)}`);
        this.badCell(bytes, from, cellStart, cellEnd, names[column]!);
      }
      if (column >= columns) this.fail(`expected ${columns} columns, found ${countColumns(bytes, from, to)}`);
      if (column === labelIndex) {
        if (!Number.isInteger(value) || value < 0) {
          this.fail(`label "${text(bytes, cellStart, cellEnd)}" must be an integer class ≥ 0`, cellStart - from + 1);
        }
        if (value > this.maxLabel) this.maxLabel = value;
        if (target) target.Y[this.rowBase + row] = value;
      } else {
        if (target) block[blockAt + feature] = value;
        feature++;
      }
      column++;
      if (cellEnd === to) break;
      cellStart = cellEnd + 1;
    }
    if (column !== columns) this.fail(`expected ${columns} columns, found ${column}`);
    this.rows++;
    if (target && ++this.blockRows === this.blockSize) this.flushBlock();
  }

  private badCell(bytes: Uint8Array, lineStart: number, from: number, to: number, name: string): never {
    let lead = from;
    while (lead < to && (bytes[lead] === 0x20 || bytes[lead] === 0x09)) lead++;
    this.fail(`column "${name}": ${cellProblem(text(bytes, from, to))}`, lead - lineStart + 1);
  }

  private fail(message: string, column?: number): never {
    const where = column === undefined ? `${this.line}` : `${this.line}:${column}`;
    throw new DatasetError(`${this.file}:${where}: ${message}`, this.file, this.line, column);
  }
}

function isBlank(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] !== 0x20 && bytes[i] !== 0x09) return false;
  return true;
}

function countColumns(bytes: Uint8Array, from: number, to: number): number {
  let n = 1;
  for (let i = from; i < to; i++) if (bytes[i] === COMMA) n++;
  return n;
}

function text(bytes: Uint8Array, from: number, to: number): string {
  return new TextDecoder().decode(bytes.subarray(from, to)).trim();
}
