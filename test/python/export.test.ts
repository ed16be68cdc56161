/**
 * `nnlab export`: the exported numpy program, run by a real python3 with numpy and scikit-learn (Debian's
 * /usr/bin/python3; NNLAB_TEST_PYTHON picks another), gives NN Lab's epoch costs to a relative 1e-12 and the same
 * accuracies: the six course experiments, softmax on a CSV file, mini-batch Adam with decay, and dropout with L2.
 * The notebook form is valid nbformat 4 and runs top to bottom under `jupyter nbconvert --execute`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { exportCommand } from '../../src/cli/export';
import type { CliIO } from '../../src/cli/io';
import { loadExperimentFile } from '../../src/node/experiment';
import { spiral } from '../../src/core/datasets';
import { loadTrainTest } from '../../src/node/datasets';
import { trainExperiment } from '../../src/core/nn';
import type { ExperimentConfig, RunResult } from '../../src/core/types';

const run = promisify(execFile);
const python = process.env.NNLAB_TEST_PYTHON ?? '/usr/bin/python3';
const root = resolve(__dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'nnlab-export-'));

interface PythonResults {
  costs: number[];
  testCosts: number[];
  trainAccuracy: number | null;
  testAccuracy: number | null;
  status: string;
}

async function exportTo(file: string, experiment: string, format: 'py' | 'ipynb', out: string): Promise<void> {
  let stderr = '';
  const io: CliIO = { stdout: () => {}, stderr: (t) => void (stderr += t), stderrIsTTY: false, columns: 80 };
  const code = await exportCommand.run([file, '-e', experiment, '--format', format, '-o', out], io);
  assert.equal(code, 0, stderr);
}

function nnlabRun(file: string, experiment: string): { config: ExperimentConfig; result: RunResult } {
  const loaded = loadExperimentFile(file);
  const config = loaded.experiments.find((e) => e.name === experiment)!;
  return { config, result: trainExperiment(config, loadTrainTest(config.data, resolve(file, '..'))).result };
}

/** Every epoch's cost (and every test cost) to `tolerance` relative, and identical accuracies. */
function assertSameRun(
  label: string,
  ours: RunResult,
  theirs: PythonResults,
  epochs = ours.costs.length,
  tolerance = 1e-12,
): void {
  assert.equal(theirs.status, ours.status, `${label}: status`);
  // With costEvery > 1 NN Lab keeps the last epoch of each bucket of `every` epochs (and of a last, partial one);
  // the exported program keeps every epoch, so its series is thinned the same way before comparing.
  const every = ours.costSummary?.every ?? 1;
  if (every > 1) {
    const all = theirs.costs;
    theirs = { ...theirs, costs: all.filter((_, epoch) => (epoch + 1) % every === 0 || epoch === all.length - 1) };
  }
  assert.equal(theirs.costs.length, ours.costs.length, `${label}: epochs`);
  const compare = (name: string, a: readonly number[], b: readonly number[], n: number) => {
    for (let i = 0; i < n; i++) {
      const rel = Math.abs(a[i]! - b[i]!) / Math.abs(a[i]!);
      assert.ok(
        rel <= tolerance,
        `${label}: ${name}[${i}] NN Lab ${a[i]} vs numpy ${b[i]} (relative ${rel.toExponential(2)})`,
      );
    }
  };
  compare('cost', ours.costs, theirs.costs, epochs);
  if (ours.testCosts) {
    assert.equal(theirs.testCosts.length, ours.testCosts.length, `${label}: test costs`);
    compare('test cost', ours.testCosts, theirs.testCosts, Math.min(epochs, ours.testCosts.length));
  }
  assert.equal(theirs.trainAccuracy, ours.trainAccuracy, `${label}: train accuracy`);
  assert.equal(theirs.testAccuracy, ours.testAccuracy, `${label}: test accuracy`);
}

async function runScript(script: string, results: string): Promise<PythonResults> {
  await run(python, [script], { cwd: dir, env: { ...process.env, NNLAB_RESULTS: results }, maxBuffer: 1 << 24 });
  return JSON.parse(readFileSync(results, 'utf8')) as PythonResults;
}

async function checkExport(file: string, experiment: string, epochs?: number, tolerance?: number): Promise<void> {
  // Named after file and experiment: a script called random.py would shadow Python's own random module.
  const stem = `${file.split('/').pop()!.replace('.nnlab.json', '')}-${experiment}`;
  const script = join(dir, `${stem}.py`);
  await exportTo(file, experiment, 'py', script);
  const { result } = nnlabRun(file, experiment);
  assertSameRun(experiment, result, await runScript(script, join(dir, `${stem}.json`)), epochs, tolerance);
}

const examples = join(root, 'examples');

for (const experiment of ['zeros', 'he']) {
  test(`initialization lab, ${experiment}: every epoch's cost to 1e-12 and the accuracies`, () =>
    checkExport(join(examples, 'initialization.nnlab.json'), experiment));
}

test('initialization lab, random ×10: chaotic, so the costs agree to 1e-12 for the first 60 epochs only; the accuracies agree', async () => {
  // Math.cos/sin and numpy's differ by an ulp in a few of the circles' points (2^-51 relative); randn·10 saturates
  // the sigmoid and the run amplifies that: the costs part beyond 1e-12 after about 80 epochs (docs/python.md).
  await checkExport(join(examples, 'initialization.nnlab.json'), 'random', 60);
});

for (const experiment of ['gd', 'momentum', 'adam']) {
  test(`optimization lab, ${experiment}: every epoch's cost to 1e-12 and the accuracy`, () =>
    checkExport(join(examples, 'optimization.nnlab.json'), experiment));
}

// More: softmax over a CSV file (tanh, rmsprop, a CSV test set), mini-batch Adam with step decay, inverted dropout
// with L2 (leaky relu, nesterov momentum, exponential decay, a test cost every 5 epochs), and the Playground sets.
const extras = join(dir, 'extras.nnlab.json');
{
  const train = spiral(240, 0.1, 4, 3);
  const held = spiral(90, 0.1, 5, 3);
  const csv = (d: typeof train) =>
    `x1,x2,"class"\n${Array.from({ length: d.X.cols }, (_, j) => `${d.X.data[j]},${d.X.data[d.X.cols + j]},${d.Y.data[j]}`).join('\n')}\n`;
  writeFileSync(join(dir, 'spiral.csv'), csv(train));
  writeFileSync(join(dir, 'spiral-test.csv'), csv(held));
  writeFileSync(
    extras,
    JSON.stringify({
      experiments: {
        'softmax-csv': {
          data: { dataset: 'csv', path: 'spiral.csv', test: { path: 'spiral-test.csv' } },
          model: { layers: [2, 12, 8, 3], activation: 'tanh', output: 'softmax', init: 'xavier', seed: 2 },
          train: { optimizer: 'rmsprop', learningRate: 0.005, epochs: 400, batchSize: 32, shuffleSeed: 3 },
        },
        'adam-decay': {
          data: { dataset: 'moons', samples: 300, noise: 0.2, seed: 3 },
          model: { layers: [2, 5, 2, 1], init: 'he', seed: 3 },
          train: {
            optimizer: 'adam',
            learningRate: 0.01,
            epochs: 1500,
            batchSize: 64,
            decay: { type: 'step', rate: 1, every: 300 },
          },
        },
        // The Playground sets, drawn on numpy's RandomState by the exported program as NN Lab draws them.
        xor: {
          data: { dataset: 'xor', samples: 200, noise: 0.1, seed: 7 },
          model: { layers: [2, 6, 1] },
          train: { optimizer: 'adam', epochs: 200 },
        },
        gauss: {
          data: { dataset: 'gauss', samples: 150, noise: 0.2, seed: 8, classes: 3 },
          model: { layers: [2, 4, 3], output: 'softmax', activation: 'sigmoid' },
          train: { epochs: 200, learningRate: 0.1 },
        },
        spiral: {
          data: { dataset: 'spiral', samples: 200, noise: 0.2, seed: 9 },
          model: { layers: [2, 8, 1], activation: 'linear', init: 'random', initScale: 0.5 },
          train: { epochs: 200 },
        },
        'dropout-l2': {
          data: { dataset: 'circles', samples: 300, noise: 0.05, seed: 1, test: { seed: 2, samples: 100 } },
          model: { layers: [2, 10, 5, 1], activation: 'leaky_relu', keepProb: 0.86, init: 'he', seed: 3 },
          train: {
            optimizer: 'momentum',
            nesterov: true,
            learningRate: 0.05,
            epochs: 1500,
            l2: 0.7,
            decay: { type: 'exponential', rate: 0.9995 },
            costEvery: 5,
          },
        },
      },
    }),
  );
}

for (const experiment of ['softmax-csv', 'adam-decay', 'dropout-l2', 'xor', 'gauss', 'spiral']) {
  test(`${experiment}: every epoch's cost to 1e-12 and the accuracies`, () => checkExport(extras, experiment));
}

test('the notebook is valid nbformat 4 and runs top to bottom under jupyter nbconvert --execute, with the same costs', async () => {
  const notebook = join(dir, 'adam-decay.ipynb');
  await exportTo(extras, 'adam-decay', 'ipynb', notebook);
  const doc = JSON.parse(readFileSync(notebook, 'utf8')) as { nbformat: number; cells: Array<{ cell_type: string }> };
  assert.equal(doc.nbformat, 4);
  assert.deepEqual([...new Set(doc.cells.map((c) => c.cell_type))], ['markdown', 'code']);
  await run(python, [
    '-c',
    'import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))',
    notebook,
  ]);
  const results = join(dir, 'adam-decay-notebook.json');
  await run(
    'jupyter',
    ['nbconvert', '--to', 'notebook', '--execute', '--output', 'adam-decay.executed.ipynb', notebook],
    {
      cwd: dir,
      env: { ...process.env, NNLAB_RESULTS: results },
      maxBuffer: 1 << 24,
    },
  );
  const executed = JSON.parse(readFileSync(join(dir, 'adam-decay.executed.ipynb'), 'utf8')) as {
    cells: Array<{ cell_type: string; outputs?: Array<{ output_type: string; text?: string[] }> }>;
  };
  const printed = executed.cells
    .flatMap((c) => c.outputs ?? [])
    .flatMap((o) => o.text ?? [])
    .join('');
  assert.match(printed, /Cost after epoch 0: /);
  assert.match(printed, /Train accuracy: /);
  assert.ok(!executed.cells.some((c) => c.outputs?.some((o) => o.output_type === 'error')), 'no cell raised');
  assertSameRun(
    'adam-decay (notebook)',
    nnlabRun(extras, 'adam-decay').result,
    JSON.parse(readFileSync(results, 'utf8')) as PythonResults,
  );
});

test('a model-module experiment cannot be exported, and says why', async () => {
  let stderr = '';
  const io: CliIO = { stdout: () => {}, stderr: (t) => void (stderr += t), stderrIsTTY: false, columns: 80 };
  const code = await exportCommand.run(
    [join(examples, 'gradient-checking', 'python.nnlab.json'), '-e', 'python-fixed'],
    io,
  );
  assert.equal(code, 1);
  assert.match(
    stderr,
    /"python-fixed" checks a model module \(model\.module\); only experiments that train NN Lab's network can be exported/,
  );
});
