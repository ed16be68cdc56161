/**
 * From the text of an experiment file to runnable configs: parse, check the structure against the schema,
 * merge `defaults` under each experiment, fill in the schema's defaults, then check what depends on several
 * keys (required keys, decay variants, layers against the data, the output layer against the labels) and add
 * the tutor's warnings. An experiment with errors is reported and left out; the others still resolve.
 */
import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { getNodePath } from 'jsonc-parser';
import type { DataConfig, ExperimentConfig } from '../types';
import { adviseExperiment } from './advice';
import type { DataShape, DataShapeProvider } from './dataShape';
import { makeDiagnostic, sortDiagnostics, type Diagnostic, type JsonPath } from './diagnostics';
import { parseJsonc, propertyNode, type JsonNode } from './jsonc';
import { findLocated, locatedHasErrors, locateNode, mergeLocated, valueOfLocated, type Located } from './merge';
import { experimentSections, fileSchema, type Field, type ObjectField } from './schema';
import { checkField, type CheckContext } from './structure';

export interface ResolveOptions {
  /** The experiment file's folder: CSV paths and model modules are relative to it. */
  baseDir: string;
  dataShape: DataShapeProvider;
  /** Include the tutor's warnings (default true). */
  advice?: boolean;
}

/** One entry of `experiments`, valid or not (for outlines, code lenses and the CLI's error rows). */
export interface ExperimentEntry {
  name: string;
  /** The name key's range. */
  offset: number;
  length: number;
  line: number;
  column: number;
  /** Present when the experiment has no errors and the file has no file-level errors. */
  config?: ExperimentConfig;
  /** Errors and warnings about the values this experiment uses (own or inherited from `defaults`). */
  diagnostics: Diagnostic[];
}

export interface ResolvedFile {
  /** The valid experiments, in file order. */
  experiments: ExperimentConfig[];
  entries: ExperimentEntry[];
  /** Every problem in the file, each once, in document order. */
  diagnostics: Diagnostic[];
  /** Errors that are not any one experiment's (syntax, top level, `defaults`): the file must not run. */
  fileErrors: boolean;
}

export function resolveExperimentText(text: string, options: ResolveOptions): ResolvedFile {
  const parsed = parseJsonc(text);
  const ctx: CheckContext = { lines: parsed.lines, diagnostics: [], badNodes: new Set(), byNode: new Map() };
  const root = parsed.root;
  const entries: ExperimentEntry[] = [];
  const extra: Diagnostic[] = [];
  if (!root || root.type !== 'object') {
    if (parsed.diagnostics.length === 0) {
      extra.push(
        makeDiagnostic(parsed.lines, {
          code: 'type',
          message: 'an experiment file must be a JSON object with an "experiments" key',
          path: [],
          offset: root?.offset ?? 0,
          length: root?.length ?? 0,
        }),
      );
    }
    return finish([...parsed.diagnostics, ...extra], entries, true);
  }
  checkField(fileSchema, root, [], ctx);
  const experimentsProp = propertyNode(root, 'experiments');
  if (!experimentsProp) {
    extra.push(
      makeDiagnostic(parsed.lines, {
        code: 'required',
        message: 'missing required key "experiments" (an object of experiments by name)',
        path: ['experiments'],
        offset: root.offset,
        length: 1,
      }),
    );
  }
  const fileErrors =
    parsed.diagnostics.length > 0 || extra.length > 0 || ctx.diagnostics.some((d) => d.severity === 'error' && !isExperimentPath(d.path));

  const defaultsValue = propertyNode(root, 'defaults')?.children?.[1];
  const defaults = defaultsValue?.type === 'object' ? locateNode(defaultsValue) : undefined;
  const experimentsNode = experimentsProp?.children?.[1];
  if (experimentsNode?.type === 'object') {
    for (const prop of experimentsNode.children ?? []) {
      const [keyNode, value] = prop.children ?? [];
      if (!keyNode || !value) continue;
      entries.push(resolveEntry(keyNode, value, defaults, ctx, options));
    }
  }
  const all = [...parsed.diagnostics, ...extra, ...ctx.diagnostics];
  for (const entry of entries) all.push(...entry.diagnostics);
  return finish(all, entries, fileErrors);
}

function isExperimentPath(path: JsonPath): boolean {
  return path[0] === 'experiments' && path.length >= 2;
}

function finish(diagnostics: Diagnostic[], entries: ExperimentEntry[], fileErrors: boolean): ResolvedFile {
  // An inherited value is checked once per experiment that uses it; report each problem once.
  const seen = new Set<string>();
  const unique = diagnostics.filter((d) => {
    const key = `${d.offset}:${d.length}:${d.code}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // A file that cannot run as a whole (e.g. a syntax error the parser recovered from) yields no configs.
  if (fileErrors) for (const entry of entries) delete entry.config;
  return {
    experiments: entries.flatMap((e) => (e.config ? [e.config] : [])),
    entries,
    diagnostics: sortDiagnostics(unique),
    fileErrors,
  };
}

/** Turns paths inside one experiment into positions, wherever the merged value was written. */
class ExperimentLocator {
  constructor(
    readonly merged: Located,
    readonly name: string,
    readonly keyNode: JsonNode,
  ) {}

  located(relPath: JsonPath): Located | undefined {
    return findLocated(this.merged, relPath);
  }

  /** The value at `relPath` if it exists, else the experiment's name (the place to add it). */
  span(relPath: JsonPath): { path: JsonPath; offset: number; length: number } {
    const found = this.located(relPath);
    if (found) return { path: getNodePath(found.node), offset: found.node.offset, length: found.node.length };
    return { path: ['experiments', this.name, ...relPath], offset: this.keyNode.offset, length: this.keyNode.length };
  }
}

function resolveEntry(
  keyNode: JsonNode,
  value: JsonNode,
  defaults: Located | undefined,
  ctx: CheckContext,
  options: ResolveOptions,
): ExperimentEntry {
  const name = keyNode.value as string;
  const pos = ctx.lines.position(keyNode.offset);
  const entry: ExperimentEntry = { name, offset: keyNode.offset, length: keyNode.length, ...pos, diagnostics: [] };
  const own = value.type === 'object' ? locateNode(value) : undefined;
  const merged = own ? mergeLocated(defaults, own)! : undefined;
  const structural = merged ? collectErrors(merged, ctx) : (ctx.byNode.get(value) ?? []);
  const semantic: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  if (merged) {
    const at = new ExperimentLocator(merged, name, keyNode);
    const report = (code: string, message: string, relPath: JsonPath, extras: Partial<Diagnostic> = {}): void => {
      const span = at.span(relPath);
      semantic.push(makeDiagnostic(ctx.lines, { code, message, ...span, ...extras }));
    };
    const plain = valueOfLocated(merged, ctx.badNodes) as Record<string, Record<string, unknown> | undefined>;
    checkRequired(at, report);
    checkVariants(at, ctx, report);
    const config = buildConfig(name, plain);
    const shape = checkData(config, at, options, report);
    checkModel(config, shape, at, options, report);
    if (structural.length === 0 && semantic.length === 0) {
      entry.config = config;
    }
    if (options.advice !== false && config.model.layers.length >= 2 && structural.length + semantic.length === 0) {
      for (const advice of adviseExperiment(config, shape?.samples)) {
        warnings.push(makeDiagnostic(ctx.lines, { severity: 'warning', code: advice.code, message: advice.message, ...at.span(advice.path) }));
      }
    }
  }
  entry.diagnostics = [...structural, ...semantic, ...warnings];
  return entry;
}

/** The structural errors of every value the merged experiment uses. */
function collectErrors(merged: Located, ctx: CheckContext): Diagnostic[] {
  if (!locatedHasErrors(merged, ctx.badNodes)) return [];
  const out: Diagnostic[] = [];
  const visitNode = (node: JsonNode): void => {
    out.push(...(ctx.byNode.get(node) ?? []));
    for (const child of node.children ?? []) visitNode(child);
  };
  const visit = (located: Located): void => {
    if (located.prop) out.push(...(ctx.byNode.get(located.prop) ?? []));
    if (located.props) {
      out.push(...(ctx.byNode.get(located.node) ?? []));
      for (const child of located.props.values()) visit(child);
    } else visitNode(located.node);
  };
  visit(merged);
  return out.filter((d) => d.severity === 'error');
}

type Report = (code: string, message: string, relPath: JsonPath, extras?: Partial<Diagnostic>) => void;

function checkRequired(at: ExperimentLocator, report: Report): void {
  for (const [section, field] of Object.entries(experimentSections)) {
    for (const [key, child] of Object.entries(field.properties)) {
      if (child.required && !at.located([section, key])) {
        report('required', `missing required key "${key}" in ${section}`, [section, key]);
      }
    }
  }
  const dataset = at.located(['data', 'dataset'])?.node.value;
  if (dataset === 'csv' && !at.located(['data', 'path'])) {
    report('required', 'dataset "csv" needs "path" (the CSV file, relative to this file)', ['data', 'path']);
  }
}

/** Discriminated objects (decay) are checked after merging, since defaults and experiment may each hold part. */
function checkVariants(at: ExperimentLocator, ctx: CheckContext, report: Report): void {
  const visit = (field: Field, relPath: JsonPath): void => {
    if (field.kind !== 'object') return;
    const located = at.located(relPath);
    if (!located?.props) return;
    if (field.variants) checkVariant(field, located, relPath, ctx, report);
    for (const [key, child] of Object.entries(field.properties)) visit(child, [...relPath, key]);
  };
  for (const [section, field] of Object.entries(experimentSections)) visit(field, [section]);
}

function checkVariant(field: ObjectField, located: Located, relPath: JsonPath, ctx: CheckContext, report: Report): void {
  const { discriminator, cases } = field.variants!;
  const name = String(relPath[relPath.length - 1]);
  const tag = located.props!.get(discriminator);
  if (!tag) {
    report('required', `${name} needs "${discriminator}" (one of ${Object.keys(cases).join(', ')})`, relPath);
    return;
  }
  if (ctx.badNodes.has(tag.node)) return;
  const variant = cases[tag.node.value as string];
  if (!variant) return;
  for (const key of variant.required) {
    if (!located.props!.has(key)) report('required', `${article(String(tag.node.value))} ${name} needs "${key}"`, relPath);
  }
  for (const key of located.props!.keys()) {
    if (Object.hasOwn(field.properties, key) && !variant.allowed.includes(key)) {
      report('unknown-key', `"${key}" does not apply to ${article(String(tag.node.value))} ${name}`, [...relPath, key]);
    }
  }
}

/** The merged values with the schema's defaults filled in. Values with errors were left out by valueOfLocated. */
function buildConfig(name: string, plain: Record<string, Record<string, unknown> | undefined>): ExperimentConfig {
  const section = (key: 'data' | 'model' | 'train'): Record<string, unknown> => {
    const given = plain[key] && typeof plain[key] === 'object' ? plain[key]! : {};
    const out: Record<string, unknown> = {};
    for (const [k, field] of Object.entries(experimentSections[key].properties)) {
      if (given[k] !== undefined) out[k] = given[k];
      else if (field.default !== undefined) out[k] = structuredClone(field.default);
    }
    return out;
  };
  const model = section('model');
  if (!Array.isArray(model.layers)) model.layers = [];
  return {
    name,
    data: section('data') as unknown as DataConfig,
    model: model as unknown as ExperimentConfig['model'],
    train: section('train') as unknown as ExperimentConfig['train'],
  };
}

function shapeOf(data: DataConfig, options: ResolveOptions): DataShape | string {
  try {
    return options.dataShape(data, options.baseDir);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Reads what the data looks like; problems point at `data.path` (CSV) or `data.dataset`. */
function checkData(config: ExperimentConfig, at: ExperimentLocator, options: ResolveOptions, report: Report): DataShape | undefined {
  const data = config.data;
  if (!data.dataset || (data.dataset === 'csv' && !data.path)) return undefined;
  const where = (prefix: JsonPath): JsonPath => (data.dataset === 'csv' ? [...prefix, 'path'] : [...prefix, 'dataset']);
  const shape = shapeOf(data, options);
  if (typeof shape === 'string') {
    report('data', shape, where(['data']));
    return undefined;
  }
  if (data.test && (data.test.path !== undefined || data.test.dataset !== undefined || data.test.label !== undefined)) {
    const testData = { ...data, ...data.test } as DataConfig;
    delete testData.test;
    const testShape = shapeOf(testData, options);
    const testWhere: JsonPath = at.located(['data', 'test', 'path']) ? ['data', 'test', 'path'] : ['data', 'test'];
    if (typeof testShape === 'string') report('data', testShape, testWhere);
    else if (testShape.features !== shape.features) {
      report('data', `the test set has ${testShape.features} features but the training set has ${shape.features}`, testWhere);
    }
  }
  return shape;
}

function checkModel(
  config: ExperimentConfig,
  shape: DataShape | undefined,
  at: ExperimentLocator,
  options: ResolveOptions,
  report: Report,
): void {
  const { model, data } = config;
  if (model.module !== undefined && !existsSync(resolvePath(options.baseDir, model.module))) {
    report('module', `cannot find the model module ${JSON.stringify(model.module)} (paths are relative to the experiment file)`, ['model', 'module']);
  }
  const layers = model.layers;
  if (!shape || layers.length < 2 || !layers.every((n) => Number.isInteger(n) && n >= 1)) return;
  const source = data.dataset === 'csv' ? JSON.stringify(data.path) : data.dataset;
  const first = layers[0]!;
  if (first !== shape.features) {
    const span = at.span(['model', 'layers', 0]);
    report('layers-input', `layers[0] must equal the number of features of ${source} (${shape.features}), got ${first}`, ['model', 'layers', 0], {
      fix: { title: `Set layers[0] to ${shape.features}`, offset: span.offset, length: span.length, newText: String(shape.features) },
    });
  }
  const lastIndex = layers.length - 1;
  const last = layers[lastIndex]!;
  if (model.output === 'sigmoid' && shape.classes > 2) {
    const where: JsonPath = at.located(['model', 'output']) ? ['model', 'output'] : ['model', 'layers', lastIndex];
    report('output', `a sigmoid output needs 2 classes, but ${source} has ${shape.classes}; use "output": "softmax" with ${shape.classes} output units`, where);
    return;
  }
  const want = model.output === 'sigmoid' ? 1 : shape.classes;
  if (last !== want) {
    const span = at.span(['model', 'layers', lastIndex]);
    const why = model.output === 'sigmoid' ? 'a sigmoid output has 1 unit' : `a softmax output has one unit per class (${shape.classes})`;
    report('layers-output', `the last layer must have ${want} unit${want === 1 ? '' : 's'}: ${why}, got ${last}`, ['model', 'layers', lastIndex], {
      fix: { title: `Set the last layer to ${want}`, offset: span.offset, length: span.length, newText: String(want) },
    });
  }
}

function article(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}
