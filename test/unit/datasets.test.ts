import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataConfig, Dataset } from '../../src/core/types';
import { DatasetError, circles, gauss, moons, spiral, xor } from '../../src/core/datasets';
import { classCount, featureCount, loadDataset, loadTrainTest } from '../../src/node/datasets';
import { linspace } from '../../src/core/datasets/linspace';
import { RandomState } from '../../src/core/random';
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
  return { dataset, samples: 100, noise: 0.1, seed: 1, factor: 0.8, classes: 2, ...over };
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
    const d =
      c.dataset === 'moons' ? moons(c.samples, c.noise, c.seed) : circles(c.samples, c.noise, c.seed, c.factor!);
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
  const byName = loadDataset(
    base('csv', { path: csvFile('named.csv', 'label,x\r\n1,0.5\r\n0,0.25\r\n'), label: 'label' }),
    dir,
  );
  assert.deepEqual(Array.from(byName.X.data), [0.5, 0.25]);
  assert.deepEqual(Array.from(byName.Y.data), [1, 0]);
  assert.deepEqual(byName.featureNames, ['x']);
});

test('csv: a bad row names the file and line', () => {
  const cases: [string, RegExp][] = [
    ['a,b,y\n1,2,0\n\n1,1,1\n1,1,0\n0,0,1\n4,5\n', /^data\.csv:7: expected 3 columns, found 2$/],
    ['a,b,y\n1,x,0\n', /^data\.csv:2:3: column "b": "x" is not a number$/],
    ['a,b,y\n1,2,\n', /^data\.csv:2:5: column "y": the cell is empty$/],
    ['a,b,y\n1,2,0.5\n', /^data\.csv:2:5: label "0.5" must be an integer class ≥ 0$/],
    ['a,b,y\n', /^data\.csv: no data rows after the header$/],
    ['', /^data\.csv: the file is empty; expected a header row$/],
  ];
  for (const [text, message] of cases) {
    const path = csvFile('data.csv', text);
    assert.throws(
      () => loadDataset(base('csv', { path }), dir),
      (e: unknown) => {
        assert.ok(e instanceof DatasetError);
        assert.match(e.message, message);
        assert.equal(e.file, 'data.csv');
        return true;
      },
    );
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
  assert.throws(
    () => loadDataset(base('csv', { path: 'missing.csv' }), dir),
    /^DatasetError: missing\.csv: cannot read the file \(ENOENT\)$/,
  );
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

test('csv numbers: one decimal grammar; NaN, hex, binary, octal and the like are refused with line and column', () => {
  const good: [string, number][] = [
    ['0', 0],
    ['-0', -0],
    ['+1', 1],
    ['1.', 1],
    ['.5', 0.5],
    ['-.5e1', -5],
    ['1e3', 1000],
    ['1E-3', 0.001],
    ['  2.5\t', 2.5],
    ['0.1', 0.1],
    // eslint-disable-next-line no-loss-of-precision -- the literal rounds exactly as the parser under test must
    ['123456789012345678901234567890', 123456789012345678901234567890],
    ['1e-400', 0],
    ['4.9e-324', 5e-324],
    ['1.7976931348623157e308', 1.7976931348623157e308],
    ['0.30000000000000004', 0.30000000000000004],
  ];
  for (const [cell, value] of good) {
    const d = loadDataset(base('csv', { path: csvFile('num.csv', `x,y\n${cell},1\n`) }), dir);
    assert.ok(Object.is(d.X.data[0], value), `${JSON.stringify(cell)} → ${d.X.data[0]}, expected ${value}`);
  }
  const bad: [string, RegExp][] = [
    ['0x10', /^num\.csv:2:3: column "x": "0x10" is hexadecimal; only decimal numbers are accepted$/],
    ['0b1', /^num\.csv:2:3: column "x": "0b1" is binary/],
    ['0o7', /^num\.csv:2:3: column "x": "0o7" is octal/],
    ['NaN', /^num\.csv:2:3: column "x": "NaN" is not a finite number/],
    ['-Infinity', /"-Infinity" is not a finite number/],
    ['1e400', /"1e400" is beyond the float64 range/],
    ['1_000', /"1_000" is not a number/],
    ['1e', /"1e" is not a number/],
    ['.', /"\." is not a number/],
    ['1.2.3', /"1\.2\.3" is not a number/],
    ['--1', /"--1" is not a number/],
    ['1 2', /"1 2" is not a number/],
  ];
  for (const [cell, message] of bad) {
    assert.throws(
      () => loadDataset(base('csv', { path: csvFile('num.csv', `a,x,y\n1,${cell},1\n`) }), dir),
      (e: unknown) => {
        assert.ok(e instanceof DatasetError);
        assert.match(e.message, message, cell);
        assert.deepEqual([e.line, e.column], [2, 3], cell);
        return true;
      },
    );
  }
});

test('csv numbers: the same bits as Number() for 20,000 random decimals of every length', () => {
  const rng = new RandomState(5);
  const cells: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    const digits = 1 + ri(rng, 0, 20);
    let text = '';
    for (let k = 0; k < digits; k++) text += String(ri(rng, 0, 10));
    const point = ri(rng, 0, digits + 1);
    text = `${text.slice(0, point)}.${text.slice(point)}`;
    if (text === '.') text = '0';
    if (ri(rng, 0, 2)) text = `-${text}`;
    if (ri(rng, 0, 3) === 0) text += `e${ri(rng, -330, 330)}`;
    cells.push(text);
  }
  const keep = cells.filter((c) => Number.isFinite(Number(c)));
  const d = loadDataset(
    base('csv', { path: csvFile('many.csv', `x,y\n${keep.map((c) => `${c},0`).join('\n')}\n`) }),
    dir,
  );
  assert.equal(d.X.cols, keep.length);
  keep.forEach((c, i) => assert.ok(Object.is(d.X.data[i], Number(c)), `${c}: ${d.X.data[i]} vs ${Number(c)}`));
});

test('csv: only regular files under the size cap are read; untrusted, only inside the given folders', () => {
  const cfg = (path: string) => base('csv', { path });
  assert.throws(
    () => loadDataset(cfg('/dev/zero'), dir),
    /^DatasetError: \/dev\/zero: this is a device, not a file; NN Lab reads data only from regular files$/,
  );
  assert.throws(() => loadDataset(cfg('.'), dir), /\.: this is a folder, not a file/);
  const fifo = join(dir, 'pipe.csv');
  spawnSync('mkfifo', [fifo]);
  // Opening a pipe for reading would wait for a writer; it is refused without waiting.
  assert.throws(() => loadDataset(cfg('pipe.csv'), dir), /pipe\.csv: this is a pipe \(FIFO\), not a file/);
  const path = csvFile('capped.csv', 'a,y\n1,0\n2,1\n');
  assert.throws(
    () => loadDataset(cfg(path), dir, { maxBytes: 8 }),
    /capped\.csv: the file is 0\.0 MB, over the 0\.0 MB NN Lab reads \(change it with the nnlab\.data\.maxFileMb setting/,
  );
  assert.equal(loadDataset(cfg(path), dir, { maxBytes: 64 }).X.cols, 2);
  assert.equal(loadDataset(cfg(path), dir, { roots: [dir] }).X.cols, 2);
  assert.throws(
    () => loadDataset(cfg(path), dir, { roots: [join(dir, 'elsewhere')] }),
    /capped\.csv: this file is outside the workspace folders, and this workspace is not trusted/,
  );
  symlinkSync('/dev/zero', join(dir, 'zero.csv'));
  assert.throws(() => loadDataset(cfg('zero.csv'), dir), /zero\.csv: this is a device/);
});

test('csv: a file read in chunks parses like one read whole (lines across chunk boundaries, a long line)', () => {
  const rows: string[] = [];
  const rng = new RandomState(9);
  for (let i = 0; i < 40_000; i++)
    rows.push(`${rng.randn(1, 1)[0]![0]!.toFixed(7)},${rng.randn(1, 1)[0]![0]!.toExponential(5)},${ri(rng, 0, 3)}`);
  const wide = Array.from({ length: 70_000 }, (_, i) => `c${i}`).join(',');
  const d = loadDataset(base('csv', { path: csvFile('chunks.csv', `a,b,y\r\n${rows.join('\r\n')}`) }), dir);
  assert.equal(d.X.cols, 40_000);
  rows.forEach((r, i) => {
    const [a, b, y] = r.split(',').map(Number);
    assert.ok(d.X.data[i] === a && d.X.data[40_000 + i] === b && d.Y.data[i] === y, `row ${i}`);
  });
  const long = loadDataset(
    base('csv', {
      path: csvFile('wide.csv', `${wide}\n${Array.from({ length: 70_000 }, (_, i) => i % 7).join(',')}\n`),
    }),
    dir,
  );
  assert.deepEqual([long.X.rows, long.X.cols, long.Y.data[0]], [69_999, 1, 69_999 % 7]);
});

test('csv: every cell lands at X[feature · m + row] across blocks, tiles and blank lines (37 features, 1,100 rows)', () => {
  // 37 features: two whole tiles of the block → X transpose and a partial one; 1,100 rows: two whole 512-row blocks
  // and a partial one; blank lines leave gaps in the capacity that are closed afterwards.
  const features = 37;
  const rng = new RandomState(37);
  const cells: string[][] = [];
  const lines = [`${Array.from({ length: features }, (_, f) => `f${f}`).join(',')},y`];
  for (let r = 0; r < 1100; r++) {
    const row = Array.from({ length: features }, () => rng.randn(1, 1)[0]![0]!.toFixed(4));
    cells.push(row);
    lines.push(`${row.join(',')},${r % 3}`);
    if (r % 250 === 0) lines.push('');
  }
  const d = loadDataset(base('csv', { path: csvFile('tiles.csv', `${lines.join('\n')}\n`) }), dir);
  assert.deepEqual([d.X.rows, d.X.cols, d.X.data.length], [features, 1100, features * 1100]);
  for (let r = 0; r < 1100; r++) {
    for (let f = 0; f < features; f++)
      assert.equal(d.X.data[f * 1100 + r], Number(cells[r]![f]), `row ${r} feature ${f}`);
    assert.equal(d.Y.data[r], r % 3);
  }
});

function ri(rng: RandomState, low: number, high: number): number {
  return rng.randint(low, high) as number;
}
