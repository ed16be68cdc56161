/**
 * The config types and schema.ts are one source of truth: the `@ts-expect-error` lines below must each fail to
 * compile (`npm run typecheck` fails if one ever compiles), and the run-time checks pin the enums and defaults.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { experimentSections, fieldAt, type FieldsOf } from '../../src/core/experiment/schema';
import { withSchemaDefaults } from '../../src/core/experiment/defaults';
import { resolveExperimentText } from '../../src/core/experiment';
import { datasetShape, moduleExists } from '../../src/node/experiment';
import type { ExperimentConfig, OptimizerKind } from '../../src/core/types';
import { checkRunRecord, RUN_RECORD_FORMAT } from '../../src/runner/history';

interface Sample {
  rate: number;
  kind: 'a' | 'b';
  note?: string;
}

const good: FieldsOf<Sample> = {
  rate: { kind: 'number', description: 'r', default: 1 },
  kind: {
    kind: 'enum',
    description: 'k',
    required: true,
    values: [{ value: 'a', doc: 'A' }],
  },
  note: { kind: 'string', description: 'n' },
};

test('a schema that disagrees with its interface does not compile', () => {
  const wrong: FieldsOf<Sample>[] = [
    // @ts-expect-error a key the interface lacks
    { ...good, extra: { kind: 'number', description: 'x', default: 1 } },
    // @ts-expect-error a key the interface has, missing from the schema
    { kind: good.kind, note: good.note },
    // @ts-expect-error a number key described as a string
    { ...good, rate: { kind: 'string', description: 'r', default: 1 } },
    // @ts-expect-error a default of the wrong type
    { ...good, rate: { kind: 'number', description: 'r', default: '1' } },
    // @ts-expect-error a key every config has, with neither a default nor `required`
    { ...good, rate: { kind: 'number', description: 'r' } },
    // @ts-expect-error a key a config may lack, with a default that would always fill it
    { ...good, note: { kind: 'string', description: 'n', default: '' } },
    // @ts-expect-error an enum value the union lacks
    { ...good, kind: { kind: 'enum', description: 'k', required: true, values: [{ value: 'c', doc: 'C' }] } },
  ];
  assert.equal(wrong.length, 7);
});

test("the enum types are the schema's values", () => {
  const optimizers: OptimizerKind[] = ['gd', 'momentum', 'rmsprop', 'adam'];
  const field = fieldAt(['defaults', 'train', 'optimizer']);
  assert.equal(field?.kind, 'enum');
  assert.deepEqual(field.kind === 'enum' && field.values.map((v) => v.value), optimizers);
});

test("a resolved config has every key of the schema that has a default, with the schema's value", () => {
  const text = '{ "experiments": { "a": { "data": { "dataset": "moons" }, "model": { "layers": [2, 1] } } } }';
  const { experiments } = resolveExperimentText(text, {
    baseDir: process.cwd(),
    dataShape: datasetShape,
    moduleExists,
  });
  const config = experiments[0]!;
  for (const section of ['data', 'model', 'train'] as const) {
    for (const [key, field] of Object.entries(experimentSections[section].properties)) {
      if (field.default !== undefined)
        assert.deepEqual(
          (config[section] as unknown as Record<string, unknown>)[key],
          field.default,
          `${section}.${key}`,
        );
    }
  }
  assert.equal(config.train.costEvery, 1);
  assert.equal(config.data.classes, 2);
});

test('a run stored before costEvery existed reads back with the default, so its chart has a stride, not NaN', () => {
  const old = {
    name: 'old',
    data: { dataset: 'moons' },
    model: { layers: [2, 1] },
    train: { epochs: 10 },
  } as unknown as ExperimentConfig;
  assert.equal(withSchemaDefaults(old).train.costEvery, 1);
  assert.equal(withSchemaDefaults(old).train.epochs, 10);
  const record = checkRunRecord({
    format: RUN_RECORD_FORMAT,
    nnlabVersion: '0.1.0',
    file: '/ws/a.nnlab.json',
    workspaceFile: 'a.nnlab.json',
    experiment: 'old',
    finishedAt: '2026-11-26T20:00:00.000Z',
    config: old,
    result: {
      name: 'old',
      status: 'ok',
      costs: [1],
      trainAccuracy: 1,
      testAccuracy: null,
      parameters: {},
      durationMs: 1,
    },
  });
  assert.equal(typeof record, 'object');
  assert.equal(typeof record === 'object' && record.config.train.costEvery, 1);
});
