/**
 * From the text of an experiment file to runnable configs: parse, check the structure against the schema,
 * merge `defaults` under each experiment, fill in the schema's defaults, then check what depends on several
 * keys (required keys, decay variants, layers against the data, the output layer against the labels) and add
 * the tutor's warnings. An experiment with errors is reported and left out; the others still resolve.
 */
import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { findNodeAtLocation, getNodePath } from 'jsonc-parser';
import { checkSweep } from '../sweep/validate';
import { expandSweep, sweepRecord, trialNames } from '../sweep/expand';
import type { SweepDefinition } from '../sweep/types';
import type { DataConfig, ExperimentConfig } from '../types';
import { adviseExperiment } from './advice';
import type { DataShape, DataShapeProvider } from './dataShape';
import { makeDiagnostic, sortDiagnostics, type Diagnostic, type JsonPath } from './diagnostics';
import { parseJsonc, propertyNode, type JsonNode } from './jsonc';
import { findLocated, locatedHasErrors, locateNode, mergeLocated, valueOfLocated, type Located } from './merge';
import { experimentSections, fileSchema, type Field, type ObjectField } from './schema';
import { checkField, type CheckContext } from './validate';

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
  /**
   * Present when the experiment has no errors, has no sweep, and the file has no file-level errors.
   * A valid sweep has `sweep` instead: its trials are what runs.
   */
  config?: ExperimentConfig;
  sweep?: ResolvedSweep;
  /** Errors and warnings about the values this experiment uses (own or inherited from `defaults`). */
  diagnostics: Diagnostic[];
}

export interface ResolvedFile {
  /** What runs: the valid experiments in file order, a sweep's trials in its place. */
  experiments: ExperimentConfig[];
  entries: ExperimentEntry[];
  /** Every problem in the file, each once, in document order. */
  diagnostics: Diagnostic[];
  /** Errors that are not any one experiment's (syntax, top level, `defaults`): the file must not run. */
  fileErrors: boolean;
  /** The syntax tree, so the language server's outline, lenses and completion need no second parse. */
  root?: JsonNode;
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
    return finish([...parsed.diagnostics, ...extra], entries, true, root);
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
  return finish(all, entries, fileErrors, root);
}

function isExperimentPath(path: JsonPath): boolean {
  return path[0] === 'experiments' && path.length >= 2;
}

function finish(diagnostics: Diagnostic[], entries: ExperimentEntry[], fileErrors: boolean, root: JsonNode | undefined): ResolvedFile {
  // An inherited value is checked once per experiment that uses it; report each problem once.
  const seen = new Set<string>();
  const unique = diagnostics.filter((d) => {
    const key = `${d.offset}:${d.length}:${d.code}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // A file that cannot run as a whole (e.g. a syntax error the parser recovered from) yields no configs.
  if (fileErrors) {
    for (const entry of entries) {
      delete entry.config;
      delete entry.sweep;
    }
  }
  return {
    experiments: entries.flatMap((e) => (e.sweep ? e.sweep.trials.map((t) => t.config) : e.config ? [e.config] : [])),
    entries,
    diagnostics: sortDiagnostics(unique),
    fileErrors,
    ...(root ? { root } : {}),
  };
}

type Span = { path: JsonPath; offset: number; length: number };

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
  span(relPath: JsonPath): Span {
    const found = this.located(relPath);
    if (found) return { path: getNodePath(found.node), offset: found.node.offset, length: found.node.length };
    return { path: ['experiments', this.name, ...relPath], offset: this.keyNode.offset, length: this.keyNode.length };
  }
}

/** For one sweep trial: a swept value is located at the sweep entry it came from (the list item or the spec). */
class TrialLocator extends ExperimentLocator {
  constructor(
    base: ExperimentLocator,
    private readonly swept: { segments: string[]; node: JsonNode }[],
  ) {
    super(base.merged, base.name, base.keyNode);
  }

  override span(relPath: JsonPath): Span {
    for (const { segments, node } of this.swept) {
      if (segments.every((s, i) => relPath[i] === s)) {
        const inner = findNodeAtLocation(node, relPath.slice(segments.length)) ?? node;
        return { path: getNodePath(inner), offset: inner.offset, length: inner.length };
      }
    }
    return super.span(relPath);
  }
}

/** A sweep experiment's trials (see docs/experiment-files.md, "Sweeps"). */
export interface ResolvedSweep {
  definition: SweepDefinition;
  trials: SweepTrial[];
}

export interface SweepTrial {
  /** `NAME[key=value,…]` */
  name: string;
  /** The swept values by full path, e.g. `{ "train.learningRate": 0.001 }`. */
  values: Record<string, unknown>;
  config: ExperimentConfig;
}

type Report = (code: string, message: string, relPath: JsonPath, extras?: Partial<Diagnostic>) => void;

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
  const sweep = own ? checkSweep(value, ['experiments', name], ctx) : undefined;
  const structural = merged ? collectErrors(merged, ctx) : (ctx.byNode.get(value) ?? []);
  const semantic: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  if (merged) {
    const at = new ExperimentLocator(merged, name, keyNode);
    const reporter =
      (locator: ExperimentLocator): Report =>
      (code, message, relPath, extras = {}) =>
        semantic.push(makeDiagnostic(ctx.lines, { code, message, ...locator.span(relPath), ...extras }));
    const plain = valueOfLocated(merged, ctx.badNodes) as Record<string, Record<string, unknown> | undefined>;
    const swept = sweep?.params.map((p) => p.path) ?? [];
    checkRequired(at, reporter(at), swept);
    checkVariants(at, ctx, reporter(at));
    // A sweep is checked trial by trial (a swept value may fix or break the base); a plain experiment as itself.
    const runs: { locator: ExperimentLocator; config: ExperimentConfig; values?: Record<string, unknown> }[] = [];
    if (sweep) {
      const trials = expandSweep(sweep);
      const names = trialNames(name, sweep, trials);
      trials.forEach((trial, t) => {
        const trialPlain = structuredClone(plain);
        sweep.params.forEach((p, i) => setPath(trialPlain, p.segments, trial.values[i]));
        const nodes = sweep.params.map((p, i) => {
          const spec = p.spec;
          const node = spec.kind === 'list' || spec.kind === 'choice' ? spec.nodes[trial.picks[i]!]! : spec.node;
          return { segments: p.segments, node };
        });
        const locator = new TrialLocator(at, nodes);
        const config = buildConfig(names[t]!, trialPlain);
        checkTrialDecay(config, reporter(locator));
        runs.push({ locator, config, values: sweepRecord(sweep, trial) });
      });
    } else if (!own?.props?.has('sweep')) {
      runs.push({ locator: at, config: buildConfig(name, plain) });
    }
    const shapes: (DataShape | undefined)[] = runs.map((run) => {
      const report = reporter(run.locator);
      const shape = checkData(run.config, run.locator, options, report);
      checkModel(run.config, shape, run.locator, options, report);
      return shape;
    });
    const valid = structural.length === 0 && semantic.length === 0 && runs.length > 0;
    if (valid && sweep) {
      entry.sweep = { definition: sweep, trials: runs.map((r) => ({ name: r.config.name, values: r.values!, config: r.config })) };
    } else if (valid) {
      entry.config = runs[0]!.config;
    }
    if (valid && options.advice !== false) {
      runs.forEach((run, i) => {
        for (const advice of adviseExperiment(run.config, shapes[i]?.samples)) {
          warnings.push(makeDiagnostic(ctx.lines, { severity: 'warning', code: advice.code, message: advice.message, ...run.locator.span(advice.path) }));
        }
      });
    }
  }
  entry.diagnostics = [...structural, ...semantic, ...warnings];
  return entry;
}

function setPath(target: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  let node = target;
  for (const key of segments.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null || Array.isArray(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[segments[segments.length - 1]!] = structuredClone(value);
}

/** A swept `train.decay.*` value can leave a decay without its type or step size. */
function checkTrialDecay(config: ExperimentConfig, report: Report): void {
  const decay = config.train.decay as Partial<{ type: string; rate: number; every: number }> | undefined;
  if (!decay) return;
  if (decay.type !== 'exponential' && decay.type !== 'step') report('required', 'decay needs "type" (one of exponential, step)', ['train', 'decay']);
  else if (decay.rate === undefined) report('required', `${article(decay.type)} decay needs "rate"`, ['train', 'decay']);
  else if (decay.type === 'step' && decay.every === undefined) report('required', 'a step decay needs "every"', ['train', 'decay']);
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

function checkRequired(at: ExperimentLocator, report: Report, swept: readonly string[]): void {
  for (const [section, field] of Object.entries(experimentSections)) {
    for (const [key, child] of Object.entries(field.properties)) {
      if (child.required && !at.located([section, key]) && !swept.includes(`${section}.${key}`)) {
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
      // Only object defaults need a copy; structuredClone per scalar key showed up in the language server's profile.
      else if (field.default !== undefined) out[k] = typeof field.default === 'object' ? structuredClone(field.default) : field.default;
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
