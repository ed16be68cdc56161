/**
 * The checks that need several keys at once, run on an experiment after `defaults` are merged (and, for a
 * sweep, on every trial): required keys, discriminated objects (decay), the data against the model's input
 * and output layers, and files the experiment names. Each reports through a Report bound to a locator. Files are
 * seen only through the DataContext's functions (src/node/experiment gives the file system's), so the checks run
 * anywhere.
 */
import { DEFAULT_WORKER_MEMORY_MB, trainingMemoryProblem } from '../limits';
import type { DataConfig, ExperimentConfig } from '../types';
import type { DataShape, DataShapeProvider } from './dataShape';
import type { Diagnostic, JsonPath } from './diagnostics';
import type { ExperimentLocator } from './locator';
import type { Located } from './merge';
import { experimentSections, type Field, type ObjectField } from './schema';
import type { CheckContext } from './validate';

export type Report = (code: string, message: string, relPath: JsonPath, extras?: Partial<Diagnostic>) => void;

/** Whether a model module exists: `module` as the experiment names it, relative to `baseDir`. */
export type ModuleExists = (module: string, baseDir: string) => boolean;

/** Where data and model modules are read from. */
export interface DataContext {
  /** The experiment file's folder: CSV paths and model modules are relative to it. */
  baseDir: string;
  dataShape: DataShapeProvider;
  moduleExists: ModuleExists;
  /** The worker memory limit in MB that training will have (default DEFAULT_WORKER_MEMORY_MB). */
  workerMemoryMb?: number;
}

/**
 * Keys a model-module experiment may leave out: its setup(nn) supplies parameters and data. `data.dataset` only
 * when the whole `data` block is absent (a block without its dataset is a mistake either way).
 */
function suppliedByModule(at: ExperimentLocator, section: string, key: string): boolean {
  if (!at.located(['model', 'module'])) return false;
  if (section === 'model' && key === 'layers') return true;
  return section === 'data' && key === 'dataset' && !at.located(['data']);
}

export function checkRequired(at: ExperimentLocator, report: Report, swept: readonly string[]): void {
  for (const [section, field] of Object.entries(experimentSections)) {
    for (const [key, child] of Object.entries(field.properties)) {
      if (
        child.required &&
        !at.located([section, key]) &&
        !swept.includes(`${section}.${key}`) &&
        !suppliedByModule(at, section, key)
      ) {
        report('required', `missing required key "${key}" in ${section}`, [section, key]);
      }
    }
  }
  const dataset = at.located(['data', 'dataset'])?.node.value;
  if (dataset === 'csv' && !at.located(['data', 'path']) && !swept.includes('data.path')) {
    report('required', 'dataset "csv" needs "path" (the CSV file, relative to this file)', ['data', 'path']);
  }
}

/** Discriminated objects (decay) are checked after merging, since defaults and experiment may each hold part. */
export function checkVariants(at: ExperimentLocator, ctx: CheckContext, report: Report): void {
  const visit = (field: Field, relPath: JsonPath): void => {
    if (field.kind !== 'object') return;
    const located = at.located(relPath);
    if (!located?.props) return;
    if (field.variants) checkVariant(field, located, relPath, ctx, report);
    for (const [key, child] of Object.entries(field.properties)) visit(child, [...relPath, key]);
  };
  for (const [section, field] of Object.entries(experimentSections)) visit(field, [section]);
}

function checkVariant(
  field: ObjectField,
  located: Located,
  relPath: JsonPath,
  ctx: CheckContext,
  report: Report,
): void {
  const { discriminator, cases } = field.variants!;
  const name = String(relPath[relPath.length - 1]);
  const tag = located.props!.get(discriminator);
  if (!tag) {
    report('required', `${name} needs "${discriminator}" (one of ${Object.keys(cases).join(', ')})`, relPath);
    return;
  }
  if (ctx.byNode.has(tag.node)) return;
  const variant = cases[tag.node.value as string];
  if (!variant) return;
  for (const key of variant.required) {
    if (!located.props!.has(key))
      report('required', `${article(String(tag.node.value))} ${name} needs "${key}"`, relPath);
  }
  for (const key of located.props!.keys()) {
    if (Object.hasOwn(field.properties, key) && !variant.allowed.includes(key)) {
      report('unknown-key', `"${key}" does not apply to ${article(String(tag.node.value))} ${name}`, [...relPath, key]);
    }
  }
}

function shapeOf(data: DataConfig, options: DataContext): DataShape | string | undefined {
  try {
    return options.dataShape(data, options.baseDir);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Reads what the data looks like; problems point at `data.path` (CSV) or `data.dataset`. */
export function checkData(
  config: ExperimentConfig,
  at: ExperimentLocator,
  options: DataContext,
  report: Report,
): DataShape | undefined {
  const data = config.data;
  // A placeholder (a model module supplies the data) is not the user's and is never loaded.
  if (config.omitted?.includes('data')) return undefined;
  if (!data.dataset || (data.dataset === 'csv' && !data.path)) return undefined;
  const where = (prefix: JsonPath): JsonPath => (data.dataset === 'csv' ? [...prefix, 'path'] : [...prefix, 'dataset']);
  const shape = shapeOf(data, options);
  if (shape === undefined) return undefined;
  if (typeof shape === 'string') {
    report('data', shape, where(['data']));
    return undefined;
  }
  if (data.test && (data.test.path !== undefined || data.test.dataset !== undefined || data.test.label !== undefined)) {
    const testData = { ...data, ...data.test } as DataConfig;
    delete testData.test;
    const testShape = shapeOf(testData, options);
    const testWhere: JsonPath = at.located(['data', 'test', 'path']) ? ['data', 'test', 'path'] : ['data', 'test'];
    if (testShape === undefined) return shape;
    if (typeof testShape === 'string') report('data', testShape, testWhere);
    else if (testShape.features !== shape.features) {
      report(
        'data',
        `the test set has ${testShape.features} features but the training set has ${shape.features}`,
        testWhere,
      );
    }
  }
  return shape;
}

export function checkModel(
  config: ExperimentConfig,
  shape: DataShape | undefined,
  at: ExperimentLocator,
  options: DataContext,
  report: Report,
): void {
  const { model, data } = config;
  if (model.module !== undefined && !options.moduleExists(model.module, options.baseDir)) {
    report(
      'module',
      `cannot find the model module ${JSON.stringify(model.module)} (paths are relative to the experiment file)`,
      ['model', 'module'],
    );
  }
  const layers = model.layers;
  if (!shape || layers.length < 2 || !layers.every((n) => Number.isInteger(n) && n >= 1)) return;
  const source = data.dataset === 'csv' ? JSON.stringify(data.path) : data.dataset;
  const first = layers[0]!;
  if (first !== shape.features) {
    const span = at.span(['model', 'layers', 0]);
    report(
      'layers-input',
      `layers[0] must equal the number of features of ${source} (${shape.features}), got ${first}`,
      ['model', 'layers', 0],
      {
        fix: {
          title: `Set layers[0] to ${shape.features}`,
          offset: span.offset,
          length: span.length,
          newText: String(shape.features),
        },
      },
    );
  }
  const memory = trainingMemoryProblem(
    layers,
    config.train.optimizer,
    config.train.batchSize,
    shape.samples,
    options.workerMemoryMb ?? DEFAULT_WORKER_MEMORY_MB,
  );
  if (memory) report('memory', memory, ['model', 'layers']);
  const lastIndex = layers.length - 1;
  const last = layers[lastIndex]!;
  if (model.output === 'sigmoid' && shape.classes > 2) {
    const where: JsonPath = at.located(['model', 'output']) ? ['model', 'output'] : ['model', 'layers', lastIndex];
    report(
      'output',
      `a sigmoid output needs 2 classes, but ${source} has ${shape.classes}; use "output": "softmax" with ${shape.classes} output units`,
      where,
    );
    return;
  }
  const want = model.output === 'sigmoid' ? 1 : shape.classes;
  if (last !== want) {
    const span = at.span(['model', 'layers', lastIndex]);
    const why =
      model.output === 'sigmoid'
        ? 'a sigmoid output has 1 unit'
        : `a softmax output has one unit per class (${shape.classes})`;
    report(
      'layers-output',
      `the last layer must have ${want} unit${want === 1 ? '' : 's'}: ${why}, got ${last}`,
      ['model', 'layers', lastIndex],
      {
        fix: {
          title: `Set the last layer to ${want}`,
          offset: span.offset,
          length: span.length,
          newText: String(want),
        },
      },
    );
  }
}

function article(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}
