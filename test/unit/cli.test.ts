// `nnlab` end to end: spawns the built CLI (dist/cli.js; `node scripts/build.mjs` first) and checks exit codes,
// the --json document, stderr positions and --out files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = process.cwd();
const cli = join(root, 'dist/cli.js');
const work = mkdtempSync(join(tmpdir(), 'nnlab-cli-'));

function nnlab(...args: string[]) {
  assert.ok(existsSync(cli), 'dist/cli.js is missing: run `node scripts/build.mjs` first');
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

/** Two tiny valid runs and one invalid one, so every case stays fast. */
const mixed = file(
  'mixed.nnlab.json',
  `{
  "defaults": { "data": { "dataset": "moons", "samples": 40, "test": { "seed": 9, "samples": 20 } }, "model": { "layers": [2, 3, 1] }, "train": { "epochs": 12 } },
  "experiments": {
    "gd": {},
    "broken": { "model": { "layers": [3, 3, 1] } },
    "adam": { "train": { "optimizer": "adam", "learningRate": 0.01, "batchSize": 16 } }
  }
}`,
);

test('--version and --help', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  assert.deepEqual(nnlab('--version'), { code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  const help = nnlab('--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^ {2}run +validate an experiment file/m);
  const runHelp = nnlab('run', '--help');
  assert.match(runHelp.stdout, /--jobs N/);
  assert.match(runHelp.stdout, /--threads N/);
});

test('usage errors exit 2 and name the option or the missing FILE', () => {
  for (const jobs of ['0', '1.5', 'abc']) {
    const r = nnlab('run', mixed, '--jobs', jobs);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      new RegExp(`^nnlab run: --jobs must be a positive integer, got ${jobs.replace('.', '\\.')}\n`),
    );
  }
  const threads = nnlab('run', mixed, '--threads', '0');
  assert.equal(threads.code, 2);
  assert.match(threads.stderr, /^nnlab run: --threads must be a positive integer, got 0\n/);
  assert.match(nnlab('run').stderr, /^nnlab run: missing the experiment FILE\n/);
  assert.match(nnlab('gradcheck', mixed, mixed).stderr, /^nnlab gradcheck: expected one FILE, got 2\n/);
});

test('an invalid file exits 2 with every error at its position on stderr and nothing on stdout', () => {
  const bad = file(
    'bad.nnlab.json',
    `{
  "experiments": {
    "a": { "data": { "dataset": "moons" }, "model": { "layers": [2, 1] }, "train": { "learningRate": -0.1, "epocs": 3 } }
  }
}`,
  );
  const r = nnlab('run', bad);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(
    r.stderr,
    `${bad}:3:102: error: learningRate must be > 0, got -0.1 [at experiments.a.train.learningRate]\n` +
      `${bad}:3:108: error: unknown key "epocs" in train; did you mean "epochs"? [at experiments.a.train.epocs]\n`,
  );
});

test('a missing file and an unknown -e name exit 2 with a clear message', () => {
  const missing = nnlab('run', 'no/such.nnlab.json');
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, 'no/such.nnlab.json:1:1: error: file not found\n');
  const unknown = nnlab('run', mixed, '-e', 'adma');
  assert.equal(unknown.code, 2);
  assert.match(
    unknown.stderr,
    /nnlab run: unknown experiment "adma"; did you mean "adam"\? \(experiments: gd, broken, adam\)/,
  );
});

test('--json: one document; the invalid experiment is an error row and the others still run (exit 1)', () => {
  const r = nnlab('run', mixed, '--json', '--jobs', '1');
  assert.equal(r.code, 1);
  const doc = JSON.parse(r.stdout) as { experiments: Record<string, unknown>[] };
  assert.deepEqual(
    doc.experiments.map((e) => [e.name, e.status]),
    [
      ['gd', 'ok'],
      ['broken', 'error'],
      ['adam', 'ok'],
    ],
  );
  const [gd, broken] = doc.experiments as any[];
  assert.equal(
    broken.error,
    '5:39: layers[0] must equal the number of features of moons (2), got 3 [at experiments.broken.model.layers[0]]',
  );
  assert.equal(gd.costs.length, 12);
  assert.ok(gd.costs.every((c: number) => Number.isFinite(c) && c > 0));
  assert.ok(gd.trainAccuracy >= 0 && gd.trainAccuracy <= 1);
  assert.equal(typeof gd.testAccuracy, 'number');
  assert.deepEqual(Object.keys(gd.parameters), ['W1', 'b1', 'W2', 'b2']);
  assert.deepEqual([gd.parameters.W1.length, gd.parameters.W1[0].length], [3, 2]);
  assert.deepEqual([gd.parameters.b2.length, gd.parameters.b2[0].length], [1, 1]);
  assert.ok(gd.durationMs >= 0);
  // The table names the error below it; stderr repeats the position.
  assert.match(r.stderr, /mixed\.nnlab\.json:5:39: error: layers\[0\] must equal/);
});

test('worker threads (--jobs 2) give the same numbers as one process', () => {
  const one = JSON.parse(nnlab('run', mixed, '--json', '--jobs', '1', '-e', 'gd', '-e', 'adam').stdout);
  const two = JSON.parse(nnlab('run', mixed, '--json', '--jobs', '2', '-e', 'gd', '-e', 'adam').stdout);
  const strip = (d: any) => d.experiments.map(({ durationMs: _, ...rest }: any) => rest);
  assert.deepEqual(strip(two), strip(one));
});

test('a diverging run is reported as diverged and exits 1; the table is the default output', () => {
  const path = file(
    'diverge.nnlab.json',
    `{ "experiments": { "boom": { "data": { "dataset": "moons", "samples": 20 }, "model": { "layers": [2, 4, 1] }, "train": { "learningRate": 1e308, "epochs": 50 } } } }`,
  );
  const r = nnlab('run', path);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^experiment +status/);
  assert.match(r.stdout, /^boom +diverged@\d+ /m);
  assert.match(r.stderr, /warning: learningRate 1e\+308 is very large/);
});

test('--out writes index.json and one folder per experiment: result.json equal to --json, plus the charts', () => {
  const out = join(work, 'out');
  const r = nnlab('run', mixed, '--json', '--out', out, '-j', '1');
  assert.equal(r.code, 1);
  const doc = JSON.parse(r.stdout) as { experiments: { name: string }[] };
  const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'));
  assert.deepEqual(
    index.experiments.map((e: any) => [e.name, e.status, e.dir, e.files]),
    [
      ['gd', 'ok', 'gd', ['result.json', 'cost.svg', 'boundary.svg', 'network.svg', 'signals.svg']],
      ['broken', 'error', 'broken', ['result.json']],
      ['adam', 'ok', 'adam', ['result.json', 'cost.svg', 'boundary.svg', 'network.svg', 'signals.svg']],
    ],
  );
  for (const e of doc.experiments) {
    assert.deepEqual(JSON.parse(readFileSync(join(out, e.name, 'result.json'), 'utf8')), e);
  }
  assert.match(readFileSync(join(out, 'gd', 'cost.svg'), 'utf8'), /^<svg/);
});

test('examples/optimization.nnlab.json -e adam reproduces the course: train accuracy 0.94', () => {
  const r = nnlab('run', 'examples/optimization.nnlab.json', '--json', '-e', 'adam');
  assert.equal(r.code, 0, r.stderr);
  const [adam] = JSON.parse(r.stdout).experiments;
  assert.equal(adam.name, 'adam');
  assert.equal(adam.costs.length, 10000);
  assert.ok(Math.abs(adam.trainAccuracy - 0.94) < 1e-12, `train accuracy ${adam.trainAccuracy}`);
  assert.equal(adam.testAccuracy, null);
  assert.ok(Math.abs(adam.costs[0] - 0.702166) < 1e-6, `epoch-0 cost ${adam.costs[0]}`);
});

test('--threads: a network past the course sizes trains to the same numbers on 1 and 2 threads', () => {
  const wide = file(
    'wide.nnlab.json',
    `{
  "experiments": {
    "wide": {
      "data": { "dataset": "gauss", "samples": 120, "classes": 3, "seed": 4 },
      "model": { "layers": [2, 96, 64, 3], "output": "softmax" },
      "train": { "optimizer": "adam", "learningRate": 0.01, "batchSize": 60, "epochs": 4 }
    }
  }
}`,
  );
  const one = nnlab('run', wide, '--json', '--threads', '1');
  const two = nnlab('run', wide, '--json', '--threads', '2');
  assert.equal(one.code, 0, one.stderr);
  assert.equal(two.code, 0, two.stderr);
  const result = (r: { stdout: string }) => {
    const { experiments } = JSON.parse(r.stdout) as {
      experiments: Array<{ costs: number[]; parameters: unknown; durationMs?: number }>;
    };
    return experiments.map(({ costs, parameters }) => ({ costs, parameters }));
  };
  assert.equal(result(one)[0]!.costs.length, 4);
  assert.deepEqual(result(two), result(one));
});
