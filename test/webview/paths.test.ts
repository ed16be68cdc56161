// The comparison view's optimizer paths in Chromium under the panel's CSP: the optimization lab's three runs (gd,
// momentum, adam), trained and inspected by the worker's own job code, their paths computed by the paths job.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadExperimentFile } from '../../src/node/experiment';
import { costLevels } from '../../src/charts/paths';
import { chartRunFromResult } from '../../src/charts/runs';
import { LANDSCAPE_CELLS } from '../../src/core/inspect/landscape';
import type { ChartRun, OptimizerPaths, ToWebview } from '../../src/protocol/webview';
import { runJob } from '../../src/runner/job';
import { countItems, countMarks, hostRecord, post, settled } from './harness';
import { panelPages } from './pages';

const root = join(__dirname, '..', '..', '..');
const shots = join(root, 'test-results', 'webview');
const examples = join(root, 'examples');
const open = panelPages(shots);

async function lab(): Promise<{ runs: ChartRun[]; paths: OptimizerPaths }> {
  const configs = loadExperimentFile(join(examples, 'optimization.nnlab.json')).entries.map((e) => e.config!);
  const runs: ChartRun[] = [];
  for (const config of configs) {
    const outcome = await runJob(
      { kind: 'train', config, baseDir: examples, allowModules: false },
      { onEpoch: () => {}, shouldStop: () => false },
    );
    assert.ok(outcome.kind === 'train' && outcome.result.inspection);
    runs.push(
      chartRunFromResult(config.name, outcome.result, {
        config,
        ...(outcome.boundary ? { boundary: outcome.boundary } : {}),
      }),
    );
  }
  const job = {
    kind: 'paths' as const,
    config: configs[0]!,
    baseDir: examples,
    runs: runs.map((r) => ({ name: r.name, snapshots: r.inspection!.snapshots })),
  };
  const outcome = await runJob(job, { onEpoch: () => {}, shouldStop: () => false });
  assert.ok(outcome.kind === 'paths');
  return { runs, paths: outcome.paths };
}

test('optimization lab: one path per run with a point per snapshot, the final points, the cost bands on the plane', async () => {
  const { runs, paths } = await lab();
  const page = await open();
  // The comparison first, then its paths as the host sends them once the worker has them.
  await post(page, { type: 'state', data: { view: 'compare', runs } } satisfies ToWebview);
  await settled(page);
  assert.equal(await page.locator('#paths-chart').count(), 0, 'no paths before the host sends them');
  await post(page, { type: 'paths', paths } satisfies ToWebview);
  await settled(page);

  assert.equal(await countMarks(page, 'paths', 'paths'), 3, 'one line per run');
  for (const run of runs) {
    const points = await countItems(page, 'paths', 'paths', { on: 'datum', key: 'run', equals: run.name });
    assert.equal(points, run.inspection!.snapshots.length, `${run.name}: a point per snapshot`);
  }
  assert.ok(runs[0]!.inspection!.snapshots.length >= 50, 'dozens of snapshots per run');
  assert.equal(await countItems(page, 'paths', 'ends'), 3);
  assert.equal(await countItems(page, 'paths', 'landscape'), LANDSCAPE_CELLS * LANDSCAPE_CELLS);
  // Each run's line in a colour of its own (the run's colour in the cost chart); the bands are greys, one per level.
  const strokes = await page.evaluate(() => {
    type Node = {
      marktype?: string;
      name?: string;
      items?: Node[];
      datum?: { run?: string };
      stroke?: string;
      fill?: string;
    };
    const view = (window as unknown as { nnlab: { chart(n: string): { scenegraph(): { root: Node } } } }).nnlab.chart(
      'paths',
    );
    const lines: Record<string, string> = {};
    const bands = new Set<string>();
    const visit = (node: Node) => {
      if (node.marktype === 'line' && node.name === 'paths_marks')
        for (const item of node.items ?? []) lines[item.datum!.run!] = item.stroke!;
      else if (node.name === 'landscape_marks') for (const item of node.items ?? []) bands.add(item.fill!);
      else for (const child of node.items ?? []) visit(child);
    };
    visit(view.scenegraph().root);
    return { lines, bands: [...bands] };
  });
  assert.deepEqual(Object.keys(strokes.lines).sort(), ['adam', 'gd', 'momentum']);
  assert.equal(new Set(Object.values(strokes.lines)).size, 3);
  assert.ok(strokes.bands.length >= 5 && strokes.bands.length <= 8, `${strokes.bands.length} bands`);
  for (const stroke of Object.values(strokes.lines)) assert.ok(!strokes.bands.includes(stroke));
  assert.equal(costLevels(paths.cost).length, 7);
  const firstDraw = await page.evaluate(() =>
    (window as unknown as { nnlab: { firstDrawMs(n: string): number } }).nnlab.firstDrawMs('paths'),
  );
  console.log(
    `[paths] first draw of the optimizer-path view (3 runs × ${runs[0]!.inspection!.snapshots.length} snapshots, ${LANDSCAPE_CELLS}² cells): ${firstDraw.toFixed(1)} ms`,
  );
  await page.locator('#paths-chart').screenshot({ path: join(shots, 'optimizer-paths.png') });

  // A reloaded panel restores the paths from its saved state.
  const saved = (await hostRecord(page)).saved.at(-1);
  const again = await open({ saved });
  await settled(again);
  assert.equal(await countMarks(again, 'paths', 'paths'), 3);
});

test('nnlab run --out writes paths.svg for a comparison of one network on one data set, and names it in index.json', async () => {
  const out = mkdtempSync(join(tmpdir(), 'nnlab-paths-'));
  try {
    execFileSync(
      process.execPath,
      [join(root, 'dist', 'cli.js'), 'run', join(examples, 'optimization.nnlab.json'), '--out', out, '-j', '1'],
      { stdio: 'pipe' },
    );
    assert.equal(JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')).paths, 'paths.svg');
    const svg = readFileSync(join(out, 'paths.svg'), 'utf8');
    const group = (name: string) =>
      svg
        .split(`role-mark ${name}_marks`)
        .slice(1)
        .map((g) => g.split('</g>')[0]!);
    assert.deepEqual(
      group('paths').map((g) => (g.match(/<path /g) ?? []).length),
      [1, 1, 1],
      'one line per run',
    );
    assert.equal((group('landscape')[0]!.match(/<path /g) ?? []).length, LANDSCAPE_CELLS * LANDSCAPE_CELLS);
    assert.equal((group('ends')[0]!.match(/<path /g) ?? []).length, 3);
    // One run alone is no comparison.
    const single = mkdtempSync(join(tmpdir(), 'nnlab-paths-'));
    execFileSync(
      process.execPath,
      [join(root, 'dist', 'cli.js'), 'run', join(examples, 'optimization.nnlab.json'), '-e', 'adam', '--out', single],
      { stdio: 'pipe' },
    );
    assert.equal(JSON.parse(readFileSync(join(single, 'index.json'), 'utf8')).paths, undefined);
    assert.equal(existsSync(join(single, 'paths.svg')), false);
    rmSync(single, { recursive: true, force: true });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
