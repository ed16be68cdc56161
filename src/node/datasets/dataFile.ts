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
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { DataAccess } from '../../core/datasets/access';
import { CsvParser, type CsvShape, type CsvTarget } from '../../core/datasets/csvParse';
import { DatasetError } from '../../core/datasets/errors';
import { DATA_MAX_SETTING, DEFAULT_DATA_MAX_MB, formatMb } from '../../core/limits';

/** Bytes per read: big enough that the per-call cost vanishes, small enough to parse in about a millisecond. */
const CHUNK = 256 * 1024;

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

function grewMessage(shown: string, cap: number): string {
  return `${shown}: the file grew past the ${formatMb(cap)} NN Lab reads while it was read (change it with ${DATA_MAX_SETTING})`;
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

/**
 * Calls `consume` with successive views of the file from its start, each beginning with the unfinished tail of the
 * previous one (consume returns where that tail starts); `final` on the last, empty read.
 */
function readChunks(
  fd: number,
  shown: string,
  cap: number,
  consume: (bytes: Uint8Array, final: boolean) => number,
): void {
  let buffer = Buffer.allocUnsafe(CHUNK);
  let filled = 0;
  let total = 0;
  for (;;) {
    // A line longer than the buffer: grow it (the cap bounds it).
    if (filled === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
    // Positioned reads: each pass starts at byte 0 whatever an earlier pass left the offset at.
    const n = readSync(fd, buffer, filled, buffer.length - filled, total);
    total += n;
    if (total > cap) throw new DatasetError(grewMessage(shown, cap), shown);
    const end = filled + n;
    const rest = consume(buffer.subarray(0, end), n === 0);
    if (n === 0) return;
    buffer.copyWithin(0, rest, end);
    filled = end - rest;
  }
}

/** Counts the lines of the file (an upper bound on its rows), in one pass that holds one chunk. */
function countLines(fd: number, shown: string, cap: number): number {
  let lines = 1;
  readChunks(fd, shown, cap, (bytes, final) => {
    for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) lines++;
    return final ? 0 : bytes.length;
  });
  return lines;
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
 * Reads the file into the course layout: X features × m (column-major by sample), Y 1 × m. Two passes over the
 * file: the first counts lines so the arrays are allocated once at their final size, and the second parses
 * straight into them; the process holds the data plus one chunk.
 */
export function readCsvSync(
  path: string,
  baseDir: string,
  label: string | undefined,
  access: DataAccess = {},
  onRows?: (rows: number) => void,
  reportEvery = 1000,
): { shape: CsvShape; X: Float64Array; Y: Float64Array } {
  const fd = openChecked(path, baseDir, access);
  try {
    const cap = maxBytesOf(access);
    const capacity = countLines(fd, path, cap);
    let target: CsvTarget | undefined;
    const parser = new CsvParser(path, label, (features) => {
      target = { X: new Float64Array(features * capacity), Y: new Float64Array(capacity), stride: capacity };
      return target;
    });
    let reported = 0;
    readChunks(fd, path, cap, (bytes, final) => {
      const rest = parser.feed(bytes, 0, bytes.length, final);
      // Rows read so far, as a long load goes (at chunk ends, at most every `reportEvery` rows).
      if (onRows && parser.rowCount - reported >= reportEvery)
        onRows((reported = parser.rowCount - (parser.rowCount % reportEvery)));
      return rest;
    });
    const shape = parser.finish();
    const { X, Y } = target!;
    const features = shape.names.length - 1;
    const m = shape.rows;
    // Blank lines and the header left rows unused: close the gaps between features (in place, moving down).
    for (let f = 1; f < features; f++) X.copyWithin(f * m, f * capacity, f * capacity + m);
    return { shape, X: X.subarray(0, features * m), Y: Y.subarray(0, m) };
  } catch (e) {
    throw readError(path, e);
  } finally {
    closeSync(fd);
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
