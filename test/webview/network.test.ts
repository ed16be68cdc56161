// The network view in Chromium under the panel's CSP: what it draws for a real inspected run, and the replay slider.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { cellProbabilities, parametersFromFlat } from '../../src/charts/boundary';
import { MAX_DIAGRAM_UNITS, THUMB_CELLS } from '../../src/charts/network';
import { signalRows } from '../../src/charts/signals';
import { LIGHT_THEME } from '../../src/charts/theme';
import type { ExperimentConfig } from '../../src/core/types';
import type { ChartRun, ToWebview } from '../../src/protocol/webview';
import { countItems, countMarks, hostRecord, post, settled } from './harness';
import { panelPages } from './pages';
import { run as fixtureRun } from '../charts/fixtures';
import { circlesConfig, inspectedRun } from '../charts/trainedRun';

const root = join(__dirname, '..', '..', '..');
const shots = join(root, 'test-results', 'webview');
const open = panelPages(shots);

/** The suite's network: circles, initScale 10, 300 epochs unless told. */
function config(layers: number[], init: ExperimentConfig['model']['init'] = 'he', epochs = 300): ExperimentConfig {
  return circlesConfig({ layers, init, initScale: 10, epochs });
}

/** Every drawn item's datum[key] of a named mark, in scenegraph order. */
function data(page: Page, chart: string, mark: string, key: string): Promise<unknown[]> {
  return page.evaluate(
    ({ chart, mark, key }) => {
      type Node = { marktype?: string; name?: string; items?: Node[]; datum?: Record<string, unknown> };
      const view = (
        window as unknown as { nnlab: { chart(n: string): { scenegraph(): { root: Node } } | undefined } }
      ).nnlab.chart(chart);
      const out: unknown[] = [];
      const visit = (node: Node) => {
        if (node.marktype && (node.name === `${mark}_marks` || node.name === `${mark}_0_marks`))
          for (const item of node.items ?? []) out.push(item.datum?.[key]);
        else for (const child of node.items ?? []) visit(child);
      };
      if (view) visit(view.scenegraph().root);
      return out;
    },
    { chart, mark, key },
  );
}

test('[2,10,5,1]: 18 nodes, 75 edges coloured by sign, 16 neuron maps, the diagnoses, per-layer signals', async () => {
  const run = await inspectedRun(config([2, 10, 5, 1]), root);
  const page = await open();
  await post(page, { type: 'state', data: { view: 'network', runs: [run] } } satisfies ToWebview);
  await settled(page);

  assert.equal(await countItems(page, 'network', 'nodes'), 2 + 10 + 5 + 1);
  assert.equal(await countItems(page, 'network', 'edges'), 2 * 10 + 10 * 5 + 5 * 1);
  const final = run.inspection!.snapshots.at(-1)!.parameters;
  const weights = [0, 20, 30, 80, 85, 90].reduce<number[]>(
    (acc, start, i, a) => (i % 2 === 0 ? acc.concat(final.slice(start, a[i + 1])) : acc),
    [],
  );
  const negative = weights.filter((w) => w < 0).length;
  assert.ok(negative > 0 && negative < 75);
  assert.equal(
    await countItems(page, 'network', 'edges', { on: 'item', key: 'stroke', equals: LIGHT_THEME.classes[0] }),
    negative,
    'negative weights in class 0’s colour',
  );
  assert.equal(
    await countItems(page, 'network', 'edges', { on: 'item', key: 'stroke', equals: LIGHT_THEME.classes[1] }),
    75 - negative,
  );
  assert.equal(await countItems(page, 'network', 'mapcells'), 16 * THUMB_CELLS * THUMB_CELLS);

  const texts = await page.locator('#diagnoses li').allInnerTexts();
  assert.deepEqual(
    texts,
    run.inspection!.diagnoses.map((d) => `⚠ ${d.text}`),
  );
  // One line per (layer, column, series) that has values: e.g. no saturation for relu layers, no symmetry for the output.
  const groups = new Set(signalRows(run.inspection!).map((r) => `${r.layer}|${r.panel}|${r.series}`));
  assert.equal(await countMarks(page, 'signals', 'signals'), groups.size);
  assert.ok(groups.size >= 3 * 5, `${groups.size} series`);

  // A neuron clicked: its map large.
  await page.evaluate(() =>
    (window as unknown as { nnlab: { selectNeuron(id: string): Promise<void> } }).nnlab.selectNeuron('2:1'),
  );
  await settled(page);
  assert.equal(await countItems(page, 'neuron', 'neuroncells'), 48 * 48);
  await page.screenshot({ path: join(shots, 'network-light.png'), fullPage: true });
});

test('the replay slider moves the boundary, the network and the cost marker to a snapshot', async () => {
  const run = await inspectedRun(config([2, 10, 5, 1], 'random', 200), root);
  const snapshots = run.inspection!.snapshots;
  const page = await open();
  await post(page, { type: 'state', data: { view: 'network', runs: [run] } } satisfies ToWebview);
  await settled(page);
  assert.equal(await page.locator('#replay').getAttribute('max'), String(snapshots.length - 1));
  assert.deepEqual(await data(page, 'replayCost', 'replay', 'epoch'), [snapshots.at(-1)!.epoch]);

  // Chromium's Math.exp may differ from Node's in the last bit far out in the tails (p ~ 1e-70), so cells are
  // compared to 1e-12 relative.
  const near = (actual: unknown[], wanted: number[]) => {
    assert.equal(actual.length, wanted.length);
    wanted.forEach((p, k) =>
      assert.ok(Math.abs((actual[k] as number) - p) <= 1e-12 * Math.abs(p), `cell ${k}: ${String(actual[k])} vs ${p}`),
    );
  };
  const expected = (k: number) =>
    cellProbabilities(
      parametersFromFlat(run.model!.layers, snapshots[k]!.parameters),
      run.model!,
      run.boundary!.x,
      run.boundary!.y,
    ).p;
  near(await data(page, 'replayBoundary', 'cells', 'p'), expected(snapshots.length - 1));

  // The user drags the slider to snapshot 3.
  await page.locator('#replay').evaluate((input: HTMLInputElement) => {
    input.value = '3';
    input.dispatchEvent(new Event('input'));
  });
  await settled(page);
  near(await data(page, 'replayBoundary', 'cells', 'p'), expected(3));
  assert.notDeepEqual(expected(3), expected(snapshots.length - 1));
  assert.deepEqual(await data(page, 'replayCost', 'replay', 'epoch'), [snapshots[3]!.epoch]);
  assert.equal(await page.locator('#replay-epoch').innerText(), `epoch ${snapshots[3]!.epoch} (4/${snapshots.length})`);
  const w = snapshots[3]!.parameters.slice(0, 20);
  assert.deepEqual(await data(page, 'network', 'edges', 'w'), [
    ...w,
    ...snapshots[3]!.parameters.slice(30, 80),
    ...snapshots[3]!.parameters.slice(85, 90),
  ]);
  // random ×10 saturates the output at epoch 0: the first remark says so.
  assert.match(
    (await page.locator('#diagnoses li').allInnerTexts())[0]!,
    /output saturated in \d+% of examples at epoch 0/,
  );
});

test('past the diagram limit the network is a per-layer summary', async () => {
  const run = await inspectedRun(config([2, MAX_DIAGRAM_UNITS + 1, 1], 'he', 20), root);
  const page = await open();
  await post(page, { type: 'state', data: { view: 'network', runs: [run] } } satisfies ToWebview);
  await settled(page);
  assert.equal(await page.locator('#network-summary tbody tr').count(), 2);
  assert.equal(await countItems(page, 'network', 'nodes'), -1, 'no diagram drawn');
});

test('a live run’s Pause, Step and Resume buttons post controls; a paused run shows it', async () => {
  const page = await open();
  const live: ChartRun = { ...fixtureRun('live', 'adam', 0, { status: 'running', epochs: 1000, costs: [0.7, 0.6] }) };
  await post(page, { type: 'state', data: { view: 'run', runs: [live] } } satisfies ToWebview);
  await settled(page);
  await page.locator('#run-pause').click();
  await page.locator('#run-step').click();
  const controls = () => hostRecord(page).then((r) => r.posted.filter((m) => m.type === 'control'));
  assert.deepEqual(await controls(), [
    { type: 'control', runId: 'live', action: 'pause' },
    { type: 'control', runId: 'live', action: 'step' },
  ]);
  await post(page, { type: 'runStarted', run: { ...live, paused: true } } satisfies ToWebview);
  await settled(page);
  assert.equal(await page.locator('.summary .badge').innerText(), 'paused');
  await page.locator('#run-resume').click();
  assert.deepEqual((await controls()).at(-1), { type: 'control', runId: 'live', action: 'resume' });
  // A finished run has no controls.
  await post(page, { type: 'runFinished', run: { ...live, status: 'ok' } } satisfies ToWebview);
  await settled(page);
  assert.equal(await page.locator('.run-controls').count(), 0);
});

test('live: a running run’s network follows the snapshots that come with its progress', async () => {
  const finished = await inspectedRun(config([2, 10, 5, 1], 'he', 100), root);
  const { inspection, boundary: _b, ...rest } = finished;
  const live: ChartRun = { ...rest, status: 'running', costs: [] };
  const page = await open();
  await post(page, { type: 'state', data: { view: 'network', runs: [live] } } satisfies ToWebview);
  await settled(page);
  assert.equal(await page.locator('#live-note').count(), 1);
  const weights = (p: number[]) => [...p.slice(0, 20), ...p.slice(30, 80), ...p.slice(85, 90)];
  for (const k of [1, 5]) {
    const snapshot = inspection!.snapshots[k]!;
    await post(page, {
      type: 'progress',
      runId: live.id,
      firstIndex: 0,
      costs: finished.costs.slice(0, snapshot.epoch + 1),
      snapshot,
    } satisfies ToWebview);
    // Live redraws are throttled (2 a second): wait for the one that shows this snapshot.
    await page.waitForFunction(
      (epoch) => document.getElementById('live-epoch')?.textContent === `epoch ${epoch}`,
      snapshot.epoch,
    );
    await settled(page);
    assert.deepEqual(await data(page, 'network', 'edges', 'w'), weights(snapshot.parameters));
    assert.equal(await page.locator('#network-chart canvas').count(), 1);
  }
});
