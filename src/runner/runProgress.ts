/**
 * Where a run is, as a person waiting for it wants to read it (Keras' and tqdm's habits): loading its data (rows
 * read), or training (epoch 57/200, the latest cost, time elapsed and an ETA). The CLI's progress bar and the
 * editor's notification and status-bar item show the same text. Pure: the clock is passed in.
 *
 * The ETA extrapolates the training time so far over the fraction of batches done (partial epochs count), so it
 * leaves loading out, as it should: loading is over once training starts. It is shown only once there is something
 * to extrapolate from (MIN_ETA_BASIS_MS of training), since the first batches include the kernels' compilation.
 */
import { formatNumber } from './format';

export const MIN_ETA_BASIS_MS = 1000;

export class RunProgress {
  private startedAt: number | undefined;
  private trainingAt: number | undefined;
  private rows: number | undefined;
  /** Epochs finished. */
  epoch = 0;
  /** Of the epoch under way: batches done over batches. */
  private partial = 0;
  cost: number | undefined;

  constructor(readonly epochs: number) {}

  /** The run left the queue. */
  start(now: number): void {
    this.startedAt ??= now;
  }

  /** Rows of data read so far. */
  loading(rows: number, now: number): void {
    this.start(now);
    this.rows = rows;
  }

  /** Epoch `epoch` (from 0) ended; `cost` the latest recorded cost, if known. */
  epochEnded(epoch: number, cost: number | undefined, now: number): void {
    this.training(now);
    if (epoch + 1 >= this.epoch) {
      this.epoch = epoch + 1;
      this.partial = 0;
    }
    if (cost !== undefined) this.cost = cost;
  }

  /** Inside epoch `epoch` (from 0): `done` of `batches` batches. */
  batch(epoch: number, done: number, batches: number, now: number): void {
    this.training(now);
    if (epoch < this.epoch) return;
    this.epoch = epoch;
    this.partial = batches > 0 && done < batches ? done / batches : 0;
    if (done >= batches) this.epoch = epoch + 1;
  }

  get started(): boolean {
    return this.startedAt !== undefined;
  }

  /** Fraction of the run's training done, partial epochs included. */
  get fraction(): number {
    return this.epochs > 0 ? Math.min(1, (this.epoch + this.partial) / this.epochs) : 1;
  }

  elapsedMs(now: number): number {
    return this.startedAt === undefined ? 0 : now - this.startedAt;
  }

  /** Time left, from the training so far; undefined until there is enough of it to tell. */
  etaMs(now: number): number | undefined {
    return eta(this.trainingAt === undefined ? 0 : now - this.trainingAt, this.fraction);
  }

  /** `loading data · 12000 rows read · 0:04` or `epoch 57/200 · cost 0.0123 · 0:12 elapsed · ETA 0:36`. */
  text(now: number): string {
    const elapsed = formatClock(this.elapsedMs(now));
    if (this.trainingAt === undefined) {
      return this.rows === undefined ? `starting · ${elapsed}` : `loading data · ${this.rows} rows read · ${elapsed}`;
    }
    const left = this.etaMs(now);
    return (
      `epoch ${this.epoch}/${this.epochs}` +
      (this.cost === undefined ? '' : ` · cost ${formatNumber(this.cost)}`) +
      ` · ${elapsed} elapsed` +
      (left === undefined ? '' : ` · ETA ${formatClock(left)}`)
    );
  }

  private training(now: number): void {
    this.start(now);
    this.trainingAt ??= now;
  }
}

/** Time left when `fraction` of the work took `spentMs`; undefined with too little to go on. */
export function eta(spentMs: number, fraction: number): number | undefined {
  if (fraction <= 0 || spentMs < MIN_ETA_BASIS_MS) return undefined;
  return (spentMs * (1 - fraction)) / fraction;
}

/** `0:07`, `12:34`, `1:02:03`, as tqdm prints durations. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}
