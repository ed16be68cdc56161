import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FifoQueue } from '../../src/runner/queue';
import { BatchReporter, CostChunker } from '../../src/runner/progress';
import {
  formatDuration,
  formatGradcheckTitle,
  formatNumber,
  formatProgress,
  formatRunResult,
  formatSweepResult,
  sparkline,
} from '../../src/runner/format';
import type { RunResult } from '../../src/core/types';
import type { GradcheckReportData } from '../../src/protocol/worker';
import { gradcheckView, partialResult, worstEntries } from '../../src/runner/results';
import { placeChunk } from '../../src/protocol/chunks';
import { backwardLine } from '../../src/runner/locate';
import { RunProgress, eta, formatClock } from '../../src/runner/runProgress';

test('FifoQueue keeps insertion order and removes by key', () => {
  const q = new FifoQueue<number, string>();
  for (let i = 1; i <= 5; i++) q.push(i, `job${i}`);
  assert.equal(q.remove(3), 'job3');
  assert.deepEqual(q.shift(), [1, 'job1']);
  q.push(6, 'job6');
  assert.deepEqual(q.keys(), [2, 4, 5, 6]);
  assert.equal(q.size, 4);
  assert.throws(() => q.push(2, 'again'), /duplicate/);
  while (q.shift());
  assert.equal(q.shift(), undefined);
});

test('CostChunker sends at most 20 chunks per second and loses no epoch', () => {
  const c = new CostChunker(20);
  const chunks = [];
  // 1000 epochs over 0.5 s of simulated time: at most 11 chunks (one at t=0, then every 50 ms), plus the tail.
  for (let e = 1; e <= 1000; e++) {
    const chunk = c.push(e - 1, 1 / e, e % 10 === 1 ? 2 / e : undefined, e * 0.5);
    if (chunk) chunks.push(chunk);
  }
  const tail = c.take(500);
  if (tail) chunks.push(tail);
  assert.ok(chunks.length <= 12, `${chunks.length} chunks`);
  const all = chunks.flatMap((ch) => [...ch.costs]);
  assert.equal(all.length, 1000);
  assert.equal(all[999], 1 / 1000);
  let next = 0;
  let nextTest = 0;
  for (const ch of chunks) {
    assert.equal(ch.firstIndex, next);
    next += ch.costs.length;
    assert.equal(ch.epoch, next - 1, 'one point per epoch: the (0-based) epoch of the last cost');
    if (ch.testCosts) {
      assert.equal(ch.firstTestIndex, nextTest);
      nextTest += ch.testCosts.length;
    }
  }
  assert.equal(nextTest, 100);
  assert.equal(c.take(600), undefined);
});

test('sparkline scales between min and max and downsamples to the width', () => {
  assert.equal(sparkline([3, 2, 1, 0], 4), '█▆▃▁');
  assert.equal(sparkline([1, 1, 1], 8), '▁▁▁');
  assert.equal(sparkline([], 8), '');
  const s = sparkline(
    Array.from({ length: 1000 }, (_, i) => 1 / (i + 1)),
    7,
  );
  assert.equal([...s].length, 7);
  assert.equal(s[0], '█');
  assert.equal(s[6], '▁');
  assert.equal(sparkline([1, 0.5, Infinity], 3), '█▁█');
});

test('numbers, durations', () => {
  assert.equal(formatNumber(0.12934), '0.129');
  assert.equal(formatNumber(1.2e-9), '1.2e-9');
  assert.equal(formatNumber(0.2850931568), '0.285');
  assert.equal(formatNumber(12.345), '12.3');
  assert.equal(formatDuration(2100), '2.1 s');
  assert.equal(formatDuration(42_400), '42 s');
  assert.equal(formatDuration(125_000), '2 min 5 s');
});

function result(over: Partial<RunResult>): RunResult {
  return {
    name: 'adam',
    status: 'ok',
    costs: [0.7, 0.5, 0.3, 0.2, 0.15, 0.14, 0.129],
    trainAccuracy: 0.94,
    testAccuracy: 0.92,
    parameters: {},
    durationMs: 2100,
    ...over,
  };
}

test('formatRunResult: ok, diverged, error, cancelled', () => {
  assert.equal(formatRunResult(result({})), '✓ train 94.0% · test 92.0% · cost 0.129 █▆▃▂▁▁▁ · 2.1 s');
  assert.equal(formatRunResult(result({ testAccuracy: null })), '✓ train 94.0% · cost 0.129 █▆▃▂▁▁▁ · 2.1 s');
  assert.equal(formatRunResult(result({ status: 'diverged', divergedAtEpoch: 36 })), '⚠ diverged at epoch 37');
  assert.equal(
    formatRunResult(result({ status: 'error', error: 'no such file: x.csv\nstack' })),
    '✗ error: no such file: x.csv',
  );
  assert.equal(formatRunResult(result({ status: 'cancelled' })), '⊘ cancelled at epoch 7');
  assert.equal(formatProgress(3, 10, [0.9, 0.5, 0.4]), '⏳ epoch 3/10 · cost 0.4 █▂▁');
});

test('formatGradcheckTitle names the failing tensors; worstEntries ranks entries over all tensors', () => {
  const tensor = (name: string, passed: boolean, errors: number[]) => ({
    name,
    shape: [1, errors.length] as [number, number],
    difference: 0,
    contribution: 0,
    passed,
    checked: errors.length,
    kinkCount: 0,
    nonFiniteCount: 0,
    entries: errors.map((relativeError, j) => ({
      index: [0, j] as [number, number],
      analytic: 1,
      numeric: 1 + relativeError,
      absoluteError: relativeError,
      relativeError,
      kink: false,
      nonFinite: false,
    })),
  });
  const report: GradcheckReportData = {
    name: 'n',
    difference: 0.2850931568,
    differenceWithoutKinks: 0.2850931568,
    passed: false,
    verdict: 'failed',
    message: '',
    epsilon: 1e-7,
    threshold: 2e-7,
    sampled: false,
    tensors: [
      tensor('W1', true, [1e-9]),
      tensor('b1', false, [0.5, 0.1]),
      tensor('W2', false, [0.9]),
      tensor('b2', true, [1e-10]),
    ],
  };
  assert.equal(formatGradcheckTitle(report), '∇ ✗ W2, b1 (0.285)');
  assert.equal(formatGradcheckTitle({ ...report, passed: true, difference: 1.23e-9 }), '∇ ✓ 1.2e-9');
  assert.deepEqual(
    worstEntries(report, 3).map((e) => `${e.param}[${e.index}]`),
    ['W2[0,0]', 'b1[0,0]', 'b1[0,1]'],
  );
  const view = gradcheckView(report);
  assert.deepEqual(
    view.parameters.map((t) => t.passed),
    [true, false, false, true],
  );
  assert.deepEqual(
    view.parameters[1]!.worst.map((e) => e.relativeError),
    [0.5, 0.1],
    'the CLI JSON rows, worst entries and all',
  );
  assert.equal(view.worst[0]!.relativeError, 0.9);
});

test('backwardLine finds the exported backward of a model module', () => {
  assert.equal(backwardLine('const x = 1;\nexport function backward(p, X, Y, cache) {\n}'), 1);
  assert.equal(backwardLine('function forward() {}\n\nexports.backward = function (p) {};'), 2);
  assert.equal(backwardLine('module.exports.backward = (p) => p;'), 0);
  assert.equal(
    backwardLine('// backward is below\nfunction backward(p) {}\nfunction x() {}\nmodule.exports = { backward };'),
    1,
  );
  assert.equal(backwardLine('function helperBackward() {}\nexport const backward = helperBackward;'), 1);
  assert.equal(backwardLine('export function forward() {}'), undefined);
});

test('placeChunk puts a chunk at its index; partialResult keeps the costs that arrived', () => {
  const costs: number[] = [];
  placeChunk(costs, 0, [3, 2]);
  placeChunk(costs, 2, new Float64Array([1.5]));
  assert.deepEqual(placeChunk(costs, 2, [1.5, 1.2]), { from: 3, to: 4 }, 'a repeated chunk does not duplicate points');
  assert.deepEqual(costs, [3, 2, 1.5, 1.2]);
  assert.deepEqual(placeChunk(costs, 6, [1]), { from: 6, to: 7 });
  assert.deepEqual(costs, [3, 2, 1.5, 1.2, NaN, NaN, 1], 'a lost chunk leaves NaN, later indices stay aligned');
  costs.length = 4;
  const r = partialResult({ name: 'long', costs, durationMs: 42 }, 'error', 'the worker crashed: boom');
  assert.equal(r.status, 'error');
  assert.equal(r.error, 'the worker crashed: boom');
  assert.equal(r.testCosts, undefined, 'no test data, no test costs');
  assert.deepEqual(
    partialResult({ name: 'early', costs: [], testCosts: [], durationMs: 0 }, 'cancelled').testCosts,
    [],
    'test data: test costs, even none yet',
  );
  assert.equal(formatRunResult(r), '✗ error: the worker crashed: boom');
  assert.equal(
    formatRunResult(partialResult({ name: 'long', costs, testCosts: [2], durationMs: 42 }, 'cancelled')),
    '⊘ cancelled at epoch 4',
  );
});

test('formatSweepResult names the best finished trial by final cost and counts the others', () => {
  const trial = (name: string, status: RunResult['status'], last: number, acc: number | null = 0.9): RunResult =>
    result({ name, status, costs: [1, last], trainAccuracy: acc, testAccuracy: null });
  assert.equal(
    formatSweepResult([
      trial('adam[lr=0.1]', 'ok', 0.3),
      trial('adam[lr=0.01]', 'ok', 0.12, 0.95),
      trial('adam[lr=1]', 'diverged', NaN, null),
      trial('adam[lr=0.5]', 'pruned', 0.01),
    ]),
    '✓ best adam[lr=0.01] · train 95.0% · cost 0.12 · 4 trials (1 pruned, 1 diverged)',
  );
  assert.equal(
    formatSweepResult([trial('a', 'error', 1), trial('b', 'cancelled', 1)]),
    '✗ no trial finished · 2 trials (1 error, 1 cancelled)',
  );
});

test('threadsPerRun: an explicit count wins; otherwise the cores are shared by the runs training at once', async () => {
  const { threadsPerRun } = await import('../../src/runner/threads');
  assert.equal(threadsPerRun(3, 2, 64, 2), 3, '--threads 3 is taken as asked');
  assert.equal(threadsPerRun(undefined, 1, 1, 2), 2, 'one run on 2 cores: both');
  assert.equal(threadsPerRun(undefined, 2, 64, 2), 1, 'a sweep with --jobs 2 on 2 cores: one thread per trial');
  assert.equal(threadsPerRun(undefined, 8, 2, 8), 4, 'two runs on 8 cores, whatever --jobs says: 4 each');
  assert.equal(threadsPerRun(undefined, 4, 64, 2), 1, 'never below 1');
});

test('RunProgress: starting, loading, epochs and partial epochs, ETA from training time only; clock format', () => {
  const p = new RunProgress(10);
  assert.equal(p.started, false);
  p.start(0);
  assert.equal(p.text(400), 'starting · 0:00');
  p.loading(3000, 1500);
  assert.equal(p.text(2000), 'loading data · 3000 rows read · 0:02');
  // Training starts at 5 s; 30 of 60 batches of the first epoch by 7 s: 1/20 of the run in 2 s, 38 s to go.
  p.batch(0, 30, 60, 5000);
  p.batch(0, 30, 60, 7000);
  assert.equal(p.fraction, 0.05);
  assert.equal(p.etaMs(7000), 38_000);
  assert.equal(p.text(7000), 'epoch 0/10 · 0:07 elapsed · ETA 0:38');
  p.epochEnded(0, 0.5, 8000);
  assert.equal(p.fraction, 0.1);
  assert.equal(p.text(9000), 'epoch 1/10 · cost 0.5 · 0:09 elapsed · ETA 0:36');
  // A late batch message of an epoch already finished does not move the run back.
  p.batch(0, 59, 60, 9000);
  assert.equal(p.epoch, 1);
  p.batch(1, 60, 60, 9500);
  assert.equal(p.epoch, 2);
  assert.equal(eta(999, 0.5), undefined, 'no ETA from less than a second');
  assert.equal(eta(5000, 0), undefined);
  assert.deepEqual([0, 7_400, 754_000, 3_723_000].map(formatClock), ['0:00', '0:07', '12:34', '1:02:03']);
});

test('BatchReporter: a slow epoch reports batches at most every 100 ms; after a fast first epoch, none', () => {
  let now = 0;
  const slow = new BatchReporter(() => now);
  const reported: number[] = [];
  for (let done = 1; done <= 20; done++) {
    now = done * 30;
    if (slow.batch(0, done, 20)) reported.push(done);
  }
  // The last batch is the epoch's end, which the epoch's own progress reports.
  assert.deepEqual(reported, [1, 5, 9, 13, 17]);
  slow.epochEnded(0);
  now += 200;
  assert.equal(slow.batch(1, 1, 20), true, 'epochs of 600 ms keep being reported');
  const fast = new BatchReporter(() => now);
  assert.equal(fast.batch(0, 1, 5), true);
  now += 20;
  fast.epochEnded(0);
  now += 1000;
  assert.equal(fast.batch(1, 1, 5), false, 'a 20 ms epoch needs no position within it');
  assert.equal(new BatchReporter(() => 0).batch(0, 1, 1), false, 'a one-batch epoch has no position within it');
});
