import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveFeed } from '../../src/extension/liveFeed';
import { toWebviewMessage, type ChartRun, type ToWebview } from '../../src/protocol/webview';

/** A live run as the editor's panel holds it: its arrays are the runner's, which progress fills in place. */
function liveRun(testEvery: number): ChartRun {
  return {
    id: 'r',
    name: 'r',
    status: 'running',
    config: {},
    costs: [],
    testCosts: [],
    testEvery,
    epochs: 200,
    trainAccuracy: null,
    testAccuracy: null,
    durationMs: 0,
  };
}

/** What the webview's state holds after these messages (through its guard, as JSON). */
function received(messages: ToWebview[]): { costs: number[]; testCosts: number[] } {
  const costs: number[] = [];
  const testCosts: number[] = [];
  for (const raw of messages) {
    const m = toWebviewMessage(JSON.parse(JSON.stringify(raw)));
    if (m.type !== 'progress') continue;
    m.costs.forEach((c, i) => (costs[m.firstIndex + i] = c));
    m.testCosts?.forEach((c, i) => (testCosts[(m.firstTestIndex ?? m.firstIndex) + i] = c));
  }
  return { costs, testCosts };
}

for (const testEvery of [1, 5]) {
  test(`live test costs reach the panel with costEvery ${testEvery}, each sent once, at their index`, () => {
    const run = liveRun(testEvery);
    const feed = new LiveFeed();
    const sent: ToWebview[] = [];
    // One point per bucket of testEvery epochs, its test cost taken at the bucket's start: the runner appends both.
    for (let chunk = 0; chunk < 4; chunk++) {
      for (let k = 0; k < 3; k++) {
        const point = run.costs.length;
        run.costs.push(1 / (point + 1));
        run.testCosts!.push(2 / (point + 1));
      }
      sent.push(...feed.take([run], new Set()));
    }
    assert.equal(sent.length, 4, 'one message per flush with new costs');
    assert.deepEqual(feed.take([run], new Set()), [], 'nothing new, nothing sent');
    assert.deepEqual(received(sent), { costs: run.costs, testCosts: run.testCosts });
  });
}

test('a state post counts as sent: the next flush sends only what came after it', () => {
  const run = liveRun(5);
  run.costs.push(1, 2);
  run.testCosts!.push(3, 4);
  const feed = new LiveFeed();
  feed.sentAll([run]);
  run.costs.push(5);
  run.testCosts!.push(6);
  const [message, ...rest] = feed.take([run], new Set());
  assert.deepEqual(rest, []);
  assert.deepEqual(message, {
    type: 'progress',
    runId: 'r',
    firstIndex: 2,
    costs: [5],
    firstTestIndex: 2,
    testCosts: [6],
  });
});
