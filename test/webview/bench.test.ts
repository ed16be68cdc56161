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
import { networkDetail } from '../../src/charts/network';
import { chartRunFromResult } from '../../src/charts/runs';
import type { ExperimentConfig } from '../../src/core/types';
import { runJob } from '../../src/runner/job';

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
async function drawTimes(chart: string, runs: ChartRun[], view: 'run' | 'compare' | 'network'): Promise<{ wall: number[]; cpu: number }> {
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

/** A real inspected run of `layers` on 2-D data (trained by the worker's job code, shaped as the host shapes it). */
async function inspected(layers: number[]): Promise<ChartRun> {
  const config: ExperimentConfig = {
    name: `net-${layers.join('-')}`,
    data: { dataset: 'circles', samples: 300, noise: 0.05, seed: 1, factor: 0.5, classes: 2 },
    model: { layers, activation: 'relu', output: 'sigmoid', init: 'he', initScale: 1, seed: 3, keepProb: 1 },
    train: { optimizer: 'gd', learningRate: 0.05, epochs: 200, shuffleSeed: 0, beta: 0.9, nesterov: false, beta1: 0.9, beta2: 0.999, rho: 0.9, epsilon: 1e-8, l2: 0, costEvery: 1 },
  };
  const outcome = await runJob({ kind: 'train', config, baseDir: __dirname, allowModules: false }, { onEpoch: () => {}, shouldStop: () => false });
  assert.ok(outcome.kind === 'train' && outcome.boundary);
  return chartRunFromResult(config.name, outcome.result, { config, boundary: outcome.boundary });
}

// The network view's first draw (no timed assertion: the figures are printed; the drawn nodes are checked).
for (const layers of [[2, 10, 5, 1], [2, 16, 16, 15, 1], [2, 32, 32, 1]]) {
  test(`first draw: the network view of [${layers.join(',')}]`, async () => {
    const times = await drawTimes('network', [await inspected(layers)], 'network');
    const maps = networkDetail(layers, true) === 'maps';
    report(`network [${layers.join(',')}] (${maps ? 'with neuron maps' : 'diagram only'})`, times);
    const nodes = await page.evaluate(() => {
      type Node = { name?: string; items?: Node[]; marktype?: string };
      const root = (window as unknown as { nnlab: { chart(n: string): { scenegraph(): { root: Node } } } }).nnlab.chart('network').scenegraph().root;
      const count = (n: Node): number => (n.name === 'nodes_marks' ? (n.items ?? []).length : (n.items ?? []).reduce((a, c) => a + count(c), 0));
      return count(root);
    });
    assert.equal(nodes, layers.reduce((a, b) => a + b, 0));
  });
}

test('live: three 10,000-epoch runs streaming 500-epoch chunks at 20 messages/s each', async () => {
  const epochs = 10000;
  const chunk = 500;
  const runs = ['gd', 'momentum', 'adam'].map((name) => run(name, name, 0, { status: 'running', epochs, costs: [] }));
  const full = ['gd', 'momentum', 'adam'].map((_, i) => curve(epochs, 0.7, 0.0003 * (i + 1), i));
  await page.evaluate((data) => window.dispatchEvent(new MessageEvent('message', { data: { type: 'state', data } })), { view: 'compare', runs });
  await page.evaluate(() => (window as unknown as { nnlab: { settled(): Promise<void> } }).nnlab.settled());
  const started = Date.now();
  await page.evaluate(
    ({ full, chunk, epochs }) =>
      new Promise<void>((resolve) => {
        let k = 0;
        const timer = setInterval(() => {
          for (let r = 0; r < full.length; r++) {
            const costs = full[r]!.slice(k * chunk, (k + 1) * chunk);
            window.dispatchEvent(new MessageEvent('message', { data: { type: 'progress', runId: ['gd', 'momentum', 'adam'][r], firstIndex: k * chunk, costs } }));
          }
          if (++k === epochs / chunk) {
            clearInterval(timer);
            resolve();
          }
        }, 50);
      }),
    { full, chunk, epochs },
  );
  type Stats = { chunks: number; pending: number; flushes: number; maxChunksPerFlush: number; maxLagMs: number; maxFlushMs: number };
  const stats = () => page.evaluate(() => (window as unknown as { nnlab: { liveStats(): Stats } }).nnlab.liveStats());
  await page.waitForFunction(() => {
    const s = (window as unknown as { nnlab: { liveStats(): { chunks: number; pending: number } } }).nnlab.liveStats();
    return s.chunks === 60 && s.pending === 0;
  }, undefined, { timeout: 5000 }).catch(async (e) => {
    console.log('# stats at timeout', JSON.stringify(await stats()));
    throw e;
  });
  const seconds = (Date.now() - started) / 1000;
  const s = await stats();
  console.log(
    `# bench live 3×10000: ${s.chunks} chunks in ${seconds.toFixed(2)} s → ${s.flushes} redraws, max ${s.maxChunksPerFlush} chunks/redraw, ` +
      `max lag ${s.maxLagMs.toFixed(1)} ms, max redraw ${s.maxFlushMs.toFixed(1)} ms; load average ${loadavg()[0]!.toFixed(1)}`,
  );
  const live = await page.evaluate(() => {
    type Node = { marktype?: string; name?: string; items?: Node[] };
    const root = (window as unknown as { nnlab: { chart(n: string): { scenegraph(): { root: Node } } } }).nnlab.chart('cost').scenegraph().root;
    const count = (n: Node): number => (n.marktype && /^curves_/.test(n.name ?? '') ? (n.items ?? []).length : (n.items ?? []).reduce((a, c) => a + count(c), 0));
    return count(root);
  });
  // The same runs drawn in one go: live chunks decimate the same way, give or take the buckets a chunk edge splits.
  const complete = runs.map((r, i) => ({ ...r, status: 'ok', costs: full[i] }));
  await page.evaluate((data) => window.dispatchEvent(new MessageEvent('message', { data: { type: 'state', data } })), { view: 'compare', runs: complete });
  await page.evaluate(() => (window as unknown as { nnlab: { settled(): Promise<void> } }).nnlab.settled());
  const once = await page.evaluate(() => {
    type Node = { marktype?: string; name?: string; items?: Node[] };
    const root = (window as unknown as { nnlab: { chart(n: string): { scenegraph(): { root: Node } } } }).nnlab.chart('cost').scenegraph().root;
    const count = (n: Node): number => (n.marktype && /^curves_/.test(n.name ?? '') ? (n.items ?? []).length : (n.items ?? []).reduce((a, c) => a + count(c), 0));
    return count(root);
  });
  console.log(`# bench live 3×10000: ${live} points drawn live, ${once} when drawn in one go`);
  assert.ok(live >= once && live <= once + 2 * 60, `live ${live} vs complete ${once}`);
  assert.ok(s.flushes <= Math.ceil(seconds * 10) + 1, `${s.flushes} redraws in ${seconds} s exceeds 10 Hz`);
  assert.ok(s.maxLagMs < FAIL_MS, `a chunk waited ${s.maxLagMs} ms`);
});
