/**
 * The progress bar `nnlab run` draws on stderr when stderr is a terminal: one line, redrawn in place at most
 * ten times a second, with one slot per running experiment. Off a terminal it draws nothing, so logs and
 * pipes stay clean.
 */
import type { CliIO } from './io';

const REDRAW_MS = 100;

export class ProgressBar {
  private readonly epochsDone: number[];
  private readonly running = new Map<number, string>();
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly io: CliIO,
    private readonly names: readonly string[],
    private readonly epochTotals: readonly number[],
  ) {
    this.epochsDone = epochTotals.map(() => 0);
  }

  get enabled(): boolean {
    return this.io.stderrIsTTY;
  }

  start(index: number): void {
    this.running.set(index, this.names[index]!);
    this.draw(true);
  }

  /** `epochs` finished of run `index` (1-based count). */
  epoch(index: number, epochs: number): void {
    this.epochsDone[index] = epochs;
    this.draw(false);
  }

  finish(index: number): void {
    this.epochsDone[index] = this.epochTotals[index]!;
    this.running.delete(index);
    this.draw(true);
  }

  /** Erase the bar before anything else is printed. */
  clear(): void {
    if (this.enabled && this.drawn) this.io.stderr('\r\x1b[2K');
    this.drawn = false;
  }

  private draw(force: boolean): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (!force && now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    const total = this.epochTotals.reduce((a, b) => a + b, 0);
    const done = this.epochsDone.reduce((a, b) => a + b, 0);
    const fraction = total ? done / total : 1;
    const width = 24;
    const filled = Math.round(fraction * width);
    const finished = this.epochsDone.filter((d, i) => d >= this.epochTotals[i]! && !this.running.has(i)).length;
    const names = [...this.running.values()].join(', ');
    let text = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${finished}/${this.names.length} done${names ? `  running: ${names}` : ''}`;
    if (text.length > this.io.columns - 1) text = `${text.slice(0, Math.max(10, this.io.columns - 2))}…`;
    this.io.stderr(`\r\x1b[2K${text}`);
    this.drawn = true;
  }
}
