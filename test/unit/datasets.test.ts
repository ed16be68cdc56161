import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataConfig, Dataset } from '../../src/core/types';
import {
  DatasetError,
  circles,
  classCount,
  featureCount,
  gauss,
  loadDataset,
  loadTrainTest,
  moons,
  spiral,
  xor,
} from '../../src/core/datasets';
import { linspace } from '../../src/core/datasets/linspace';
import { loadFixture } from './fixtures';
import { ulpDistance } from './ulp';

interface Case {
  dataset: 'moons' | 'circles';
  seed: number;
  samples: number;
  noise: number;
  factor?: number;
  X: number[][];
  y: number[];
}
interface Trig {
  num: number;
  stop: number;
  endpoint: boolean;
  t: number[];
  cos: number[];
  sin: number[];
}
const fx = loadFixture<{ cases: Case[]; trig: Trig[] }>('datasets.json');

/**
 * numpy 1.24 on this AVX-512 machine evaluates np.cos/np.sin with SVML, which is not correctly rounded (44% of
 * grid points differ from the exact value, V8's Math.cos/sin 3.5%). Measured: trig values differ by at most 3 ulp,
 * and every generated coordinate by at most 2^-51 absolute (2 ulp of 1.0; relative ulps are large only near 0).
 */
const TRIG_MAX_ULP = 3;
const COORD_ABS_TOL = 2 ** -51;

function base(dataset: DataConfig['dataset'], over: Partial<DataConfig> = {}): DataConfig {
  return { dataset, samples: 100, noise: 0.1, seed: 1, factor: 0.8, ...over };
}

function point(d: Dataset, i: number): [number, number] {
  return [d.X.data[i]!, d.X.data[d.X.cols + i]!];
}

test('linspace equals numpy exactly; Math.cos/sin are within the measured ulps of numpy', () => {
  for (const t of fx.trig) {
    const ts = linspace(0, t.stop, t.num, t.endpoint);
    assert.deepEqual(Array.from(ts), t.t);
    for (let i = 0; i < t.num; i++) {
      assert.ok(ulpDistance(Math.cos(ts[i]!), t.cos[i]!) <= TRIG_MAX_ULP, `cos(${ts[i]})`);
      assert.ok(ulpDistance(Math.sin(ts[i]!), t.sin[i]!) <= TRIG_MAX_ULP, `sin(${ts[i]})`);
    }
  }
});

for (const c of fx.cases) {
  test(`${c.dataset} seed ${c.seed} n=${c.samples} noise=${c.noise}${c.factor !== undefined ? ` factor=${c.factor}` : ''} matches scikit-learn`, () => {
    const d = c.dataset === 'moons' ? moons(c.samples, c.noise, c.seed) : circles(c.samples, c.noise, c.seed, c.factor!);
    assert.deepEqual([d.X.rows, d.X.cols, d.Y.rows, d.Y.cols, d.classes], [2, c.samples, 1, c.samples, 2]);
    assert.deepEqual(Array.from(d.Y.data), c.y, 'labels after the shuffle are exact');
    let worst = 0;
    for (let i = 0; i < c.samples; i++) {
      const [x, y] = point(d, i);
      worst = Math.max(worst, Math.abs(x - c.X[i]![0]!), Math.abs(y - c.X[i]![1]!));
    }
    assert.ok(worst <= COORD_ABS_TOL, `worst coordinate difference ${worst}`);
  });
}

test('course reference: first circles and moons points and labels', () => {
  const train = loadDataset(base('circles', { samples: 300, noise: 0.05, seed: 1 }), '.');
  const expected = [
    [-0.07741354010048114, 0.8526022642742743],
    [0.43186959584803564, -0.8721450395952107],
    [0.07916502322979652, 0.8406610985900007],
  ];
  expected.forEach(([ex, ey], i) => {
    const [x, y] = point(train, i);
    assert.ok(Math.abs(x - ex!) <= COORD_ABS_TOL && Math.abs(y - ey!) <= COORD_ABS_TOL, `point ${i}: ${x}, ${y}`);
  });
  assert.deepEqual(Array.from(train.Y.data.subarray(0, 10)), [1, 0, 1, 1, 0, 0, 1, 0, 1, 1]);
  const m = loadDataset(base('moons', { samples: 300, noise: 0.2, seed: 3 }), '.');
  const firstMoons = [
    [-0.21687013460912397, 1.0154493742029873],
    [0.8050501531955674, -0.5579733951321297],
    [0.7112745129750352, -0.4100602407591064],
  ];
  firstMoons.forEach(([ex, ey], i) => {
    const [x, y] = point(m, i);
    assert.ok(Math.abs(x - ex!) <= COORD_ABS_TOL && Math.abs(y - ey!) <= COORD_ABS_TOL, `moons point ${i}`);
  });
});

test('loadTrainTest: the test set is the training config with test keys overriding', () => {
  const cfg = base('circles', { samples: 300, noise: 0.05, seed: 1, test: { samples: 100, seed: 2 } });
  const { train, test: testSet } = loadTrainTest(cfg, '.');
  assert.equal(train.X.cols, 300);
  assert.ok(testSet);
  const direct = circles(100, 0.05, 2, 0.8);
  assert.deepEqual(testSet.X.data, direct.X.data);
  assert.deepEqual(testSet.Y.data, direct.Y.data);
  assert.equal(loadTrainTest(base('moons'), '.').test, undefined);
});

test('generators reject bad parameters', () => {
  assert.throws(() => moons(0, 0.1, 1), /moons: samples must be a positive integer, got 0/);
  assert.throws(() => circles(10, -1, 1, 0.5), /circles: noise must be a finite number ≥ 0, got -1/);
  assert.throws(() => circles(10, 0.1, 1, 1), /circles: factor must be in \[0, 1\), got 1/);
  assert.throws(() => spiral(10, 0.1, 1, 1), /spiral: classes must be an integer ≥ 2, got 1/);
  assert.throws(() => loadDataset(base('csv'), '.'), /csv: data.path is required/);
});

test('xor: quadrant labels, points kept 0.3 off the axes, noise flips labels only near the axes', () => {
  const d = xor(500, 0, 4);
  assert.equal(d.classes, 2);
  for (let i = 0; i < 500; i++) {
    const [x, y] = point(d, i);
    assert.ok(Math.abs(x) >= 0.3 && Math.abs(x) <= 5.3 && Math.abs(y) >= 0.3 && Math.abs(y) <= 5.3);
    assert.equal(d.Y.data[i], x * y >= 0 ? 1 : 0);
  }
  const noisy = xor(500, 0.5, 4);
  // Noise draws happen even at noise 0, so the points themselves are identical.
  assert.deepEqual(noisy.X.data, d.X.data);
  let flipped = 0;
  for (let i = 0; i < 500; i++) {
    const [x, y] = point(noisy, i);
    if (noisy.Y.data[i] !== (x * y >= 0 ? 1 : 0)) flipped++;
  }
  assert.ok(flipped > 0 && flipped < 250, `flipped ${flipped}`);
});

test('gauss: class k centred at radius 2√2, angle 5π/4 + 2πk/K, spread √(0.5 + 7·noise)', () => {
  for (const K of [2, 3]) {
    const n = 3000 + 1;
    const d = gauss(n, 0.1, 9, K);
    assert.equal(d.classes, K);
    const sum = Array.from({ length: K }, () => [0, 0, 0, 0]);
    for (let i = 0; i < n; i++) {
      const [x, y] = point(d, i);
      const s = sum[d.Y.data[i]!]!;
      s[0]! += x;
      s[1]! += y;
      s[2]! += 1;
      s[3]! += x * x;
    }
    sum.forEach(([sx, sy, cnt, sxx], k) => {
      const angle = (5 * Math.PI) / 4 + (2 * Math.PI * k) / K;
      assert.ok(cnt === Math.floor(n / K) || cnt === Math.floor(n / K) + 1);
      assert.ok(Math.abs(sx! / cnt! - 2 * Math.SQRT2 * Math.cos(angle)) < 0.15, `class ${k} mean x`);
      assert.ok(Math.abs(sy! / cnt! - 2 * Math.SQRT2 * Math.sin(angle)) < 0.15, `class ${k} mean y`);
      const variance = sxx! / cnt! - (sx! / cnt!) ** 2;
      assert.ok(Math.abs(variance - 1.2) < 0.2, `class ${k} variance ${variance}`);
    });
  }
});

test('spiral: noise-free points lie on r = 5j/n_k; classes interleave; same seed, same data', () => {
  const d = spiral(301, 0, 5, 3);
  assert.equal(d.classes, 3);
  const sizes = [101, 100, 100];
  let i = 0;
  sizes.forEach((size, k) => {
    for (let j = 0; j < size; j++, i++) {
      const [x, y] = point(d, i);
      assert.equal(d.Y.data[i], k);
      assert.ok(Math.abs(Math.hypot(x, y) - (5 * j) / size) < 1e-12);
    }
  });
  assert.deepEqual(spiral(301, 0.2, 5, 3).X.data, spiral(301, 0.2, 5, 3).X.data);
  assert.notDeepEqual(spiral(301, 0.2, 5, 3).X.data, spiral(301, 0.2, 6, 3).X.data);
});

const dir = mkdtempSync(join(tmpdir(), 'nnlab-csv-'));
function csvFile(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

test('csv: header, feature columns, label by default last or by name', () => {
  const path = csvFile('data.csv', 'a,b,y\n1,2,0\n3.5,-4,1\n\n5,6e-1,2\n');
  const d = loadDataset(base('csv', { path }), dir);
  assert.deepEqual([d.X.rows, d.X.cols, d.classes], [2, 3, 3]);
  assert.deepEqual(Array.from(d.X.data), [1, 3.5, 5, 2, -4, 0.6]);
  assert.deepEqual(Array.from(d.Y.data), [0, 1, 2]);
  assert.deepEqual(d.featureNames, ['a', 'b']);
  assert.equal(featureCount(base('csv', { path }), dir), 2);
  assert.equal(classCount(base('csv', { path }), dir), 3);
  const byName = loadDataset(base('csv', { path: csvFile('named.csv', 'label,x\r\n1,0.5\r\n0,0.25\r\n'), label: 'label' }), dir);
  assert.deepEqual(Array.from(byName.X.data), [0.5, 0.25]);
  assert.deepEqual(Array.from(byName.Y.data), [1, 0]);
  assert.deepEqual(byName.featureNames, ['x']);
});

test('csv: a bad row names the file and line', () => {
  const cases: [string, RegExp][] = [
    ['a,b,y\n1,2,0\n\n1,1,1\n1,1,0\n0,0,1\n4,5\n', /^data\.csv:7: expected 3 columns, found 2$/],
    ['a,b,y\n1,x,0\n', /^data\.csv:2: column "b": "x" is not a number$/],
    ['a,b,y\n1,2,\n', /^data\.csv:2: column "y": "" is not a number$/],
    ['a,b,y\n1,2,0.5\n', /^data\.csv:2: label "0.5" must be an integer class ≥ 0$/],
    ['a,b,y\n', /^data\.csv: no data rows after the header$/],
    ['', /^data\.csv: the file is empty; expected a header row$/],
  ];
  for (const [text, message] of cases) {
    const path = csvFile('data.csv', text);
    assert.throws(() => loadDataset(base('csv', { path }), dir), (e: unknown) => {
      assert.ok(e instanceof DatasetError);
      assert.match(e.message, message);
      assert.equal(e.file, 'data.csv');
      return true;
    });
  }
  const line7 = (() => {
    try {
      loadDataset(base('csv', { path: csvFile('data.csv', cases[0]![0]) }), dir);
    } catch (e) {
      return (e as DatasetError).line;
    }
    return undefined;
  })();
  assert.equal(line7, 7);
  assert.throws(() => loadDataset(base('csv', { path: 'missing.csv' }), dir), /^DatasetError: missing\.csv: cannot read the file \(ENOENT\)$/);
  assert.throws(
    () => featureCount(base('csv', { path: csvFile('ok.csv', 'a,b\n1,0\n'), label: 'y' }), dir),
    /ok\.csv:1: no column named "y" \(columns: a, b\)/,
  );
});

test('featureCount and classCount answer without generating data', () => {
  assert.equal(featureCount(base('moons')), 2);
  assert.equal(classCount(base('moons')), 2);
  assert.equal(classCount(base('spiral', { classes: 4 })), 4);
  assert.equal(classCount(base('gauss')), 2);
  assert.equal(loadDataset(base('gauss', { classes: 4 }), '.').classes, 4);
});
