/**
 * Reading an open file in chunks (Node built-ins: fs), never past the size cap even if the file grows meanwhile.
 * Shared by the one-thread reader (dataFile.ts) and the parts a large file's load splits into (csvPart.ts).
 */
import { readSync } from 'node:fs';
import { DatasetError } from '../../core/datasets/errors';
import { DATA_MAX_SETTING, formatMb } from '../../core/limits';

/** Bytes per read: big enough that the per-call cost vanishes, small enough to parse in about a millisecond. */
export const CHUNK = 256 * 1024;

export function grewMessage(shown: string, cap: number): string {
  return `${shown}: the file grew past the ${formatMb(cap)} NN Lab reads while it was read (change it with ${DATA_MAX_SETTING})`;
}

/**
 * Calls `consume` with successive views of the file's bytes [from, to), each beginning with the unfinished tail of
 * the previous one (consume returns where that tail starts); `final` on the last, empty read.
 */
export function readChunks(
  fd: number,
  shown: string,
  cap: number,
  consume: (bytes: Uint8Array, final: boolean) => number,
  from = 0,
  to = Infinity,
): void {
  let buffer = Buffer.allocUnsafe(CHUNK);
  let filled = 0;
  let total = from;
  for (;;) {
    // A line longer than the buffer: grow it (the cap bounds it).
    if (filled === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
    // Positioned reads: each pass starts where it should whatever an earlier pass (or thread) left the offset at.
    const n = readSync(fd, buffer, filled, Math.min(buffer.length - filled, to - total), total);
    total += n;
    if (total > cap) throw new DatasetError(grewMessage(shown, cap), shown);
    const end = filled + n;
    const rest = consume(buffer.subarray(0, end), n === 0);
    if (n === 0) return;
    buffer.copyWithin(0, rest, end);
    filled = end - rest;
  }
}
