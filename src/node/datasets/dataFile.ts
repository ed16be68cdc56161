/**
 * Reading a data file safely (Node built-ins: fs). Only regular files are read: a device (/dev/zero), a pipe, a
 * socket or a folder is refused before a byte is read, and so is a file over the size cap. The file is opened
 * non-blocking (opening a pipe cannot hang) and checked on the open descriptor (so it cannot be swapped after the
 * check), then read in chunks and never past the cap, even if it grows meanwhile. In an untrusted workspace the
 * caller passes the workspace folders as `roots`, and a file outside them is not read at all.
 *
 * The sync readers serve the CLI and the workers; `scanCsvFile` serves the editor's processes: it awaits each chunk,
 * so the language server and the extension host keep answering while a large file is checked.
 */
import { closeSync, constants, fstatSync, openSync, realpathSync, statSync, type Stats } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { DataAccess } from '../../core/datasets/access';
import { availableParallelism } from 'node:os';
import { CsvParser, type CsvShape, type CsvTarget } from '../../core/datasets/csvParse';
import { DatasetError } from '../../core/datasets/errors';
import { DATA_MAX_SETTING, DEFAULT_DATA_MAX_MB, formatMb } from '../../core/limits';
import { CHUNK, grewMessage, readChunks } from './chunks';
import { CONTROL_BYTES, type CsvPartJob, parsePart, type PartHelper, type PartWaits, startPart } from './csvPart';

export function maxBytesOf(access: DataAccess): number {
  return access.maxBytes ?? DEFAULT_DATA_MAX_MB * 2 ** 20;
}

function kindOf(stat: Stats): string | undefined {
  if (stat.isFile()) return undefined;
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** Refuses what must not be read, from the open descriptor's stat. */
function checkStat(stat: Stats, shown: string, access: DataAccess): void {
  const kind = kindOf(stat);
  if (kind)
    throw new DatasetError(`${shown}: this is ${kind}, not a file; NN Lab reads data only from regular files`, shown);
  const cap = maxBytesOf(access);
  if (stat.size > cap) {
    throw new DatasetError(
      `${shown}: the file is ${formatMb(stat.size)}, over the ${formatMb(cap)} NN Lab reads (change it with ${DATA_MAX_SETTING})`,
      shown,
    );
  }
}

/**
 * What a stat of the path alone refuses (a device, pipe, socket or folder, or a file over the cap), without opening
 * it: stat never blocks, so the editor's processes can say it in the first analysis. Undefined when only reading tells.
 */
export function refusalByStat(path: string, baseDir: string, access: DataAccess = {}): DatasetError | undefined {
  const file = resolve(baseDir, path);
  // Outside an untrusted workspace's folders the background check says so; stat says nothing about such a path.
  if (access.roots && !inside(file, access.roots)) return undefined;
  let stat: Stats;
  try {
    stat = statSync(file);
  } catch {
    return undefined;
  }
  try {
    checkStat(stat, path, access);
    return undefined;
  } catch (e) {
    return e as DatasetError;
  }
}

function outsideMessage(shown: string): string {
  return `${shown}: this file is outside the workspace folders, and this workspace is not trusted; NN Lab reads data only inside them until you trust the workspace`;
}

function inside(file: string, roots: readonly string[]): boolean {
  return roots.some((root) => {
    const rel = relative(root, file);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  });
}

function readError(shown: string, e: unknown): DatasetError {
  if (e instanceof DatasetError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  return new DatasetError(`${shown}: cannot read the file (${code ?? String(e)})`, shown);
}

/** Opens `path` (relative to baseDir) for reading after every check, or throws a DatasetError naming `path`. */
function openChecked(path: string, baseDir: string, access: DataAccess): number {
  const file = resolve(baseDir, path);
  try {
    // Symbolic links count where they point: a link inside the workspace to a file outside it is outside.
    if (
      access.roots &&
      !inside(
        realpathSync(file),
        access.roots.map((r) => safeRealpath(r)),
      )
    )
      throw new DatasetError(outsideMessage(path), path);
    const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      checkStat(fstatSync(fd), path, access);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    return fd;
  } catch (e) {
    throw readError(path, e);
  }
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** Where a file splits between two threads: the byte after a newline, and the lines before it. */
interface Split {
  at: number;
  lines: number;
}

/**
 * Counts the lines of the file (an upper bound on its rows), in one pass that holds one chunk, and notes the first
 * line boundary at or past byte `half` (where a second thread may start).
 */
function countLines(fd: number, shown: string, cap: number, half = Infinity): { lines: number; split?: Split } {
  let lines = 1;
  let seen = 0;
  let split: Split | undefined;
  readChunks(fd, shown, cap, (bytes, final) => {
    for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) {
      lines++;
      if (!split && seen + i >= half) split = { at: seen + i + 1, lines: lines - 1 };
    }
    seen += bytes.length;
    return final ? 0 : bytes.length;
  });
  // A split at the very end leaves the helper nothing to do.
  return split && split.at < seen ? { lines, split } : { lines };
}

function parse(fd: number, path: string, cap: number, parser: CsvParser): CsvShape {
  readChunks(fd, path, cap, (bytes, final) => parser.feed(bytes, 0, bytes.length, final));
  return parser.finish();
}

/** Reads and checks the whole file without keeping its values: what validation needs (header, rows, labels). */
export function scanCsvSync(
  path: string,
  baseDir: string,
  label: string | undefined,
  access: DataAccess = {},
): CsvShape {
  const fd = openChecked(path, baseDir, access);
  try {
    return parse(fd, path, maxBytesOf(access), new CsvParser(path, label));
  } catch (e) {
    throw readError(path, e);
  } finally {
    closeSync(fd);
  }
}

/**
 * From this size on, a second thread parses the file's later part. Starting the helper (an isolate and its bundle)
 * took 120-150 ms on the shared 2-core machine; parsing runs at about 100 MB/s, so a 16 MB file's helper share
 * (6.4 MB) is worth about 65 ms there and the caller's (9.6 MB, about 95 ms) is what the helper has to start in
 * (else the caller parses it all, having lost nothing but the start-up's memory). Smaller files keep one thread.
 */
export const TWO_THREADS_FROM = 16 * 2 ** 20;

/**
 * The share of a two-thread load's bytes the calling thread parses. More than half: the helper starts tens of
 * milliseconds later, and should finish first, so that its thread (about 10 MiB of isolate, plus its row block) has
 * ended before the last of X is written. At an even split the helper often ended last, and the bench's 120 MiB
 * data set peaked at 1.56× its size; at this share the median is 1.47× (the bound is 1.5×; a helper slowed
 * by a busy machine can still end last, 1.51× once in 7 runs), for a best case of about 1.7× rather than 2×.
 */
const OWN_SHARE = 0.6;

/** How readCsvSync may use a second thread (tests force it on small files, or point it at a failing helper). */
export interface CsvThreads {
  /** Files of at least this many bytes use two threads (TWO_THREADS_FROM; Infinity: never). */
  from?: number;
  /** The helper's bundle (csvPart's partScript()). */
  script?: string;
  /** How long this thread, done with its share, waits for the helper to start or to go on (csvPart's PartWaits). */
  waits?: PartWaits;
}

/**
 * Reads the file into the course layout: X features × m (column-major by sample), Y 1 × m. Two passes over the
 * file: the first counts lines so the arrays are allocated once at their final size, and the second parses
 * straight into them; the process holds the data plus one chunk (two, and a helper thread, for a large file).
 *
 * A file of TWO_THREADS_FROM bytes or more is parsed on two threads (csvPart.ts): this one up to the first line
 * boundary past OWN_SHARE of it (found by the counting pass, with the line count there), a helper the rest, into the
 * same shared arrays. The helper's rows start at the slot of its first line (rows before it ≤ lines before it),
 * and the gap is closed at the end like the gaps blank lines leave. `helped` says whether a helper did its part.
 */
export function readCsvSync(
  path: string,
  baseDir: string,
  label: string | undefined,
  access: DataAccess = {},
  onRows?: (rows: number) => void,
  reportEvery = 1000,
  threads: CsvThreads = {},
): { shape: CsvShape; X: Float64Array; Y: Float64Array; helped: boolean } {
  const fd = openChecked(path, baseDir, access);
  let helper: PartHelper | undefined;
  try {
    const cap = maxBytesOf(access);
    const size = fstatSync(fd).size;
    const twoThreads = size >= (threads.from ?? TWO_THREADS_FROM) && availableParallelism() > 1;
    const { lines: capacity, split } = countLines(fd, path, cap, twoThreads ? size * OWN_SHARE : Infinity);
    let target: CsvTarget | undefined;
    let job: CsvPartJob | undefined;
    let firstHalf = true;
    const parser = new CsvParser(path, label, (features, names, labelIndex) => {
      if (!split || !firstHalf) {
        target = { X: new Float64Array(features * capacity), Y: new Float64Array(capacity), stride: capacity };
        return target;
      }
      // The header is in the first half: the helper can start now, while this thread parses the rest of its half.
      target = {
        X: new Float64Array(new SharedArrayBuffer(8 * features * capacity)),
        Y: new Float64Array(new SharedArrayBuffer(8 * capacity)),
        stride: capacity,
      };
      job = {
        fd,
        shown: path,
        cap,
        from: split.at,
        // The header is one of the lines before the split, so this half's rows fit below slot lines − 1.
        start: { names, labelIndex, line: split.lines, row: split.lines - 1 },
        target,
        control: new SharedArrayBuffer(CONTROL_BYTES),
      };
      helper = startPart(job, threads.script, threads.waits);
      return target;
    });
    let reported = 0;
    // Rows read so far, as a long load goes (at chunk ends, at most every `reportEvery` rows; both threads' rows).
    const progress = (rows: number): void => {
      if (onRows && rows - reported >= reportEvery) onRows((reported = rows - (rows % reportEvery)));
    };
    const consume = (bytes: Uint8Array, final: boolean): number => {
      const rest = parser.feed(bytes, 0, bytes.length, final);
      progress(parser.rowCount + (helper?.rows() ?? 0));
      return rest;
    };
    readChunks(fd, path, cap, consume, 0, split?.at);
    firstHalf = false;
    const pieces: Piece[] = [];
    let helped = false;
    if (split && job) {
      const mine = parser.rowCount;
      let part = helper?.result((rows) => progress(mine + rows));
      helped = part !== undefined;
      // The helper failed or stalled: stop it, and parse its part here, into the same slots (and with the same
      // errors) as it would have. A helper still running at worst writes the same values to the same slots.
      helper?.stop();
      part ??= parsePart(job, (rows) => progress(mine + rows));
      pieces.push({ from: 0, rows: mine }, { from: job.start.row, rows: part.rows });
      parser.addPart(part);
    } else if (split) {
      // No header before the split: this thread reads the rest too.
      readChunks(fd, path, cap, consume, split.at);
    }
    const shape = parser.finish();
    const { X, Y } = target!;
    const features = shape.names.length - 1;
    const m = shape.rows;
    if (pieces.length === 0) pieces.push({ from: 0, rows: m });
    closeGaps(X, Y, features, capacity, pieces);
    return { shape, X: X.subarray(0, features * m), Y: Y.subarray(0, m), helped };
  } catch (e) {
    throw readError(path, e);
  } finally {
    helper?.stop();
    closeSync(fd);
  }
}

/** Rows parsed into consecutive slots from `from`. */
interface Piece {
  from: number;
  rows: number;
}

/**
 * Moves each feature's pieces of rows (in file order, each at or past where it belongs) next to each other, and the
 * features next to each other: blank lines, the header and a second thread's part leave gaps. In place, moving
 * down, so nothing is read after it is overwritten.
 */
function closeGaps(X: Float64Array, Y: Float64Array, features: number, capacity: number, pieces: Piece[]): void {
  const m = pieces.reduce((sum, p) => sum + p.rows, 0);
  for (let f = 0; f < features; f++) {
    let at = f * m;
    for (const p of pieces) {
      X.copyWithin(at, f * capacity + p.from, f * capacity + p.from + p.rows);
      at += p.rows;
    }
  }
  let at = 0;
  for (const p of pieces) {
    Y.copyWithin(at, p.from, p.from + p.rows);
    at += p.rows;
  }
}

/**
 * The editor's check of a CSV file: like scanCsvSync, but every chunk is awaited, so the caller's thread keeps
 * serving requests while a large file is read.
 */
export async function scanCsvFile(
  path: string,
  baseDir: string,
  label: string | undefined,
  access: DataAccess = {},
): Promise<CsvShape> {
  const file = resolve(baseDir, path);
  const cap = maxBytesOf(access);
  try {
    if (access.roots) {
      const roots = await Promise.all(access.roots.map((r) => realpath(r).catch(() => resolve(r))));
      if (!inside(await realpath(file), roots)) throw new DatasetError(outsideMessage(path), path);
    }
    const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      checkStat(await handle.stat(), path, access);
      const parser = new CsvParser(path, label);
      let buffer = Buffer.allocUnsafe(CHUNK);
      let filled = 0;
      let total = 0;
      for (;;) {
        if (filled === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
        total += bytesRead;
        if (total > cap) throw new DatasetError(grewMessage(path, cap), path);
        const end = filled + bytesRead;
        const rest = parser.feed(buffer.subarray(0, end), 0, end, bytesRead === 0);
        if (bytesRead === 0) return parser.finish();
        buffer.copyWithin(0, rest, end);
        filled = end - rest;
      }
    } finally {
      await handle.close();
    }
  } catch (e) {
    throw readError(path, e);
  }
}
