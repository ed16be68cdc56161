/**
 * Batches per-epoch costs into chunks so a worker posts at most `maxPerSecond` progress messages however fast it
 * trains: a 10,000-epoch run that takes a second must not flood the host's event loop with 10,000 messages.
 * Pure: the clock is passed in.
 */
export interface CostChunk {
  /** 1-based epoch of costs[0]. */
  firstEpoch: number;
  costs: Float64Array;
  /** Test costs that arrived with these epochs; the trainer records one only every `costEvery` epochs. */
  testCosts?: Float64Array;
  /** Index in the run's test costs of testCosts[0]. */
  firstTestIndex?: number;
}

export class CostChunker {
  private costs: number[] = [];
  private testCosts: number[] = [];
  private firstEpoch = 1;
  private testCount = 0;
  private lastFlush = -Infinity;
  private readonly intervalMs: number;

  constructor(maxPerSecond = 20) {
    this.intervalMs = 1000 / maxPerSecond;
  }

  /** Records one epoch's cost; returns a chunk when one is due at `now` (ms), otherwise undefined. */
  push(epoch: number, cost: number, testCost: number | undefined, now: number): CostChunk | undefined {
    if (this.costs.length === 0) this.firstEpoch = epoch;
    this.costs.push(cost);
    if (testCost !== undefined) this.testCosts.push(testCost);
    return now - this.lastFlush >= this.intervalMs ? this.take(now) : undefined;
  }

  /** Whatever is pending (at the end of a run), or undefined when nothing is. */
  take(now: number): CostChunk | undefined {
    if (this.costs.length === 0) return undefined;
    const chunk: CostChunk = { firstEpoch: this.firstEpoch, costs: Float64Array.from(this.costs) };
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
