/**
 * Optimizer paths (src/core/inspect/paths.ts, landscape.ts): the principal plane of known snapshots, its
 * determinism and orientation, the degenerate cases, and the optimization lab's three runs on one plane with the
 * cost over it, against an independent forward pass.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadExperimentFile } from '../../src/node/experiment';
import { loadTrainTest } from '../../src/node/datasets';
import { pointOnPlane, principalPlane, project } from '../../src/core/inspect/paths';
import { comparablePaths, LANDSCAPE_BUDGET, LANDSCAPE_CELLS, optimizerPaths } from '../../src/core/inspect/landscape';
import { createWorkspace, forwardLoss, network } from '../../src/core/nn/network';
import { parameterLayout } from '../../src/core/nn/params';
import { runJob } from '../../src/runner/job';
import type { Snapshot } from '../../src/core/types';
import { toPanelData, toWebviewMessage } from '../../src/protocol/webview';
import { fromWorkerMessage, toWorkerMessage } from '../../src/protocol/worker';

const root = join(__dirname, '..', '..', '..');
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, v, i) => s + v * b[i]!, 0);
const snaps = (points: number[][]): Snapshot[] => points.map((parameters, epoch) => ({ epoch, parameters }));

describe('optimizer paths: the principal plane', () => {
  // Offsets from the first run's last point (the origin) in the plane of u = (1,1,0,0,0)/√2, v = (0,0,1,0,0), with
  // more spread along u than along v and no correlation (Σ a·b = 0): PCA must find ±u then ±v, and projecting must
  // keep every distance.
  const center = [0.5, -1, 2, 3, 4];
  const at = (a: number, b: number) => center.map((c, j) => c + a * (j < 2 ? Math.SQRT1_2 : 0) + b * (j === 2 ? 1 : 0));
  const runs = [
    { snapshots: snaps([at(-4, -1), at(-2, 0.5), at(-1, 0.2), at(0, 0)]) },
    { snapshots: snaps([at(-4, -1), at(-3, 1), at(1, 0.8), at(2, -2.3)]) },
  ];

  it('spans the snapshots’ plane with orthonormal directions, the larger spread first, and keeps distances', () => {
    const plane = principalPlane(runs);
    const [d1, d2] = plane.directions;
    assert.ok(Math.abs(dot(d1, d1) - 1) < 1e-12 && Math.abs(dot(d2, d2) - 1) < 1e-12);
    assert.ok(Math.abs(dot(d1, d2)) < 1e-12);
    assert.ok(
      Math.abs(Math.abs(d1[0]!) - Math.SQRT1_2) < 1e-9 && Math.abs(Math.abs(d2[2]!) - 1) < 1e-9,
      `d1 ${d1}, d2 ${d2}`,
    );
    assert.ok(Math.abs(plane.explained[0] + plane.explained[1] - 1) < 1e-12, 'all movement lies in the plane');
    assert.ok(plane.explained[0] > plane.explained[1]);
    const all = runs.flatMap((r) => r.snapshots.map((s) => s.parameters));
    for (const a of all) {
      for (const b of all) {
        const pa = project(plane, a);
        const pb = project(plane, b);
        const inPlane = Math.hypot(pa.x - pb.x, pa.y - pb.y);
        assert.ok(Math.abs(inPlane - Math.hypot(...a.map((v, j) => v - b[j]!))) < 1e-9);
      }
    }
    // The origin is the first run's final point; its start lies at x ≤ 0, y ≤ 0.
    assert.deepEqual(project(plane, runs[0]!.snapshots[3]!.parameters), { x: 0, y: 0 });
    const start = project(plane, runs[0]!.snapshots[0]!.parameters);
    assert.ok(start.x <= 0 && start.y <= 0, JSON.stringify(start));
    const back = pointOnPlane(plane, start.x, start.y, new Float64Array(5));
    back.forEach((v, j) => assert.ok(Math.abs(v - runs[0]!.snapshots[0]!.parameters[j]!) < 1e-12));
  });

  it('is deterministic to the bit', () => {
    const a = principalPlane(runs);
    const b = principalPlane(JSON.parse(JSON.stringify(runs)));
    assert.deepEqual(a, b);
  });

  it('a path on a line gets a second direction with no share; runs that never moved get two', () => {
    const line = principalPlane([
      {
        snapshots: snaps([
          [0, 0, 0],
          [1, 2, 2],
          [3, 6, 6],
        ]),
      },
    ]);
    assert.equal(line.explained[1], 0);
    assert.ok(Math.abs(dot(line.directions[0], line.directions[1])) < 1e-15);
    assert.ok(Math.abs(dot(line.directions[1], line.directions[1]) - 1) < 1e-15);
    const still = principalPlane([
      {
        snapshots: snaps([
          [1, 1],
          [1, 1],
        ]),
      },
      {
        snapshots: snaps([
          [1, 1],
          [1, 1],
        ]),
      },
    ]);
    assert.deepEqual(still.explained, [0, 0]);
    assert.ok(Math.abs(dot(still.directions[0], still.directions[1])) < 1e-15);
  });

  it('refuses snapshots of different sizes', () => {
    assert.throws(
      () => principalPlane([{ snapshots: snaps([[1, 2]]) }, { snapshots: snaps([[1, 2, 3]]) }]),
      /has 3 parameters, not 2/,
    );
  });
});

describe('optimizer paths: the optimization lab', () => {
  const loaded = loadExperimentFile(join(root, 'examples', 'optimization.nnlab.json'));
  const configs = loaded.entries.map((e) => e.config!);

  it('three runs on one plane: one path per run with every snapshot, the cost over the plane from real forward passes', async () => {
    const runs = [];
    for (const config of configs) {
      const outcome = await runJob(
        { kind: 'train', config, baseDir: join(root, 'examples'), allowModules: false, boundary: false },
        { onEpoch: () => {}, shouldStop: () => false },
      );
      assert.ok(outcome.kind === 'train');
      runs.push({
        name: config.name,
        model: config.model,
        data: config.data,
        snapshots: outcome.result.inspection!.snapshots,
      });
    }
    assert.equal(comparablePaths(runs), true);
    assert.equal(
      comparablePaths([runs[0]!, { ...runs[1]!, model: { ...runs[1]!.model, layers: [2, 4, 2, 1] } }]),
      false,
    );
    assert.equal(comparablePaths([runs[0]!, { ...runs[1]!, data: { ...runs[1]!.data, seed: 4 } }]), false);
    assert.equal(comparablePaths([runs[0]!]), false);

    const outcome = await runJob(
      { kind: 'paths', config: configs[0]!, baseDir: join(root, 'examples'), runs },
      { onEpoch: () => {}, shouldStop: () => false },
    );
    assert.ok(outcome.kind === 'paths');
    const paths = outcome.paths;
    assert.equal(paths.origin, 'gd');
    assert.deepEqual(
      paths.runs.map((r) => [r.name, r.points.length]),
      runs.map((r) => [r.name, r.snapshots.length]),
    );
    assert.deepEqual(paths.runs[0]!.points.at(-1), { epoch: 10000, x: 0, y: 0 });
    // All three start from the same init, so at the same point.
    for (const r of paths.runs) assert.deepEqual(r.points[0], paths.runs[0]!.points[0]);
    assert.equal(paths.cost.length, LANDSCAPE_CELLS * LANDSCAPE_CELLS);
    assert.equal(paths.examples, 300);
    assert.ok(paths.cost.every(Number.isFinite));
    assert.ok(paths.explained[0] >= paths.explained[1] && paths.explained[0] + paths.explained[1] <= 1 + 1e-12);

    // Cell (i, j) is the cost at θ* + x_i·d₁ + y_j·d₂: recompute two cells from the plane and the data.
    const plane = principalPlane(runs);
    const data = loadTrainTest(configs[0]!.data, join(root, 'examples')).train;
    const layout = parameterLayout(configs[0]!.model.layers);
    const net = network(layout, configs[0]!.model.activation, configs[0]!.model.output);
    const ws = createWorkspace(configs[0]!.model.layers, 300, false);
    ws.A[0]!.set(data.X.data);
    ws.Y.set(data.Y.data);
    for (const [i, j] of [
      [0, 0],
      [7, 19],
    ] as const) {
      const x = paths.x.min + ((paths.x.max - paths.x.min) * i) / (paths.x.n - 1);
      const y = paths.y.min + ((paths.y.max - paths.y.min) * j) / (paths.y.n - 1);
      const cost = forwardLoss(net, pointOnPlane(plane, x, y, new Float64Array(layout.size)), ws, 300) / 300;
      assert.equal(paths.cost[j * paths.x.n + i], cost);
    }
    // The axes hold every point with a margin.
    for (const p of paths.runs.flatMap((r) => r.points))
      assert.ok(p.x > paths.x.min && p.x < paths.x.max && p.y > paths.y.min && p.y < paths.y.max);
  });

  it('a wide network is costed on evenly spaced examples within the budget', () => {
    const layers = [2, 200, 200, 1];
    const size = parameterLayout(layers).size;
    const snapshot = (k: number): Snapshot => ({
      epoch: k,
      parameters: Array.from({ length: size }, (_, j) => Math.sin(j * (k + 1)) * 0.05),
    });
    const m = 500;
    const train = {
      X: { rows: 2, cols: m, data: Float64Array.from({ length: 2 * m }, (_, t) => Math.cos(t)) },
      Y: { rows: 1, cols: m, data: Float64Array.from({ length: m }, (_, t) => t % 2) },
      classes: 2,
    };
    const paths = optimizerPaths(
      [
        { name: 'a', snapshots: [snapshot(0), snapshot(1)] },
        { name: 'b', snapshots: [snapshot(0), snapshot(2)] },
      ],
      { layers, activation: 'relu', output: 'sigmoid' },
      train,
      5,
    );
    assert.equal(paths.examples, Math.floor(LANDSCAPE_BUDGET / (25 * size)));
    assert.ok(paths.examples < m);
    assert.equal(paths.cost.length, 25);
  });
});

describe('optimizer paths: the guards at both boundaries', () => {
  const paths = {
    origin: 'gd',
    explained: [0.7, 0.2],
    runs: [
      {
        name: 'gd',
        points: [
          { epoch: 0, x: -1, y: -1 },
          { epoch: 5, x: 0, y: 0 },
        ],
      },
    ],
    x: { min: -2, max: 1, n: 2 },
    y: { min: -2, max: 1, n: 2 },
    cost: [1, 2, null, 0.5],
    examples: 300,
  };

  it('the webview takes well-formed paths (a non-finite cost as null) and names what is wrong', () => {
    const message = toWebviewMessage({ type: 'paths', paths });
    assert.ok(message.type === 'paths');
    assert.ok(Number.isNaN(message.paths.cost[2]));
    assert.throws(
      () => toWebviewMessage({ type: 'paths', paths: { ...paths, cost: [1, 2, 3] } }),
      /paths\.paths\.cost: expected 4 cells, got 3/,
    );
    const bad = { ...paths, runs: [{ name: 'gd', points: [{ epoch: 0, x: null, y: 0 }] }] };
    assert.throws(
      () => toWebviewMessage({ type: 'paths', paths: bad }),
      /paths\.paths\.runs\[0\]\.points\[0\]\.x: expected a finite number/,
    );
    assert.deepEqual(toPanelData({ view: 'compare', runs: [], paths }).paths?.origin, 'gd');
  });

  it('the worker takes a paths job of two or more runs', () => {
    const config = { name: 'gd', data: {}, model: {}, train: {} };
    const start = toWorkerMessage({
      type: 'start',
      runId: 1,
      kind: 'paths',
      config,
      baseDir: '/x',
      runs: [
        { name: 'a', snapshots: [] },
        { name: 'b', snapshots: [] },
      ],
    });
    assert.ok(start.type === 'start' && start.kind === 'paths' && start.runs.length === 2);
    assert.throws(
      () =>
        toWorkerMessage({
          type: 'start',
          runId: 1,
          kind: 'paths',
          config,
          baseDir: '/x',
          runs: [{ name: 'a', snapshots: [] }],
        }),
      /start\.runs: expected at least two runs/,
    );
    const back = fromWorkerMessage({ type: 'done', runId: 1, result: { kind: 'paths', paths } });
    assert.ok(back.type === 'done' && back.result.kind === 'paths' && back.result.paths.origin === 'gd');
  });
});
