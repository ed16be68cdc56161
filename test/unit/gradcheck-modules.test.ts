/**
 * Model modules end to end: the course examples from their experiment file, and every way a module can break the
 * contract. The module worker is bundled fresh into a temp dir first, so these tests never run a stale dist/.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { resolveExperimentText } from '../../src/core/experiment';
import { datasetShape, loadExperimentFile, moduleExists } from '../../src/node/experiment';
import type { ExperimentConfig } from '../../src/core/types';
import { reportToJson, type GradcheckReport } from '../../src/core/gradcheck';
import { gradcheckExperiment } from '../../src/node/gradcheck/experiment';

const root = resolve(__dirname, '..', '..', '..');
const exampleDir = join(root, 'examples', 'gradient-checking');
const dir = mkdtempSync(join(tmpdir(), 'nnlab-modules-'));
// Inside the repo (out/ is build output), so the worker resolves esbuild from node_modules for .ts modules.
const workerScript = join(root, 'out', 'gradcheck-worker.test-build.js');

before(() => {
  buildSync({
    entryPoints: [join(root, 'src/worker/moduleWorker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: workerScript,
    logLevel: 'warning',
  });
});

const file = loadExperimentFile(join(exampleDir, 'gradient-checking.nnlab.json'));

function example(name: string): ExperimentConfig {
  const config = file.experiments.find((e) => e.name === name);
  assert.ok(
    config,
    `experiment ${name} in the example file (diagnostics: ${file.diagnostics.map((d) => d.message).join('; ')})`,
  );
  return config;
}

const failing = (r: GradcheckReport) => r.tensors.filter((t) => !t.passed).map((t) => t.name);

test('example one-d: J = θx, difference 2.919335883291695e-10, passes', async () => {
  const r = await gradcheckExperiment(example('one-d'), exampleDir, { workerScript });
  assert.equal(r.difference, 2.919335883291695e-10);
  assert.equal(r.passed, true);
});

test('example course-buggy: difference 0.2850931568, exactly W2 and b1 fail', async () => {
  const r = await gradcheckExperiment(example('course-buggy'), exampleDir, { workerScript });
  const numpy = 0.28509315684448966;
  assert.ok(Math.abs(r.difference - numpy) / numpy <= 1e-6, `difference ${r.difference}`);
  assert.equal(r.passed, false);
  assert.deepEqual(failing(r), ['b1', 'W2']);
  assert.deepEqual(
    r.tensors.filter((t) => t.passed).map((t) => t.name),
    ['W1', 'b2', 'W3', 'b3'],
  );
  assert.match(r.message, /mistake in the gradient of b1, W2/);
  // The lab's bugs scale whole tensors: every W2 entry is off by a factor of 2, every b1 entry by 4.
  const w2 = r.tensors.find((t) => t.name === 'W2')!;
  const big = (x: { numeric: number }) => Math.abs(x.numeric) > 1e-3;
  assert.ok(w2.entries.filter(big).length >= 3);
  for (const e of w2.entries.filter(big))
    assert.ok(Math.abs(e.analytic / e.numeric - 2) < 1e-4, `W2${JSON.stringify(e)}`);
  const b1 = r.tensors.find((t) => t.name === 'b1')!;
  assert.ok(b1.entries.filter(big).length >= 2);
  for (const e of b1.entries.filter(big))
    assert.ok(Math.abs(e.analytic / e.numeric - 4) < 1e-4, `b1${JSON.stringify(e)}`);
  // The JSON shape of `nnlab gradcheck --json`, parameters in declared order.
  const json = reportToJson('course-buggy', r);
  assert.deepEqual(Object.keys(json).slice(0, 5), ['name', 'difference', 'passed', 'epsilon', 'threshold']);
  assert.deepEqual(
    json.parameters.map((p) => [p.name, p.shape, p.passed]),
    [
      ['W1', [5, 4], true],
      ['b1', [5, 1], false],
      ['W2', [3, 5], false],
      ['b2', [3, 1], true],
      ['W3', [1, 3], true],
      ['b3', [1, 1], true],
    ],
  );
  assert.deepEqual(Object.keys(json.parameters[2]!.worst[0]!), [
    'index',
    'analytic',
    'numeric',
    'relativeError',
    'kink',
  ]);
});

test('example course-fixed: difference ≈ 1.19e-7, passes with every tensor', async () => {
  const r = await gradcheckExperiment(example('course-fixed'), exampleDir, { workerScript });
  assert.ok(Math.abs(r.difference - 1.19e-7) < 0.01e-7, `difference ${r.difference}`);
  assert.equal(r.passed, true);
  assert.deepEqual(failing(r), []);
});

test("example network: NN Lab's own backprop with L2 on moons passes", async () => {
  const r = await gradcheckExperiment(example('network'), exampleDir);
  assert.equal(r.passed, true, r.message);
  assert.equal(r.tensors.length, 6);
});

// ---- Bad modules: each gets a message naming what is wrong.

function moduleFile(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

/** A two-tensor model J = Σ (W·x + b)² / 2 with setup; the variants below break one thing each. */
const GOOD = `
function setup() { return { params: { W: [[1, 2, 3], [4, 5, 6]], b: [[0.5], [-1]] }, X: [[1], [-1], [2]], Y: [[0]] }; }
function forward(p, X) {
  const z = p.W.map((row, i) => row.reduce((s, w, k) => s + w * X[k][0], 0) + p.b[i][0]);
  return { cost: z.reduce((s, v) => s + v * v / 2, 0), cache: z };
}
function backward(p, X, Y, z) {
  return { dW: z.map((zi) => X.map((x) => zi * x[0])), db: z.map((zi) => [zi]) };
}
`;

function config(module: string): ExperimentConfig {
  const c = example('one-d');
  return { ...c, name: module, model: { ...c.model, module } };
}

async function expectModuleError(module: string, message: RegExp, timeoutMs?: number): Promise<void> {
  await assert.rejects(
    gradcheckExperiment(config(module), dir, { workerScript, ...(timeoutMs ? { timeoutMs } : {}) }),
    (e: unknown) => {
      assert.ok(e instanceof Error && e.name === 'ModelModuleError', String(e));
      assert.match(e.message, message);
      return true;
    },
  );
}

test('a good module passes; .mjs and .ts modules load too', async () => {
  const cjs = moduleFile('good.cjs', `${GOOD}\nmodule.exports = { setup, forward, backward };`);
  const mjs = moduleFile('good.mjs', `${GOOD}\nexport { setup, forward, backward };`);
  const ts = moduleFile(
    'good.ts',
    `type Rows = number[][];\n${GOOD.replace('function setup()', 'export function setup()').replace('function forward(p, X)', 'export function forward(p: { W: Rows; b: Rows }, X: Rows)').replace('function backward(p, X, Y, z)', 'export function backward(p: unknown, X: Rows, Y: Rows, z: number[])')}`,
  );
  for (const m of [cjs, mjs, ts]) {
    const r = await gradcheckExperiment(config(m), dir, { workerScript });
    assert.equal(r.passed, true, `${m}: ${r.message}`);
    assert.deepEqual(
      r.tensors.map((t) => [t.name, t.shape]),
      [
        ['W', [2, 3]],
        ['b', [2, 1]],
      ],
    );
  }
});

test('a module that throws: the function, the error and where', async () => {
  const m = moduleFile(
    'throws.js',
    `${GOOD}\nmodule.exports = { setup, forward: () => { throw new TypeError('boom'); }, backward };`,
  );
  await expectModuleError(m, /^throws\.js: forward\(\) threw TypeError: boom \(at .*throws\.js:\d+:\d+\)/);
});

test('a module that hangs is stopped at the time limit, naming the entry it was stuck on', async () => {
  const m = moduleFile(
    'hangs.js',
    `${GOOD}\nmodule.exports = { setup, backward, forward: (p, X, Y) => { if (p.W[0][1] !== 2) for (;;) {} return forward(p, X, Y); } };`,
  );
  // The limit that stopped it is the one given (300 ms, not the default), and nothing of the hung module is left
  // in the way: the next check, of a good module, passes.
  await expectModuleError(
    m,
    /^hangs\.js: no answer within 300 ms while running forward\(\) for W\[0,1\] ± ε; the module was stopped/,
    300,
  );
  const good = moduleFile('after-hang.js', `${GOOD}\nmodule.exports = { setup, forward, backward };`);
  assert.equal((await gradcheckExperiment(config(good), dir, { workerScript })).passed, true);
});

test('wrong gradient shape: names the gradient, its shape and the expected one', async () => {
  const m = moduleFile(
    'shape.js',
    `${GOOD}\nmodule.exports = { setup, forward, backward: (p, X, Y, z) => ({ ...backward(p, X, Y, z), dW: [[1, 2], [3, 4], [5, 6]] }) };`,
  );
  await expectModuleError(m, /^shape\.js: backward\(\) returned dW as 3×2; expected 2×3, the shape of W$/);
});

test('missing gradient: names it and the shape expected', async () => {
  const m = moduleFile(
    'missing.js',
    `${GOOD}\nmodule.exports = { setup, forward, backward: (p, X, Y, z) => ({ dW: backward(p, X, Y, z).dW }) };`,
  );
  await expectModuleError(
    m,
    /^missing\.js: backward\(\) did not return db; expected a 2×1 matrix \(the gradient of b\)$/,
  );
});

test('no exports: says what a module must export', async () => {
  const m = moduleFile('empty.js', `// nothing here\n`);
  await expectModuleError(
    m,
    /^empty\.js exports no forward or backward function; a model module exports forward\(params, X, Y\) and backward\(params, X, Y, cache\)/,
  );
  const half = moduleFile('half.js', `${GOOD}\nmodule.exports = { forward };`);
  await expectModuleError(half, /^half\.js does not export backward\(params, X, Y, cache\)/);
});

test('bad setup and forward results are named', async () => {
  const badParams = moduleFile(
    'badparams.js',
    `${GOOD}\nmodule.exports = { setup: () => ({ ...setup(), params: { W: [[1, 'x']] } }), forward, backward };`,
  );
  await expectModuleError(badParams, /^badparams\.js: setup\(\) params\.W\[0\]\[1\] is string "x"; expected a number$/);
  const badCost = moduleFile(
    'badcost.js',
    `${GOOD}\nmodule.exports = { setup, forward: () => ({ loss: 1 }), backward };`,
  );
  await expectModuleError(
    badCost,
    /^badcost\.js: forward\(\) returned an object; expected a number \(the cost\) or \{ cost, cache \}$/,
  );
});

test('without setup the experiment supplies data and initial parameters (W1, b1, …)', async () => {
  const m = moduleFile(
    'nosetup.js',
    `exports.forward = (p, X) => ({ cost: p.W1.flat().reduce((s, w) => s + w * w, 0) + p.b1.flat().reduce((s, b) => s + b, 0) * X.length, cache: X.length });
exports.backward = (p, X, Y, n) => ({ dW1: p.W1.map((r) => r.map((w) => 2 * w)), db1: p.b1.map(() => [n]) });`,
  );
  // The example experiment gives neither data nor layers (its modules have setup); this one gives both.
  const { omitted: _, ...c } = config(m);
  const data = { ...c.data, dataset: 'moons' as const, samples: 50 };
  const r = await gradcheckExperiment({ ...c, data, model: { ...c.model, layers: [2, 3] } }, dir, { workerScript });
  assert.equal(r.passed, true, r.message);
  assert.deepEqual(
    r.tensors.map((t) => [t.name, t.shape]),
    [
      ['W1', [3, 2]],
      ['b1', [3, 1]],
    ],
  );
});

test('a module experiment with neither "data" nor "layers" validates, and its setup(nn) check runs', async () => {
  const m = moduleFile('setup-only.js', `${GOOD}\nmodule.exports = { setup, forward, backward };`);
  const text = JSON.stringify({ experiments: { mine: { model: { module: `./${m}` } } } });
  const resolved = resolveExperimentText(text, { baseDir: dir, dataShape: datasetShape, moduleExists });
  assert.deepEqual(
    resolved.diagnostics.map((d) => d.message),
    [],
  );
  const [c] = resolved.experiments;
  assert.deepEqual(c!.omitted, ['data', 'model.layers']);
  assert.deepEqual(c!.model.layers, []);
  const r = await gradcheckExperiment(c!, dir, { workerScript });
  assert.equal(r.passed, true, r.message);
});

test('a module without setup(nn) and an experiment without "data" (or "layers"): the check names the missing keys', async () => {
  const m = moduleFile('no-setup-no-data.js', `exports.forward = () => 0;\nexports.backward = () => ({});`);
  const resolve = (model: Record<string, unknown>, data?: Record<string, unknown>) => {
    const text = JSON.stringify({
      experiments: { mine: { model: { module: `./${m}`, ...model }, ...(data ? { data } : {}) } },
    });
    const resolved = resolveExperimentText(text, { baseDir: dir, dataShape: datasetShape, moduleExists });
    assert.deepEqual(
      resolved.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
      [],
    );
    return resolved.experiments[0]!;
  };
  await assert.rejects(gradcheckExperiment(resolve({}), dir, { workerScript }), (e: unknown) => {
    assert.match(
      String((e as Error).message),
      /has no setup\(nn\).*the experiment has no "data" and "model\.layers"; give them in the experiment/,
    );
    return true;
  });
  await assert.rejects(gradcheckExperiment(resolve({ layers: [2, 3, 1] }), dir, { workerScript }), (e: unknown) => {
    assert.match(String((e as Error).message), /the experiment has no "data"; give it/);
    return true;
  });
  await assert.rejects(gradcheckExperiment(resolve({}, { dataset: 'moons' }), dir, { workerScript }), (e: unknown) => {
    assert.match(String((e as Error).message), /the experiment has no "model\.layers"; give it/);
    return true;
  });
});

test('only a model module makes "data" and "layers" optional; a data block without its dataset is still an error', () => {
  const messages = (experiment: Record<string, unknown>) =>
    resolveExperimentText(JSON.stringify({ experiments: { e: experiment } }), {
      baseDir: exampleDir,
      dataShape: datasetShape,
      moduleExists,
    }).diagnostics.map((d) => d.message);
  assert.deepEqual(messages({ model: { module: './one_d.js' } }), []);
  assert.deepEqual(messages({}).sort(), [
    'missing required key "dataset" in data',
    'missing required key "layers" in model',
  ]);
  assert.deepEqual(messages({ model: { module: './one_d.js' }, data: { samples: 10 } }), [
    'missing required key "dataset" in data',
  ]);
});
