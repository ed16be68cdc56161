/**
 * A large CSV file's load on two threads (Node built-ins: fs, worker_threads). The calling thread parses the file up
 * to a line boundary near its middle; a helper worker (dist/csv-part-worker.js) parses the rest at the same time,
 * into the same X and Y (backed by SharedArrayBuffers, so the data is held once), from row slot `start.row` on.
 *
 * The caller waits for the helper synchronously (the loaders are synchronous), watching a shared control block: the
 * helper's state, its rows so far (for progress) and a heartbeat. Whatever goes wrong with the helper (it cannot
 * start or has not started by the time the caller is done with its own share, a cell is bad, it crashed, ran out of
 * its heap or stopped beating), the caller parses the part itself with the same code into the same slots: the
 * result, and any error's message and line, are those of one thread.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CsvParser, type CsvPartStart, type CsvTarget } from '../../core/datasets/csvParse';
import { workerResourceLimits } from '../../core/limits';
import { readChunks } from './chunks';

/** The part of a file one parser reads: bytes from `from` to the end, after the lines and header of `start`. */
export interface CsvPartJob {
  /** Descriptor of the file, already opened and checked by the caller (threads share it; reads are positioned). */
  fd: number;
  shown: string;
  cap: number;
  from: number;
  start: CsvPartStart;
  /** SharedArrayBuffer-backed, so the helper writes the caller's arrays. */
  target: CsvTarget;
  /** The control block (controlBytes), shared with the helper. */
  control: SharedArrayBuffer;
}

export interface CsvPartResult {
  rows: number;
  maxLabel: number;
}

/** Int32 slots of the control block. */
const STATE = 0;
const ROWS = 1;
const BEAT = 2;
const ABORT = 3;
/** Float64 slots, after the Int32 ones. */
const RESULT_ROWS = 2;
const RESULT_MAX_LABEL = 3;
export const CONTROL_BYTES = 32;

// State 0: the helper has not started yet (the block starts zeroed).
const RUNNING = 1;
const DONE = 2;
const FAILED = 3;

/**
 * The helper's heap: it holds one chunk's view and its parser (the read buffer and the row block live outside the
 * heap); a bad cell's message is the largest thing it makes. Generous for that, small beside the data.
 */
const PART_HEAP_MB = 64;

/** How long a running helper may go without finishing a chunk before the caller parses its part. */
export const DEFAULT_PATIENCE_MS = 2000;

/** How long the caller waits, once done with its own share, for a helper still starting up. */
export interface PartWaits {
  /** For a helper that has not started (default 0: its start-up took longer than the caller's share; go alone). */
  bootMs?: number;
  /** For a running helper that stopped beating (default DEFAULT_PATIENCE_MS). */
  stallMs?: number;
}

/** dist/csv-part-worker.js, bundled beside dist/worker.js and dist/cli.js. */
export function partScript(): string {
  return join(__dirname, 'csv-part-worker.js');
}

/**
 * Parses the job's part into its target; `beat` after every chunk (rows so far), and stops with an error when
 * `aborted` says so. Errors are those of a one-thread parse: lines are counted from the file's start.
 */
export function parsePart(job: CsvPartJob, beat?: (rows: number) => void, aborted?: () => boolean): CsvPartResult {
  const parser = new CsvParser(job.shown, undefined, () => job.target, job.start);
  readChunks(
    job.fd,
    job.shown,
    job.cap,
    (bytes, final) => {
      if (aborted?.()) throw new Error('the load no longer needs this part');
      const rest = parser.feed(bytes, 0, bytes.length, final);
      beat?.(parser.rowCount);
      return rest;
    },
    job.from,
  );
  return parser.finishPart();
}

/** The helper's side (dist/csv-part-worker.js): parses the part and says how it went in the control block. */
export function servePart(job: CsvPartJob): void {
  const ints = new Int32Array(job.control);
  const floats = new Float64Array(job.control);
  Atomics.store(ints, STATE, RUNNING);
  let state = FAILED;
  try {
    const result = parsePart(
      job,
      (rows) => {
        Atomics.store(ints, ROWS, rows);
        Atomics.add(ints, BEAT, 1);
      },
      () => Atomics.load(ints, ABORT) === 1,
    );
    floats[RESULT_ROWS] = result.rows;
    floats[RESULT_MAX_LABEL] = result.maxLabel;
    state = DONE;
  } catch {
    // The caller parses the part again itself, which gives the error exactly as one thread would.
  }
  // The atomic store publishes the result and every value written to the target before it.
  Atomics.store(ints, STATE, state);
  Atomics.notify(ints, STATE);
}

/** A helper parsing a part, as its caller sees it. */
export interface PartHelper {
  /** The helper's rows so far. */
  rows(): number;
  /** Waits for the part; undefined when the helper failed or stalled (the caller then parses the part itself). */
  result(progress: (rows: number) => void): CsvPartResult | undefined;
  /** Tells the helper to stop and ends its thread (always call it, done or not). */
  stop(): void;
}

/** Starts a helper on the job, or undefined when none can start (the caller parses the part itself). */
export function startPart(job: CsvPartJob, script = partScript(), waits: PartWaits = {}): PartHelper | undefined {
  if (!existsSync(script)) return undefined;
  let worker: Worker;
  try {
    worker = new Worker(script, { workerData: job, resourceLimits: workerResourceLimits(PART_HEAP_MB) });
  } catch {
    return undefined;
  }
  // A crash or an exhausted heap arrives here once the caller's thread is free again; the control block has already
  // told the caller (the helper stopped beating), which parsed the part itself. Never let it reach the process.
  worker.on('error', () => {});
  worker.unref();
  const ints = new Int32Array(job.control);
  const floats = new Float64Array(job.control);
  return {
    rows: () => Atomics.load(ints, ROWS),
    result(progress) {
      const bootMs = waits.bootMs ?? 0;
      const stallMs = waits.stallMs ?? DEFAULT_PATIENCE_MS;
      const slice = Math.max(1, Math.min(100, stallMs));
      let waited = 0;
      let beat = -1;
      let still = 0;
      for (;;) {
        const state = Atomics.load(ints, STATE);
        if (state === DONE) return { rows: floats[RESULT_ROWS]!, maxLabel: floats[RESULT_MAX_LABEL]! };
        if (state === FAILED) return undefined;
        if (state !== RUNNING) {
          if (waited >= bootMs) return undefined;
        } else {
          const now = Atomics.load(ints, BEAT);
          if (now !== beat) {
            beat = now;
            still = 0;
          } else if (still >= stallMs) {
            return undefined;
          }
        }
        progress(Atomics.load(ints, ROWS));
        Atomics.wait(ints, STATE, state, slice);
        waited += slice;
        still += slice;
      }
    },
    stop() {
      Atomics.store(ints, ABORT, 1);
      worker.terminate().catch(() => {});
    },
  };
}
