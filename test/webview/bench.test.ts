// Render-time benchmarks in Chromium: first draw of a 10⁴-point cost curve, three overlaid 10⁴-point curves and a
// 100 × 100 boundary. Each is drawn 6 times in one page: the first (cold: code not yet optimised) and the median of
// the other 5 are printed. "First draw" = vega-lite compile + vega parse + dataflow + canvas render of a new chart.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import type { ChartRun } from '../../src/protocol/webview';
import { startHarness, type Harness } from './harness';
import { curve, grid, run } from './fixtures';

/** The target for a first draw. */
const TARGET_MS = 150;
/** What fails the test: several times the target, because 7 engineers share these 2 cores while it runs. */
const FAIL_MS = 1000;

let harness: Harness;
let page: Page;

before(async () => {
  harness = await startHarness();
  page = await harness.open();
});

after(async () => harness?.close());

/** Main-thread CPU time of the page's renderer (Chromium's ThreadTime metric), in ms. */
async function threadTime(session: CDPSession): Promise<number> {
  const { metrics } = (await session.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  return metrics.find((m) => m.name === 'ThreadTime')!.value * 1000;
}

/**
 * Draws the chart 6 times; wall-clock time of each draw as the page measures it, plus the main thread's CPU time
 * per draw (averaged over all 6 draws), which other processes on the machine cannot inflate.
 */
async function drawTimes(chart: string, runs: ChartRun[], view: 'run' | 'compare'): Promise<{ wall: number[]; cpu: number }> {
  const session = await page.context().newCDPSession(page);
  await session.send('Performance.enable');
  const before = await threadTime(session);
  const wall = await page.evaluate(
    async ({ chart, runs, view }) => {
      const hooks = (window as unknown as { nnlab: { settled(): Promise<void>; firstDrawMs(n: string): number | undefined } }).nnlab;
      const times: number[] = [];
      for (let i = 0; i < 6; i++) {
        // A fresh copy each time: the panel keeps the arrays it is given.
        const data = { view, runs: JSON.parse(JSON.stringify(runs)) };
        window.dispatchEvent(new MessageEvent('message', { data: { type: 'state', data } }));
        await hooks.settled();
        times.push(hooks.firstDrawMs(chart) ?? Number.NaN);
      }
      return times;
    },
    { chart, runs: JSON.parse(JSON.stringify(runs)) as ChartRun[], view },
  );
  const cpu = ((await threadTime(session)) - before) / wall.length;
  await session.detach();
  return { wall, cpu };
}

function report(label: string, { wall, cpu }: { wall: number[]; cpu: number }): number {
  const warm = wall.slice(1).sort((a, b) => a - b);
  const median = warm[Math.floor(warm.length / 2)]!;
  console.log(
    `# bench ${label}: cold ${wall[0]!.toFixed(1)} ms, median ${median.toFixed(1)} ms (min ${warm[0]!.toFixed(1)}, max ${warm.at(-1)!.toFixed(1)}); ` +
      `main-thread CPU ${cpu.toFixed(1)} ms per draw; target < ${TARGET_MS} ms; load average ${loadavg()[0]!.toFixed(1)}`,
  );
  return median;
}

test('first draw: one 10,000-point cost curve', async () => {
  const times = await drawTimes('cost', [run('a', 'long', 10000)], 'run');
  assert.ok(report('cost 1×10000', times) < FAIL_MS);
});

test('first draw: three overlaid 10,000-point cost curves', async () => {
  const runs = ['gd', 'momentum', 'adam'].map((name, i) => run(name, name, 10000, { costs: curve(10000, 0.7, 0.0003 * (i + 1), i) }));
  const times = await drawTimes('cost', runs, 'compare');
  assert.ok(report('cost 3×10000', times) < FAIL_MS);
  await page.screenshot({ path: join(__dirname, '..', '..', '..', 'test-results', 'webview', 'bench-3x10000.png') });
});

test('first draw: a 100×100 decision boundary with 300 points', async () => {
  const times = await drawTimes('boundary', [run('b', 'moons', 0, { costs: [], boundary: grid(100, 2, 240) })], 'run');
  assert.ok(report('boundary 100×100', times) < FAIL_MS);
});
