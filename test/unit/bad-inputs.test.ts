// The bad-input table: each row is an input file, the exact first error the CLI and the editor show, and where.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadExperimentFile } from '../../src/node/experiment';
import { formatDiagnostic } from '../../src/cli/format';

const dir = join(process.cwd(), 'test/fixtures/bad-inputs');

interface Row {
  file: string;
  message: string;
  line: number;
  column: number;
  path: string;
}

const rows: Row[] = [
  { file: 'does-not-exist.nnlab.json', message: 'file not found', line: 1, column: 1, path: '' },
  { file: 'broken-json.nnlab.json', message: 'syntax error: expected ","', line: 5, column: 7, path: '' },
  {
    file: 'not-an-object.nnlab.json',
    message: 'an experiment file must be a JSON object with an "experiments" key',
    line: 1,
    column: 1,
    path: '',
  },
  {
    file: 'wrong-type.nnlab.json',
    message: 'epochs must be an integer, got the string "100"',
    line: 6,
    column: 28,
    path: 'experiments.a.train.epochs',
  },
  {
    file: 'unknown-key.nnlab.json',
    message: 'unknown key "learningrate" in train; did you mean "learningRate"?',
    line: 6,
    column: 18,
    path: 'experiments.a.train.learningrate',
  },
  {
    file: 'layers-mismatch.nnlab.json',
    message: 'layers[0] must equal the number of features of moons (2), got 3',
    line: 5,
    column: 29,
    path: 'experiments.a.model.layers[0]',
  },
  {
    file: 'negative-learning-rate.nnlab.json',
    message: 'learningRate must be > 0, got -0.1',
    line: 6,
    column: 34,
    path: 'experiments.a.train.learningRate',
  },
  {
    file: 'non-integer-epochs.nnlab.json',
    message: 'epochs must be an integer, got 10.5',
    line: 6,
    column: 28,
    path: 'experiments.a.train.epochs',
  },
  {
    file: 'batch-size-zero.nnlab.json',
    message: 'batchSize must be >= 1, got 0',
    line: 6,
    column: 31,
    path: 'experiments.a.train.batchSize',
  },
  {
    file: 'unknown-dataset.nnlab.json',
    message: 'unknown dataset "moon"; did you mean "moons"? (expected one of: moons, circles, xor, gauss, spiral, csv)',
    line: 4,
    column: 28,
    path: 'experiments.a.data.dataset',
  },
  {
    file: 'unknown-optimizer.nnlab.json',
    message: 'unknown optimizer "adma"; did you mean "adam"? (expected one of: gd, momentum, rmsprop, adam)',
    line: 6,
    column: 31,
    path: 'experiments.a.train.optimizer',
  },
  {
    file: 'csv-bad-row.nnlab.json',
    message: 'bad-row.csv:3:5: column "x2": "abc" is not a number',
    line: 4,
    column: 43,
    path: 'experiments.a.data.path',
  },
  {
    file: 'csv-missing.nnlab.json',
    message: 'nowhere.csv: cannot read the file (ENOENT)',
    line: 4,
    column: 43,
    path: 'experiments.a.data.path',
  },
  {
    file: 'softmax-units.nnlab.json',
    message: 'the last layer must have 3 units: a softmax output has one unit per class (3), got 2',
    line: 5,
    column: 35,
    path: 'experiments.a.model.layers[2]',
  },
  {
    file: 'missing-layers.nnlab.json',
    message: 'missing required key "layers" in model',
    line: 3,
    column: 5,
    path: 'experiments.a.model.layers',
  },
  {
    file: 'decay-without-every.nnlab.json',
    message: 'a step decay needs "every"',
    line: 6,
    column: 27,
    path: 'experiments.a.train.decay',
  },
];

for (const row of rows) {
  test(`bad input: ${row.file}`, () => {
    const loaded = loadExperimentFile(join(dir, row.file));
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    assert.ok(errors.length >= 1, 'expected an error');
    const first = errors[0]!;
    assert.equal(first.message, row.message);
    assert.deepEqual([first.line, first.column], [row.line, row.column]);
    const at = row.path ? ` [at ${row.path}]` : '';
    assert.equal(
      formatDiagnostic(row.file, first),
      `${row.file}:${row.line}:${row.column}: error: ${row.message}${at}`,
    );
    assert.equal(loaded.experiments.length, 0, 'an experiment with an error must not resolve');
  });
}
