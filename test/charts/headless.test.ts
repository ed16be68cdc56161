// The headless twin: the shared specs render to SVG in Node, with the elements the data implies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderBoundarySvg, renderCostSvg, renderGradcheckSvg } from '../../src/node/charts/render';
import { boundaryRows, costRows, markerRows } from '../../src/charts/rows';
import { curve, gradcheckReport, grid, run } from './fixtures';
import { circlesConfig, inspectedRun } from './trainedRun';
import { join } from 'node:path';
import { MAX_DIAGRAM_UNITS, THUMB_CELLS } from '../../src/charts/network';
import { runChartFiles } from '../../src/node/charts/runFiles';
import { chartRunFromResult } from '../../src/charts/runs';
import { runJob } from '../../src/runner/job';

test('cost SVG: one path per series, the diverged run ends at its last finite cost with a marker', async () => {
  const costs = curve(50, 0.7, 0.05);
  for (let i = 30; i < 50; i++) costs[i] = Number.NaN;
  const runs = [
    run('a', 'adam', 50, { testCosts: curve(50, 0.8, 0.04) }),
    run('b', 'gd', 50, { status: 'diverged', divergedAtEpoch: 29, costs }),
  ];
  const svg = await renderCostSvg(runs);
  assert.match(svg, /^<svg/);
  // One line mark per run and series; gd has no test set, so its test mark draws nothing.
  const lines = [...svg.matchAll(/class="mark-line role-mark curves_(\d)_(train|test)_marks"[^>]*>(<path)?/g)];
  assert.deepEqual(
    lines.map((m) => `${m[1]}${m[2]}${m[3] ? ' drawn' : ''}`),
    ['0train drawn', '0test drawn', '1train drawn', '1test'],
  );
  assert.equal(markerRows(runs[1]!, 'gd').length, 1);
  assert.deepEqual(markerRows(runs[1]!, 'gd')[0], { run: 'gd', epoch: 29, cost: costs[29] });
  assert.equal(costRows(runs[1]!, 'gd').length, 30, 'NaN costs are not drawn');
  assert.match(svg, /diverged_marks/);
});

test('boundary SVG: 100×100 heatmap cells plus train and test points', async () => {
  const g = grid(100, 2, 80);
  const rows = boundaryRows(g, 'run');
  assert.equal(rows.filter((r) => r.kind === 'cell').length, 10000);
  const svg = await renderBoundarySvg(g, 'moons');
  const cells =
    svg
      .split('cells_0_marks')[1]!
      .split('</g>')[0]!
      .match(/<path /g) ?? [];
  assert.equal(cells.length, 10000);
  const pointsGroup = svg.split('points_0_marks')[1]!.split('</g>')[0]!;
  assert.equal((pointsGroup.match(/<path /g) ?? []).length, 80 + 20);
});

test('gradcheck SVG: a bar per tensor, failing ones in the fail colour', async () => {
  const svg = await renderGradcheckSvg(gradcheckReport());
  const bars = svg.split('bars_marks')[1]!.split('</g>')[0]!;
  assert.equal((bars.match(/<path /g) ?? []).length, 4);
  assert.equal((bars.match(/fill="#e51400"/g) ?? []).length, 2);
});

test('network.svg and signals.svg: the Network tab at the last snapshot, headless (nnlab run --out)', async () => {
  const root = join(__dirname, '..', '..', '..');
  const config = circlesConfig({ layers: [2, 10, 5, 1], name: 'he' });
  const files = await runChartFiles(await inspectedRun(config, root));
  assert.deepEqual(
    files.map((f) => f.name),
    ['cost.svg', 'boundary.svg', 'network.svg', 'signals.svg'],
  );
  const svg = (name: string) => files.find((f) => f.name === name)!.svg;
  const group = (text: string, mark: string) => text.split(`${mark}_marks`)[1]!.split('</g>')[0]!;
  assert.equal((group(svg('network.svg'), 'edges').match(/<line /g) ?? []).length, 75);
  assert.equal((group(svg('network.svg'), 'nodes').match(/<path /g) ?? []).length, 18);
  assert.equal((group(svg('network.svg'), 'mapcells').match(/<path /g) ?? []).length, 16 * THUMB_CELLS * THUMB_CELLS);
  // Signals: one mark per (layer, column) with values.
  const marks = [...svg('signals.svg').matchAll(/role-mark (signals_\d+)_marks/g)].map((m) => m[1]);
  // The output's symmetry panel is empty (null for one unit), so 3 × 5 − 1 marks draw.
  assert.equal(new Set(marks).size, 3 * 5 - 1);

  // Past the diagram's limits there is no network.svg (the panel shows a table), but still the signals.
  const wide = {
    ...config,
    model: { ...config.model, layers: [2, MAX_DIAGRAM_UNITS + 1, 1] },
    train: { ...config.train, epochs: 20 },
  };
  const wideOutcome = await runJob(
    { kind: 'train', config: wide, baseDir: root, allowModules: false },
    { onEpoch: () => {}, shouldStop: () => false },
  );
  assert.ok(wideOutcome.kind === 'train');
  const wideFiles = await runChartFiles(
    chartRunFromResult('wide', wideOutcome.result, {
      config: wide,
      ...(wideOutcome.boundary ? { boundary: wideOutcome.boundary } : {}),
    }),
  );
  assert.deepEqual(
    wideFiles.map((f) => f.name),
    ['cost.svg', 'boundary.svg', 'signals.svg'],
  );
});
