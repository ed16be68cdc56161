// The built webview bundle in Debian's Chromium, under the panel's own CSP: what each message draws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ChartRun, ToWebview } from '../../src/protocol/webview';
import { countItems, countMarks, hostRecord, post, probeResult, settled } from './harness';
import { panelPages } from './pages';
import { curve, gradcheckReport, grid, run } from '../charts/fixtures';
import { LIGHT_THEME, mix } from '../../src/charts/theme';

const shots = join(__dirname, '..', '..', '..', 'test-results', 'webview');
const open = panelPages(shots);

function comparison(): ChartRun[] {
  const diverged = curve(300, 0.9, 0.02, 2);
  for (let i = 120; i < 300; i++) diverged[i] = Number.NaN;
  return [
    run('1', 'zeros', 300, {
      config: { 'model.init': 'zeros', 'train.learningRate': 0.1 },
      costs: curve(300, 0.02, 0.001).map((c) => c + 0.65),
      trainAccuracy: 0.5,
      testAccuracy: 0.5,
      boundary: grid(100, 2, 120),
    }),
    run('2', 'he', 300, {
      config: { 'model.init': 'he', 'train.learningRate': 0.1 },
      testCosts: curve(300, 0.75, 0.012, 1),
      boundary: grid(100, 2, 120),
    }),
    run('3', 'big-lr', 300, {
      config: { 'model.init': 'he', 'train.learningRate': 5 },
      status: 'diverged',
      divergedAtEpoch: 119,
      costs: diverged,
      trainAccuracy: null,
      testAccuracy: null,
      boundary: grid(100, 2, 120),
    }),
  ];
}

test('ready handshake, then a comparison: 4 series, a divergence marker, 3 boundaries of 10⁴ cells, the table', async () => {
  const page = await open();
  assert.deepEqual((await hostRecord(page)).posted[0], { type: 'ready' });
  await post(page, { type: 'state', data: { view: 'compare', runs: comparison() } } satisfies ToWebview);
  await settled(page);

  assert.equal(await countMarks(page, 'cost', 'curves'), 4, 'zeros, he train + test, big-lr');
  assert.equal(await countItems(page, 'cost', 'curves'), 300 + 300 + 300 + 120, 'every finite cost is a point');
  assert.equal(await countItems(page, 'cost', 'diverged'), 1);
  assert.equal(await countItems(page, 'cost', 'diverged', { on: 'datum', key: 'epoch', equals: 119 }), 1);
  assert.equal(await countItems(page, 'boundary', 'cells'), 3 * 10000);
  assert.equal(await countItems(page, 'boundary', 'points'), 3 * (120 + 30));
  assert.equal(await countItems(page, 'boundary', 'points', { on: 'datum', key: 'kind', equals: 'test' }), 3 * 30);

  const headers = await page.locator('#compare-table th').allInnerTexts();
  assert.deepEqual(headers, [
    'run',
    'model.init',
    'train.learningRate',
    'final cost',
    'train acc',
    'test acc',
    'epochs',
    'time',
    'status',
  ]);
  assert.equal(await page.locator('#compare-table tbody tr').count(), 3);
  await page.screenshot({ path: join(shots, 'compare-light.png'), fullPage: true });

  // Sorting by final cost: he has the lowest, zeros the highest; a second click reverses.
  await page.locator('#compare-table th button', { hasText: 'final cost' }).click();
  await page.locator('#compare-table th[aria-sort="ascending"]').waitFor();
  assert.deepEqual(await page.locator('#compare-table tbody tr td:first-child').allInnerTexts(), [
    'he',
    'big-lr',
    'zeros',
  ]);
  await page.locator('#compare-table th button', { hasText: 'final cost' }).click();
  await page.locator('#compare-table th[aria-sort="descending"]').waitFor();
  assert.deepEqual(await page.locator('#compare-table tbody tr td:first-child').allInnerTexts(), [
    'zeros',
    'big-lr',
    'he',
  ]);

  // Log y is a redraw from the saved state, with the same points.
  await page.locator('#log-y').check();
  await settled(page);
  assert.equal(await countItems(page, 'cost', 'curves'), 1020);
  // Smoothing (off by default) averages over a window: same points, the first ones moved.
  const firstCost = () =>
    page.evaluate(() => {
      type Node = { name?: string; items?: Array<Node & { datum?: { cost: number } }> };
      const find = (n: Node): number | undefined => {
        if (n.name === 'curves_1_train_marks') return n.items?.[40]?.datum?.cost;
        for (const c of n.items ?? []) {
          const v = find(c);
          if (v !== undefined) return v;
        }
        return undefined;
      };
      return find(
        (window as unknown as { nnlab: { chart(n: string): { scenegraph(): { root: Node } } } }).nnlab
          .chart('cost')
          .scenegraph().root,
      );
    });
  assert.equal(await page.locator('#smoothing').inputValue(), '0');
  const raw = await firstCost();
  await page.locator('#smoothing').selectOption('20');
  await settled(page);
  assert.equal(await countItems(page, 'cost', 'curves'), 1020);
  assert.notEqual(await firstCost(), raw);
  const saved = (await hostRecord(page)).saved.at(-1) as {
    ui: { logY: boolean; smoothing: number; sort: { key: string } };
  };
  assert.equal(saved.ui.logY, true);
  assert.equal(saved.ui.smoothing, 20);
  assert.equal(saved.ui.sort.key, 'finalCost');
});

// Redraw rate and lag are measured in `npm run bench` (bench/render.bench.ts, live); here, what is drawn and batched.
test('live progress at 20 messages/s: every point drawn, chunks batched into fewer redraws, no backlog', async () => {
  const page = await open();
  const total = 2000;
  const live = run('live', 'adam', 0, { status: 'running', epochs: total, costs: [], testCosts: [], testEvery: 10 });
  await post(page, { type: 'state', data: { view: 'run', runs: [live] } } satisfies ToWebview);
  await settled(page);
  const costs = curve(total, 0.7, 0.003);
  const started = Date.now();
  // The host's pace: 40 chunks of 50 epochs, one every 50 ms, posted from inside the page so timing is real.
  await page.evaluate(
    ({ costs }) =>
      new Promise<void>((resolve) => {
        let k = 0;
        const timer = setInterval(() => {
          const first = k * 50;
          const testFirst = first / 10;
          const data = {
            type: 'progress',
            runId: 'live',
            firstIndex: first,
            costs: costs.slice(first, first + 50),
            firstTestIndex: testFirst,
            testCosts: costs
              .slice(first, first + 50)
              .filter((_, i) => i % 10 === 0)
              .map((c) => c + 0.02),
          };
          window.dispatchEvent(new MessageEvent('message', { data }));
          if (++k === costs.length / 50) {
            clearInterval(timer);
            resolve();
          }
        }, 50);
      }),
    { costs },
  );
  await page.waitForFunction(
    (n) =>
      (window as unknown as { nnlab: { liveStats(): { rowsInserted: number } } }).nnlab.liveStats().rowsInserted >= n,
    total + total / 10,
  );
  const seconds = (Date.now() - started) / 1000;
  const stats = await page.evaluate(() =>
    (window as unknown as { nnlab: { liveStats(): Record<string, number> } }).nnlab.liveStats(),
  );
  console.log(
    `# live: ${stats.chunks} chunks in ${seconds.toFixed(2)} s → ${stats.flushes} redraws; max ${stats.maxChunksPerFlush} chunks/redraw, max lag ${stats.maxLagMs!.toFixed(1)} ms, max redraw ${stats.maxFlushMs!.toFixed(1)} ms`,
  );
  assert.equal(stats.chunks, 40);
  assert.equal(await countItems(page, 'cost', 'curves'), total + total / 10, 'no chunk dropped');
  // The throttle batches: chunks that arrive within one frame interval are drawn together, never one redraw each.
  assert.ok(stats.flushes! < stats.chunks!, `${stats.flushes} redraws for ${stats.chunks} chunks`);
  assert.ok(stats.flushes! >= 5, 'updates arrive while training, not only at the end');
  await page.screenshot({ path: join(shots, 'live-run.png') });
});

test('gradient check: a log bar per tensor, failing ones highlighted, kinks, the threshold, worst entries, entry heatmap', async () => {
  const page = await open({ theme: 'dark' });
  await post(page, { type: 'gradcheck', report: gradcheckReport() } satisfies ToWebview);
  await settled(page);
  assert.equal(await countItems(page, 'gradcheck', 'bars'), 4);
  // The dark harness theme sets --vscode-testing-iconFailed to #f14c4c.
  assert.equal(
    await countItems(page, 'gradcheck', 'bars', { on: 'item', key: 'fill', equals: '#f14c4c' }),
    2,
    'b1 and W2 fail',
  );
  assert.equal(await countItems(page, 'gradcheck', 'kinks'), 2, 'W1 and W2 have kinks');
  assert.equal(await countItems(page, 'gradcheck', 'threshold'), 1);
  assert.equal(await page.locator('#worst-table tbody tr').count(), 3);
  assert.equal(await page.locator('#worst-table tbody tr.fail').count(), 2);
  // The first worst entry's tensor (b1, 5 × 1) is shown per entry; clicking W1 shows its 9 sampled entries.
  assert.equal(await countItems(page, 'entries', 'entries'), 5);
  await page.locator('#worst-table button', { hasText: 'W1' }).click();
  await page.locator('#worst-table tr.selected button', { hasText: 'W1' }).waitFor();
  await settled(page);
  assert.equal(await countItems(page, 'entries', 'entries'), 9, 'the unsampled entry is blank');
  await page.screenshot({ path: join(shots, 'gradcheck-dark.png'), fullPage: true });
});

test('state is saved with setState and a restored panel draws it before the host answers', async () => {
  const first = await open();
  const runs = comparison().slice(0, 2);
  await post(first, { type: 'state', data: { view: 'compare', runs } } satisfies ToWebview);
  await settled(first);
  const saved = (await hostRecord(first)).saved.at(-1);
  assert.ok(saved, 'the panel saved its state');
  const restored = await open({ saved });
  await settled(restored);
  assert.equal(await countMarks(restored, 'cost', 'curves'), 3);
  assert.equal(await restored.locator('#compare-table tbody tr').count(), 2);
  assert.deepEqual((await hostRecord(restored)).posted, [{ type: 'ready' }], 'it still asks the host for fresh state');
});

test('a theme change restyles the charts', async () => {
  const page = await open();
  await post(page, { type: 'state', data: { view: 'run', runs: [comparison()[1]!] } } satisfies ToWebview);
  await settled(page);
  const background = () =>
    page.evaluate(() =>
      (window as unknown as { nnlab: { chart(n: string): { background(): string } } }).nnlab.chart('cost').background(),
    );
  assert.equal(await background(), '#ffffff');
  await page.evaluate(() => {
    document.documentElement.style.setProperty('--vscode-editor-background', '#1e1e1e');
    document.documentElement.style.setProperty('--vscode-editor-foreground', '#d4d4d4');
    document.body.classList.replace('vscode-light', 'vscode-dark');
  });
  await page.waitForFunction(
    () =>
      (window as unknown as { nnlab: { chart(n: string): { background(): string } | undefined } }).nnlab
        .chart('cost')
        ?.background() === '#1e1e1e',
  );
  await settled(page);
  // Tooltips work under the CSP with the panel's own tooltip styles: hover the 100th epoch's hover target.
  const at = await page.evaluate(() => {
    type Item = { x: number; y: number; datum: { epoch: number } };
    type Node = { marktype?: string; name?: string; items?: Array<Node & Item> };
    const view = (
      window as unknown as {
        nnlab: {
          chart(n: string): { scenegraph(): { root: Node }; origin(): [number, number]; container(): HTMLElement };
        };
      }
    ).nnlab.chart('cost');
    const find = (node: Node): Item | undefined => {
      if (node.name === 'tips_marks') return node.items?.find((i) => i.datum.epoch >= 100);
      for (const child of node.items ?? []) {
        const hit = find(child);
        if (hit) return hit;
      }
      return undefined;
    };
    const item = find(view.scenegraph().root)!;
    const canvas = view.container().querySelector('canvas')!.getBoundingClientRect();
    return {
      x: canvas.left + view.origin()[0] + item.x,
      y: canvas.top + view.origin()[1] + item.y,
      epoch: item.datum.epoch,
    };
  });
  await page.mouse.move(at.x, at.y);
  const tooltip = page.locator('#vg-tooltip-element.visible');
  await tooltip.waitFor();
  // Neighbouring hover targets overlap by a pixel or two, so the one on top may be the next epoch's.
  const shown = Number(/epoch\s+(\d+)/.exec(await tooltip.innerText())?.[1]);
  assert.ok(Math.abs(shown - at.epoch) <= 2, `tooltip for epoch ${shown}, hovered ${at.epoch}`);
  await page.screenshot({ path: join(shots, 'run-dark.png'), fullPage: true });
});

test('guards: a malformed message is rejected and reported to the host, the panel keeps working', async () => {
  const page = await open();
  await post(page, { type: 'progress', runId: 'x', firstIndex: -1, costs: [1] }, { type: 'nope' });
  const errors = (await hostRecord(page)).posted.filter((m) => m.type === 'error').map((m) => m.message);
  assert.deepEqual(errors, [
    'rejected a host message: progress.firstIndex: expected an integer ≥ 0',
    'rejected a host message: message.type: unknown "nope"',
  ]);
  await post(page, { type: 'state', data: { view: 'run', runs: [run('a', 'ok-run', 50)] } });
  await settled(page);
  assert.equal(await countItems(page, 'cost', 'curves'), 50);
});

test('multi-class boundary: a colour per class over 10⁴ cells; export offers SVG and PNG only', async () => {
  const page = await open();
  await post(page, {
    type: 'state',
    data: { view: 'run', runs: [run('m', 'spiral', 100, { boundary: grid(100, 3, 90) })] },
  } satisfies ToWebview);
  await settled(page);
  // The light fallback theme's class colours, mixed half-way to the white background (opaque heatmap colours).
  const fills = [LIGHT_THEME.classes[0]!, LIGHT_THEME.classes[1]!, LIGHT_THEME.classes[2]!].map((c) =>
    mix(c, '#ffffff', 0.55),
  );
  const counts = await Promise.all(
    fills.map((fill) => countItems(page, 'boundary', 'cells', { on: 'item', key: 'fill', equals: fill })),
  );
  assert.ok(
    counts.every((n) => n > 1000),
    `cells per class colour: ${counts.join(', ')}`,
  );
  assert.equal(
    counts.reduce((a, b) => a + b, 0),
    10000,
  );
  assert.equal((await countItems(page, 'boundary', 'points', { on: 'datum', key: 'label', equals: '2' })) > 0, true);
  await page.screenshot({ path: join(shots, 'multiclass.png'), fullPage: true });

  const actions = await page.locator('#boundary-chart .vega-actions a').allInnerTexts();
  assert.deepEqual(actions, ['Save as SVG', 'Save as PNG']);
  const download = page.waitForEvent('download');
  await page.locator('#cost-chart .vega-actions a', { hasText: 'Save as SVG' }).click();
  assert.equal((await download).suggestedFilename(), 'cost.svg');
});

test('sweep: parallel coordinates of every trial, curves of the top 5, the table ranked by the metric', async () => {
  const page = await open();
  const trials = [0.001, 0.01, 0.1, 1].flatMap((lr, i) =>
    ['gd', 'momentum', 'adam'].map((opt, j) => {
      const name = `opt[learningRate=${lr},optimizer=${opt}]`;
      const rate = 0.002 * (i + 1) * (j + 1);
      return run(`${i}-${j}`, name, 200, {
        sweep: { 'train.learningRate': lr, 'train.optimizer': opt },
        config: { 'train.learningRate': lr, 'train.optimizer': opt },
        costs: curve(200, 0.7, rate, i + j),
        trainAccuracy: 0.5 + 0.04 * (i + j),
      });
    }),
  );
  await post(page, { type: 'state', data: { view: 'compare', runs: trials } } satisfies ToWebview);
  await settled(page);
  assert.equal(await countMarks(page, 'sweep', 'top'), 5, 'the top 5 coloured');
  assert.equal(await countMarks(page, 'sweep', 'others'), 7, 'the other 7 muted');
  assert.equal(await countItems(page, 'sweep', 'axes'), 5, 'learningRate, optimizer, final cost, train acc, test acc');
  assert.equal(await countMarks(page, 'cost', 'curves'), 5);
  const names = await page.locator('#compare-table tbody tr td:first-child').allInnerTexts();
  assert.equal(names.length, 12);
  // Fastest decay (lr=1, adam) has the lowest final cost and comes first; the table is sorted by final cost.
  assert.equal(names[0], 'opt[learningRate=1,optimizer=adam]');
  await page.screenshot({ path: join(shots, 'sweep.png'), fullPage: true });
  await page.locator('#metric').selectOption('trainAccuracy');
  await page.locator('#compare-table th[aria-sort="descending"]', { hasText: 'train acc' }).waitFor();
  await settled(page);
  assert.equal(
    (await page.locator('#compare-table tbody tr td:first-child').allInnerTexts())[0],
    'opt[learningRate=1,optimizer=adam]',
  );
});

test('the CSP forbids eval while the charts draw, and they draw all the same', async () => {
  const page = await open({ probe: [{ type: 'state', data: { view: 'compare', runs: comparison() } }] });
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.ok(csp && !csp.includes('unsafe-eval') && !/script-src[^;]*unsafe-inline/.test(csp), csp ?? 'no CSP');
  const probe = await probeResult(page);
  assert.deepEqual(probe.violationsBeforeProbe, [], 'drawing needed nothing the CSP forbids');
  assert.equal(probe.evalOutcome, 'EvalError', 'Function() was refused in the same page, after the charts drew');
  assert.equal(probe.curves, 4);
  assert.equal(probe.cells, 3 * 10000);
  // A script without the nonce is refused too (checked after the probe: evaluating from the test lifts eval limits).
  await page.evaluate(() => {
    const foreign = document.createElement('script');
    foreign.textContent = 'window.__foreignRan = true;';
    document.body.append(foreign);
  });
  assert.equal(await page.evaluate(() => (window as unknown as Record<string, unknown>).__foreignRan), undefined);
  const record = await hostRecord(page);
  assert.deepEqual(record.violations.map((v) => v.split(':')[0]).sort(), ['script-src', 'script-src-elem']);
  await page.close();
});
