/**
 * The panel's render times in Chromium (the harness of test/webview, under the panel's CSP): first draw of a
 * 10⁴-point cost curve, three overlaid 10⁴-point curves, a 100 × 100 boundary and the network view of three real
 * inspected runs; then three runs streaming live. Each chart is drawn 6 times in one page: the row's time is the
 * median of the 5 warm draws, the note gives the cold one and the main thread's CPU time per draw (which other
 * processes on a shared machine cannot inflate). "First draw" = vega-lite compile + vega parse + dataflow + canvas
 * render of a new chart. The target for a first draw is 150 ms. What is drawn is checked (node counts, points drawn
 * live against drawn at once); a mismatch fails the module.
 */
import { existsSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';
import type { ChartRun } from '../src/protocol/webview';
import { startHarness, type Harness } from '../test/webview/harness';
import { curve, grid, run as chartRun } from '../test/charts/fixtures';
import { circlesConfig, inspectedRun } from '../test/charts/trainedRun';
import { networkDetail } from '../src/charts/network';
import type { BenchContext, BenchRow } from './api';

export const title = 'panel render in Chromium: first draw (median of 5 warm draws) and live streaming';

/** Main-thread CPU time of the page's renderer (Chromium's ThreadTime metric), in ms. */
async function threadTime(session: CDPSession): Promise<number> {
  const { metrics } = (await session.send('Performance.getMetrics')) as {
    metrics: Array<{ name: string; value: number }>;
  };
  return metrics.find((m) => m.name === 'ThreadTime')!.value * 1000;
}

/** Draws the chart 6 times: the wall-clock time of each draw as the page measures it, and CPU ms per draw. */
async function drawTimes(
  page: Page,
  chart: string,
  runs: ChartRun[],
  view: 'run' | 'compare' | 'network',
): Promise<{ wall: number[]; cpu: number }> {
  const session = await page.context().newCDPSession(page);
  await session.send('Performance.enable');
  const before = await threadTime(session);
  const wall = await page.evaluate(
    async ({ chart, runs, view }) => {
      const hooks = (
        window as unknown as { nnlab: { settled(): Promise<void>; firstDrawMs(n: string): number | undefined } }
      ).nnlab;
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

function row(name: string, { wall, cpu }: { wall: number[]; cpu: number }, note = ''): BenchRow {
  const warm = wall.slice(1).sort((a, b) => a - b);
  const median = warm[Math.floor(warm.length / 2)]!;
  return {
    name,
    ms: median,
    note: `cold ${wall[0]!.toFixed(1)} ms, warm ${warm[0]!.toFixed(1)}–${warm.at(-1)!.toFixed(1)} ms; main-thread CPU ${cpu.toFixed(1)} ms per draw${note}`,
  };
}

/** Points in the cost chart's curve marks. */
function curvePoints(page: Page): Promise<number> {
  return page.evaluate(() => {
    type Node = { marktype?: string; name?: string; items?: Node[] };
    const root = (window as unknown as { nnlab: { chart(n: string): { scenegraph(): { root: Node } } } }).nnlab
      .chart('cost')
      .scenegraph().root;
    const count = (n: Node): number =>
      n.marktype && /^curves_/.test(n.name ?? '')
        ? (n.items ?? []).length
        : (n.items ?? []).reduce((a, c) => a + count(c), 0);
    return count(root);
  });
}

async function live(page: Page): Promise<BenchRow> {
  const epochs = 10000;
  const chunk = 500;
  const names = ['gd', 'momentum', 'adam'];
  const runs = names.map((name) => chartRun(name, name, 0, { status: 'running', epochs, costs: [] }));
  const full = names.map((_, i) => curve(epochs, 0.7, 0.0003 * (i + 1), i));
  const settle = () =>
    page.evaluate(() => (window as unknown as { nnlab: { settled(): Promise<void> } }).nnlab.settled());
  await page.evaluate((data) => window.dispatchEvent(new MessageEvent('message', { data: { type: 'state', data } })), {
    view: 'compare',
    runs,
  });
  await settle();
  const started = Date.now();
  // The host's pace: a 500-epoch chunk per run every 50 ms, posted from inside the page so the timing is real.
  await page.evaluate(
    ({ full, chunk, epochs, names }) =>
      new Promise<void>((resolve) => {
        let k = 0;
        const timer = setInterval(() => {
          for (let r = 0; r < full.length; r++) {
            const costs = full[r]!.slice(k * chunk, (k + 1) * chunk);
            window.dispatchEvent(
              new MessageEvent('message', {
                data: { type: 'progress', runId: names[r], firstIndex: k * chunk, costs },
              }),
            );
          }
          if (++k === epochs / chunk) {
            clearInterval(timer);
            resolve();
          }
        }, 50);
      }),
    { full, chunk, epochs, names },
  );
  type Stats = {
    chunks: number;
    pending: number;
    flushes: number;
    maxChunksPerFlush: number;
    maxLagMs: number;
    maxFlushMs: number;
  };
  await page.waitForFunction(() => {
    const s = (window as unknown as { nnlab: { liveStats(): { chunks: number; pending: number } } }).nnlab.liveStats();
    return s.chunks === 60 && s.pending === 0;
  });
  const seconds = (Date.now() - started) / 1000;
  const s = await page.evaluate(() => (window as unknown as { nnlab: { liveStats(): Stats } }).nnlab.liveStats());
  const drawnLive = await curvePoints(page);
  // The same runs drawn in one go: live chunks decimate the same way, give or take the buckets a chunk edge splits.
  const complete = runs.map((r, i) => ({ ...r, status: 'ok', costs: full[i] }));
  await page.evaluate((data) => window.dispatchEvent(new MessageEvent('message', { data: { type: 'state', data } })), {
    view: 'compare',
    runs: complete,
  });
  await settle();
  const drawnOnce = await curvePoints(page);
  if (drawnLive < drawnOnce || drawnLive > drawnOnce + 2 * 60)
    throw new Error(`live drew ${drawnLive} points, at once ${drawnOnce}`);
  return {
    name: 'live 3×10000, 60 chunks at 20 messages/s: max lag',
    ms: s.maxLagMs,
    note: `${s.flushes} redraws in ${seconds.toFixed(2)} s (max ${s.maxChunksPerFlush} chunks per redraw), max redraw ${s.maxFlushMs.toFixed(1)} ms; ${drawnLive} points drawn live, ${drawnOnce} at once`,
  };
}

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const chromium = process.env.NNLAB_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(chromium))
    return [{ name: 'render', ms: null, note: `skipped: no Chromium at ${chromium} (npm run provision -- debian)` }];
  const harness: Harness = await startHarness();
  try {
    const page = await harness.open();
    const rows: BenchRow[] = [];
    ctx.log('render: cost and boundary charts');
    rows.push(row('cost 1×10000', await drawTimes(page, 'cost', [chartRun('a', 'long', 10000)], 'run')));
    const three = ['gd', 'momentum', 'adam'].map((name, i) =>
      chartRun(name, name, 10000, { costs: curve(10000, 0.7, 0.0003 * (i + 1), i) }),
    );
    rows.push(row('cost 3×10000', await drawTimes(page, 'cost', three, 'compare')));
    rows.push(
      row(
        'boundary 100×100, 300 points',
        await drawTimes(
          page,
          'boundary',
          [chartRun('b', 'moons', 0, { costs: [], boundary: grid(100, 2, 240) })],
          'run',
        ),
      ),
    );
    for (const layers of [
      [2, 10, 5, 1],
      [2, 16, 16, 15, 1],
      [2, 32, 32, 1],
    ]) {
      ctx.log(`render: network view of [${layers.join(',')}]`);
      const times = await drawTimes(
        page,
        'network',
        [await inspectedRun(circlesConfig({ layers, samples: 300, name: `net-${layers.join('-')}` }), ctx.root)],
        'network',
      );
      const nodes = await page.evaluate(() => {
        type Node = { name?: string; items?: Node[] };
        const root = (window as unknown as { nnlab: { chart(n: string): { scenegraph(): { root: Node } } } }).nnlab
          .chart('network')
          .scenegraph().root;
        const count = (n: Node): number =>
          n.name === 'nodes_marks' ? (n.items ?? []).length : (n.items ?? []).reduce((a, c) => a + count(c), 0);
        return count(root);
      });
      const units = layers.reduce((a, b) => a + b, 0);
      if (nodes !== units) throw new Error(`the network view of [${layers}] drew ${nodes} nodes, not ${units}`);
      const maps = networkDetail(layers, true) === 'maps' ? 'with neuron maps' : 'diagram only';
      rows.push(row(`network [${layers.join(',')}] (${maps})`, times));
    }
    ctx.log('render: live streaming');
    rows.push(await live(page));
    return rows;
  } finally {
    await harness.close();
  }
}
