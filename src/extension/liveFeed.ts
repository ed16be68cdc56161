/**
 * What the panel posts of its live runs: the costs and test costs each run gained since the last post, one progress
 * message per run. The runs' arrays are the runner's own (runner/training.ts fills them as progress arrives), so this
 * only remembers how far each was sent. Pure, no vscode: the panel calls it on its 100 ms timer.
 */
import type { ChartRun, ProgressMessage } from '../protocol/webview';

interface Sent {
  costs: number;
  testCosts: number;
}

export class LiveFeed {
  private readonly sent = new Map<string, Sent>();

  /** Everything these runs hold counts as sent (the whole state was posted). */
  sentAll(runs: readonly ChartRun[]): void {
    for (const run of runs) this.sent.set(run.id, sizes(run));
  }

  forget(): void {
    this.sent.clear();
  }

  /** A progress message for each live run with new costs; a run in `snapshotsDue` also sends its live snapshot. */
  take(runs: readonly ChartRun[], snapshotsDue: Set<string>): ProgressMessage[] {
    const messages: ProgressMessage[] = [];
    for (const run of runs) {
      const from = this.sent.get(run.id) ?? { costs: 0, testCosts: 0 };
      if (run.status !== 'running' || run.costs.length <= from.costs) continue;
      // Test costs have their own index (one per bucket of testEvery epochs, whatever costEvery is).
      const tests =
        run.testCosts && run.testCosts.length > from.testCosts
          ? { firstTestIndex: from.testCosts, testCosts: run.testCosts.slice(from.testCosts) }
          : {};
      const snapshot = snapshotsDue.delete(run.id) && run.liveSnapshot ? { snapshot: run.liveSnapshot } : {};
      messages.push({
        type: 'progress',
        runId: run.id,
        firstIndex: from.costs,
        costs: run.costs.slice(from.costs),
        ...tests,
        ...snapshot,
      });
      this.sent.set(run.id, sizes(run));
    }
    return messages;
  }
}

function sizes(run: ChartRun): Sent {
  return { costs: run.costs.length, testCosts: run.testCosts?.length ?? 0 };
}
