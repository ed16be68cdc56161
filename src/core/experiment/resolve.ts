/**
 * From the text of an experiment file to runnable configs: parse, check the structure against the schema,
 * merge `defaults` under each experiment, fill in the schema's defaults, then check what depends on several
 * keys (required keys, decay variants, layers against the data, the output layer against the labels) and add
 * the tutor's warnings. An experiment with errors is reported and left out; the others still resolve.
 */
import { checkSweep } from '../sweep/validate';
import { expandSweep, sweepRecord, trialNames } from '../sweep/expand';
import type { SweepDefinition } from '../sweep/types';
import type { DataConfig, ExperimentConfig, ModelConfig, TrainConfig } from '../types';
import { adviseExperiment } from './advice';
import type { DataShape, DataShapeProvider } from './dataShape';
import { makeDiagnostic, sortDiagnostics, type Diagnostic, type JsonPath } from './diagnostics';
import { parseJsonc, propertyNode, type JsonNode } from './jsonc';
import { checkData, checkModel, checkRequired, checkVariants, type DataContext, type Report } from './checks';
import { ExperimentLocator, TrialLocator } from './locator';
import { locateNode, mergeLocated, valueOfLocated, type Located } from './merge';
import { withDefaults } from './defaults';
import { experimentSections, fileSchema } from './schema';
import { checkField, type CheckContext } from './validate';

export interface ResolveOptions extends DataContext {
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

/** Within one resolve, each distinct data config is shaped once (a sweep's trials share a CSV file). */
function memoized(provider: DataShapeProvider): DataShapeProvider {
  const cache = new Map<string, DataShape | Error | undefined>();
  return (data, baseDir) => {
    const key = `${baseDir}\n${JSON.stringify(data)}`;
    let shape = cache.get(key);
    if (!cache.has(key)) {
      try {
        shape = provider(data, baseDir);
      } catch (e) {
        shape = e instanceof Error ? e : new Error(String(e));
      }
      cache.set(key, shape);
    }
    if (shape instanceof Error) throw shape;
    return shape;
  };
}

export function resolveExperimentText(text: string, givenOptions: ResolveOptions): ResolvedFile {
  const steps = resolveExperimentSteps(text, givenOptions);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * resolveExperimentText in small steps: the generator yields between experiments and between sweep trials, so
 * the language server can stop a resolve whose text is already stale and answer requests in between.
 */
export function* resolveExperimentSteps(text: string, givenOptions: ResolveOptions): Generator<void, ResolvedFile> {
  const options = { ...givenOptions, dataShape: memoized(givenOptions.dataShape) };
  const parsed = parseJsonc(text);
  const ctx: CheckContext = { lines: parsed.lines, diagnostics: [], byNode: new Map() };
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
    parsed.diagnostics.length > 0 ||
    extra.length > 0 ||
    ctx.diagnostics.some((d) => d.severity === 'error' && !isExperimentPath(d.path));

  const defaultsValue = propertyNode(root, 'defaults')?.children?.[1];
  const defaults = defaultsValue?.type === 'object' ? locateNode(defaultsValue) : undefined;
  const experimentsNode = experimentsProp?.children?.[1];
  if (experimentsNode?.type === 'object') {
    for (const prop of experimentsNode.children ?? []) {
      const [keyNode, value] = prop.children ?? [];
      if (!keyNode || !value) continue;
      entries.push(yield* resolveEntry(keyNode, value, defaults, ctx, options));
      yield;
    }
  }
  const all = [...parsed.diagnostics, ...extra, ...ctx.diagnostics];
  for (const entry of entries) all.push(...entry.diagnostics);
  return finish(all, entries, fileErrors, root);
}

function isExperimentPath(path: JsonPath): boolean {
  return path[0] === 'experiments' && path.length >= 2;
}

function finish(
  diagnostics: Diagnostic[],
  entries: ExperimentEntry[],
  fileErrors: boolean,
  root: JsonNode | undefined,
): ResolvedFile {
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

function* resolveEntry(
  keyNode: JsonNode,
  value: JsonNode,
  defaults: Located | undefined,
  ctx: CheckContext,
  options: ResolveOptions,
): Generator<void, ExperimentEntry> {
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
    const plain = valueOfLocated(merged, ctx.byNode) as Sections;
    const swept = sweep?.params.map((p) => p.path) ?? [];
    checkRequired(at, reporter(at), swept);
    // A sweep is checked trial by trial (a swept value may fix or break the base); a plain experiment as itself.
    const runs: Run[] = sweep
      ? yield* sweepRuns(sweep, name, plain, at)
      : own?.props?.has('sweep')
        ? []
        : [{ locator: at, config: buildConfig(name, plain) }];
    // Per trial, since defaults, experiment and sweep may each give part of a decay; the base alone when no trial
    // could be made (an invalid sweep).
    for (const locator of runs.length ? runs.map((r) => r.locator) : [at]) {
      checkVariants(locator, ctx, reporter(locator));
      yield;
    }
    const shapes: (DataShape | undefined)[] = [];
    for (const run of runs) {
      const report = reporter(run.locator);
      const shape = checkData(run.config, run.locator, options, report);
      checkModel(run.config, shape, run.locator, options, report);
      shapes.push(shape);
      yield;
    }
    const valid = structural.length === 0 && semantic.length === 0 && runs.length > 0;
    if (valid && sweep) {
      entry.sweep = {
        definition: sweep,
        trials: runs.map((r) => ({ name: r.config.name, values: r.values!, config: r.config })),
      };
    } else if (valid) {
      entry.config = runs[0]!.config;
    }
    if (valid && options.advice !== false) {
      for (const [i, run] of runs.entries()) {
        for (const advice of adviseExperiment(run.config, shapes[i]?.samples)) {
          warnings.push(
            makeDiagnostic(ctx.lines, {
              severity: 'warning',
              code: advice.code,
              message: advice.message,
              ...run.locator.span(advice.path),
            }),
          );
        }
        yield;
      }
    }
  }
  entry.diagnostics = [...structural, ...semantic, ...warnings];
  return entry;
}

/** An experiment's merged plain value: its sections by name. */
type Sections = Record<string, Record<string, unknown> | undefined>;

/** One configuration to check and run: the experiment itself, or one trial of its sweep. */
interface Run {
  locator: ExperimentLocator;
  config: ExperimentConfig;
  /** A trial's swept values by path. */
  values?: Record<string, unknown>;
}

function* sweepRuns(
  sweep: SweepDefinition,
  name: string,
  plain: Sections,
  at: ExperimentLocator,
): Generator<void, Run[]> {
  const trials = expandSweep(sweep);
  const names = trialNames(name, sweep, trials);
  const runs: Run[] = [];
  for (const [t, trial] of trials.entries()) {
    // Only the objects on the swept paths are copied: a whole copy per trial was a third of the time (and most of
    // the garbage) of checking a 10000-trial sweep. Configs are never changed in place, so trials may share the rest.
    const trialPlain = { ...plain };
    sweep.params.forEach((p, i) => setPath(trialPlain as Record<string, unknown>, p.segments, trial.values[i]));
    // Problems about a swept value point at the list item or spec it came from.
    const nodes = sweep.params.map((p, i) => {
      const spec = p.spec;
      const node = spec.kind === 'list' || spec.kind === 'choice' ? spec.nodes[trial.picks[i]!]! : spec.node;
      return { segments: p.segments, node };
    });
    runs.push({
      locator: new TrialLocator(at, nodes),
      config: buildConfig(names[t]!, trialPlain),
      values: sweepRecord(sweep, trial),
    });
    yield;
  }
  return runs;
}

/** Sets `value` at `segments` in `target`, copying each object on the way instead of changing it. */
function setPath(target: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  let node = target;
  for (const key of segments.slice(0, -1)) {
    const child = node[key];
    node[key] = typeof child === 'object' && child !== null && !Array.isArray(child) ? { ...child } : {};
    node = node[key] as Record<string, unknown>;
  }
  node[segments[segments.length - 1]!] = structuredClone(value);
}

/** The structural errors of every value the merged experiment uses. */
function collectErrors(merged: Located, ctx: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visitNode = (node: JsonNode): void => {
    out.push(...(ctx.byNode.get(node) ?? []));
    for (const child of node.children ?? []) visitNode(child);
  };
  const visit = (located: Located): void => {
    if (located.prop) {
      out.push(...(ctx.byNode.get(located.prop) ?? []));
      // A problem with the key itself (an unknown sweep path) is filed under the key's node.
      const key = located.prop.children?.[0];
      if (key) out.push(...(ctx.byNode.get(key) ?? []));
    }
    if (located.props) {
      out.push(...(ctx.byNode.get(located.node) ?? []));
      for (const child of located.props.values()) visit(child);
    } else visitNode(located.node);
  };
  visit(merged);
  return out;
}

/** The merged values with the schema's defaults filled in. Values with errors were left out by valueOfLocated. */
function buildConfig(name: string, plain: Sections): ExperimentConfig {
  const given = (key: 'data' | 'model' | 'train'): Record<string, unknown> => {
    const section = plain[key];
    return section && typeof section === 'object' ? section : {};
  };
  const data = withDefaults<DataConfig>(experimentSections.data, given('data'));
  const model = withDefaults<ModelConfig>(experimentSections.model, given('model'));
  // A model module's setup(nn) may supply the data and parameters; what the file left out is then a placeholder
  // (see ExperimentConfig.omitted), so consumers keep their types and the run/check paths can name the missing key.
  const omitted: NonNullable<ExperimentConfig['omitted']> = [];
  if (model.module !== undefined) {
    if (data.dataset === undefined) {
      data.dataset = 'moons';
      omitted.push('data');
    }
    if (!Array.isArray(model.layers)) omitted.push('model.layers');
  }
  if (!Array.isArray(model.layers)) model.layers = [];
  return {
    name,
    data,
    model,
    train: withDefaults<TrainConfig>(experimentSections.train, given('train')),
    ...(omitted.length ? { omitted } : {}),
  };
}
