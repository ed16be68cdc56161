/**
 * Batches per-epoch costs into chunks so a worker posts at most `maxPerSecond` progress messages however fast it
 * trains: a 10,000-epoch run that takes a second must not flood the host's event loop with 10,000 messages.
 * Pure: the clock is passed in.
 */
import type { ProgressMessage } from '../protocol/worker';

/** A progress message's costs, as the chunker cuts them (the message adds the run id, the epoch count, a snapshot). */
export type CostChunk = Pick<ProgressMessage, 'firstIndex' | 'epoch' | 'costs' | 'testCosts' | 'firstTestIndex'>;

export class CostChunker {
  private costs: number[] = [];
  private testCosts: number[] = [];
  private count = 0;
  private epoch = -1;
  private testCount = 0;
  private lastFlush = -Infinity;
  private readonly intervalMs: number;

  constructor(maxPerSecond = 20) {
    this.intervalMs = 1000 / maxPerSecond;
  }

  /**
   * Records one point's cost, recorded at the end of epoch `epoch` (from 0); returns a chunk when one is due at `now` (ms), otherwise
   * undefined.
   */
  push(epoch: number, cost: number, testCost: number | undefined, now: number): CostChunk | undefined {
    this.epoch = epoch;
    this.costs.push(cost);
    if (testCost !== undefined) this.testCosts.push(testCost);
    return now - this.lastFlush >= this.intervalMs ? this.take(now) : undefined;
  }

  /** Whatever is pending (at the end of a run), or undefined when nothing is. */
  take(now: number): CostChunk | undefined {
    if (this.costs.length === 0) return undefined;
    const chunk: CostChunk = { firstIndex: this.count, epoch: this.epoch, costs: Float64Array.from(this.costs) };
    this.count += this.costs.length;
    if (this.testCosts.length > 0) {
      chunk.testCosts = Float64Array.from(this.testCosts);
      chunk.firstTestIndex = this.testCount;
      this.testCount += this.testCosts.length;
    }
    this.costs = [];
    this.testCosts = [];
    this.lastFlush = now;
    return chunk;
  }
}

/**
 * Which batches' positions are worth reporting: at most one every `intervalMs`, and none once the first epoch has
 * shown that epochs are short (under `intervalMs`), where the epochs' own progress is enough. Looking at the clock
 * after every batch cost ~9% of moons-Adam's CPU time; after the first epoch such a run pays one comparison per batch.
 * Pure: the clock is passed in.
 */
export class BatchReporter {
  private firstBatchAt: number | undefined;
  private off = false;
  private last = -Infinity;

  constructor(
    private readonly now: () => number,
    private readonly intervalMs = 100,
  ) {}

  /** After batch `done` of `batches` of epoch `epoch` (from 0): true when it should be reported. */
  batch(epoch: number, done: number, batches: number): boolean {
    if (this.off || done >= batches) return false;
    const t = this.now();
    if (epoch === 0 && done === 1) this.firstBatchAt = t;
    if (t - this.last < this.intervalMs) return false;
    this.last = t;
    return true;
  }

  /** Epoch `epoch` (from 0) ended. */
  epochEnded(epoch: number): void {
    if (epoch === 0 && this.firstBatchAt !== undefined && this.now() - this.firstBatchAt < this.intervalMs)
      this.off = true;
  }
}
