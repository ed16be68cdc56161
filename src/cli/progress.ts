/**
 * The progress bar `nnlab run` draws on stderr when stderr is a terminal: one line, redrawn in place at most
 * ten times a second. One run shows where it is as Keras and tqdm users expect (epoch 57/200, the latest cost,
 * elapsed time, ETA; `loading data · N rows read` before that); several show the runs done, elapsed time and an ETA
 * for them all, and the running ones by name with their epochs. Off a terminal it draws nothing, so logs and pipes
 * stay clean.
 */
import { RunProgress, eta, formatClock } from '../runner/runProgress';
import type { CliIO } from './io';

const REDRAW_MS = 100;

export class ProgressBar {
  private readonly runs: RunProgress[];
  private readonly running = new Set<number>();
  private readonly finished = new Set<number>();
  private firstStart: number | undefined;
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(
    private readonly io: CliIO,
    private readonly names: readonly string[],
    private readonly epochTotals: readonly number[],
    private readonly now: () => number = () => performance.now(),
  ) {
    this.runs = epochTotals.map((n) => new RunProgress(n));
  }

  get enabled(): boolean {
    return this.io.stderrIsTTY;
  }

  start(index: number): void {
    const now = this.now();
    this.firstStart ??= now;
    this.runs[index]!.start(now);
    this.running.add(index);
    this.draw(true);
  }

  /** Epoch `epoch` (from 0) of run `index` ended; `cost` the latest recorded cost. */
  epoch(index: number, epoch: number, cost?: number): void {
    this.runs[index]!.epochEnded(epoch, cost, this.now());
    this.draw(false);
  }

  /** Loading (rows read) or inside an epoch (batches done). */
  status(index: number, status: { rows?: number; batch?: { epoch: number; done: number; batches: number } }): void {
    if (!this.enabled) return;
    const run = this.runs[index]!;
    const now = this.now();
    if (status.rows !== undefined) run.loading(status.rows, now);
    if (status.batch) run.batch(status.batch.epoch, status.batch.done, status.batch.batches, now);
    this.draw(false);
  }

  finish(index: number): void {
    const run = this.runs[index]!;
    run.epochEnded(this.epochTotals[index]! - 1, undefined, this.now());
    this.running.delete(index);
    this.finished.add(index);
    this.draw(true);
  }

  /** Erase the bar before anything else is printed. */
  clear(): void {
    if (this.enabled && this.drawn) this.io.stderr('\r\x1b[2K');
    this.drawn = false;
  }

  private draw(force: boolean): void {
    if (!this.enabled) return;
    const now = this.now();
    if (!force && now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    const total = this.epochTotals.reduce((a, b) => a + b, 0);
    const done = this.runs.reduce((sum, r, i) => sum + r.fraction * this.epochTotals[i]!, 0);
    const fraction = total ? done / total : 1;
    const width = 24;
    const filled = Math.round(fraction * width);
    let text = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  `;
    if (this.names.length === 1) {
      text += `${this.runs[0]!.text(now)}  ${this.names[0]}`;
    } else {
      const elapsed = this.firstStart === undefined ? 0 : now - this.firstStart;
      const left = eta(elapsed, fraction);
      const names = [...this.running]
        .map((i) => `${this.names[i]} ${this.runs[i]!.epoch}/${this.epochTotals[i]}`)
        .join(', ');
      text +=
        `${this.finished.size}/${this.names.length} done · ${formatClock(elapsed)} elapsed` +
        (left === undefined ? '' : ` · ETA ${formatClock(left)}`) +
        (names ? `  running: ${names}` : '');
    }
    if (text.length > this.io.columns - 1) text = `${text.slice(0, Math.max(10, this.io.columns - 2))}…`;
    this.io.stderr(`\r\x1b[2K${text}`);
    this.drawn = true;
  }
}
