/**
 * Checks an experiment's `sweep` and `search` keys with positions and reads them into a SweepDefinition.
 * The generic checks (experiment/validate.ts) have already checked `search`; here go the parts whose meaning depends on
 * the key: each swept path must be a key of the format, and each listed value or range bound must be a valid
 * value of that key.
 */
import { getNodeValue } from 'jsonc-parser';
import { makeDiagnostic, type JsonPath } from '../experiment/diagnostics';
import { propertyNode, type JsonNode } from '../experiment/jsonc';
import { containsBad } from '../experiment/merge';
import { MAX_SWEEP_TRIALS, type Field } from '../experiment/schema';
import { checkField, describeNode, error, labelOf, type CheckContext } from '../experiment/validate';
import { didYouMean, suggest } from '../experiment/suggest';
import { gridSize } from './expand';
import { fieldForSweepPath, sweepablePaths } from './paths';
import type { PruneSettings, RandomSpecKind, SweepDefinition, SweepParam, SweepSpec } from './types';

const RANDOM_KINDS: RandomSpecKind[] = ['uniform', 'logUniform', 'intUniform', 'choice'];

/** Reads `sweep`/`search` of one experiment; undefined when it has no sweep or the sweep has errors. */
export function checkSweep(experiment: JsonNode, expPath: JsonPath, ctx: CheckContext): SweepDefinition | undefined {
  const sweepProp = propertyNode(experiment, 'sweep');
  const searchProp = propertyNode(experiment, 'search');
  if (!sweepProp) {
    if (searchProp) {
      ctx.diagnostics.push(
        makeDiagnostic(ctx.lines, {
          severity: 'warning',
          code: 'sweep/unused-search',
          message: '"search" does nothing without "sweep"',
          path: [...expPath, 'search'],
          offset: searchProp.children![0]!.offset,
          length: searchProp.children![0]!.length,
        }),
      );
    }
    return undefined;
  }
  const before = ctx.byNode.size;
  const sweepNode = sweepProp.children?.[1];
  const searchNode = searchProp?.children?.[1];
  const search = searchNode?.type === 'object' ? (getNodeValue(searchNode) as Record<string, unknown>) : {};
  const method = search.method === 'random' ? 'random' : 'grid';
  const params: SweepParam[] = [];
  if (sweepNode?.type === 'object') {
    for (const prop of sweepNode.children ?? []) {
      const param = checkParam(prop, [...expPath, 'sweep'], method, params, ctx);
      if (param) params.push(param);
    }
    if (params.length === 0 && (sweepNode.children ?? []).length === 0) {
      error(ctx, 'sweep/empty', 'a sweep needs at least one parameter path', [...expPath, 'sweep'], sweepNode);
    }
  }
  const definition: SweepDefinition = { params, method, seed: typeof search.seed === 'number' ? search.seed : 0 };
  const trialsNode = searchNode && propertyNode(searchNode, 'trials');
  if (method === 'random') {
    if (typeof search.trials === 'number') definition.trials = search.trials;
    else if (!trialsNode)
      error(ctx, 'required', 'random search needs "trials" (how many to draw)', [...expPath, 'search'], searchNode!);
  } else {
    const count = gridSize(params);
    if (trialsNode) {
      ctx.diagnostics.push(
        makeDiagnostic(ctx.lines, {
          severity: 'warning',
          code: 'sweep/grid-trials',
          message: `"trials" is ignored by grid search, which runs all ${count} combinations`,
          path: [...expPath, 'search', 'trials'],
          offset: trialsNode.children![0]!.offset,
          length: trialsNode.children![0]!.length,
        }),
      );
    }
    if (count > MAX_SWEEP_TRIALS) {
      error(
        ctx,
        'sweep/too-many',
        `this sweep has ${count} trials; at most ${MAX_SWEEP_TRIALS} are allowed`,
        [...expPath, 'sweep'],
        sweepProp.children![0]!,
      );
    }
  }
  const prune = readPrune(searchNode, [...expPath, 'search', 'prune'], ctx);
  if (prune) definition.prune = prune;
  // `search` was checked by the generic checks before this ran; its errors must stop the sweep too.
  const searchBad = searchProp !== undefined && containsBad(searchProp, ctx.byNode);
  return ctx.byNode.size === before && !searchBad ? definition : undefined;
}

function checkParam(
  prop: JsonNode,
  sweepPath: JsonPath,
  method: 'grid' | 'random',
  earlier: SweepParam[],
  ctx: CheckContext,
): SweepParam | undefined {
  const [keyNode, value] = prop.children ?? [];
  if (!keyNode || !value) return undefined;
  const path = keyNode.value as string;
  const at = [...sweepPath, path];
  const segments = path.split('.');
  const field = fieldForSweepPath(segments);
  if (!field) {
    const suggestions = suggest(path, sweepablePaths());
    error(
      ctx,
      'sweep/unknown-path',
      `unknown parameter path ${JSON.stringify(path)}${didYouMean(suggestions)}`,
      at,
      keyNode,
      { suggestions },
    );
    return undefined;
  }
  const clash = earlier.find((p) => p.path === path || path.startsWith(`${p.path}.`) || p.path.startsWith(`${path}.`));
  if (clash) {
    error(
      ctx,
      'sweep/overlap',
      `${JSON.stringify(path)} overlaps ${JSON.stringify(clash.path)}, which is already swept`,
      at,
      keyNode,
    );
    return undefined;
  }
  const spec = checkSpec(value, field, at, method, ctx);
  return spec && { path, segments, spec };
}

function checkList(node: JsonNode, field: Field, at: JsonPath, what: string, ctx: CheckContext): unknown[] | undefined {
  const items = node.children ?? [];
  if (items.length === 0) {
    error(ctx, 'sweep/empty', `${what} needs at least one value`, at, node);
    return undefined;
  }
  const before = ctx.byNode.size;
  items.forEach((item, i) => checkField(field, item, [...at, i], ctx));
  return ctx.byNode.size === before ? items.map((item) => getNodeValue(item)) : undefined;
}

function checkSpec(
  node: JsonNode,
  field: Field,
  at: JsonPath,
  method: 'grid' | 'random',
  ctx: CheckContext,
): SweepSpec | undefined {
  if (node.type === 'array') {
    const values = checkList(node, field, at, 'a sweep list', ctx);
    return values && { kind: 'list', values, nodes: node.children! };
  }
  if (node.type !== 'object') {
    error(
      ctx,
      'type',
      `a sweep value must be a list of values or a random spec such as { "logUniform": [0.0001, 0.1] }, got ${describeNode(node)}`,
      at,
      node,
    );
    return undefined;
  }
  const props = node.children ?? [];
  if (props.length !== 1) {
    error(ctx, 'sweep/spec', `a random spec has exactly one of ${RANDOM_KINDS.join(', ')}`, at, node);
    return undefined;
  }
  const [kindNode, arg] = props[0]!.children!;
  const kind = kindNode!.value as string;
  if (!RANDOM_KINDS.includes(kind as RandomSpecKind)) {
    const suggestions = suggest(kind, RANDOM_KINDS);
    error(
      ctx,
      'sweep/spec',
      `unknown random spec ${JSON.stringify(kind)}${didYouMean(suggestions)} (expected one of: ${RANDOM_KINDS.join(', ')})`,
      [...at, kind],
      kindNode!,
      {
        suggestions,
      },
    );
    return undefined;
  }
  const specAt = [...at, kind];
  if (method !== 'random') {
    error(
      ctx,
      'sweep/needs-random',
      `${kind} needs random search: add "search": { "method": "random", "trials": N }`,
      specAt,
      kindNode!,
    );
    return undefined;
  }
  if (!arg || arg.type !== 'array') {
    error(ctx, 'type', `${kind} must be a list, got ${arg ? describeNode(arg) : 'nothing'}`, specAt, arg ?? kindNode!);
    return undefined;
  }
  if (kind === 'choice') {
    const values = checkList(arg, field, specAt, 'choice', ctx);
    return values && { kind: 'choice', values, nodes: arg.children! };
  }
  return checkRange(kind as 'uniform' | 'logUniform' | 'intUniform', arg, field, specAt, ctx);
}

function checkRange(
  kind: 'uniform' | 'logUniform' | 'intUniform',
  arg: JsonNode,
  field: Field,
  at: JsonPath,
  ctx: CheckContext,
): SweepSpec | undefined {
  const name = labelOf(at.slice(0, -1));
  if (field.kind !== 'number' && field.kind !== 'integer') {
    error(ctx, 'sweep/spec', `${kind} draws numbers, but ${name} is not a number; use "choice"`, at, arg);
    return undefined;
  }
  if (field.kind === 'integer' && kind !== 'intUniform') {
    error(ctx, 'sweep/spec', `${kind} draws fractions, but ${name} is an integer; use intUniform`, at, arg);
    return undefined;
  }
  const bounds = arg.children ?? [];
  if (bounds.length !== 2) {
    error(ctx, 'sweep/spec', `${kind} needs two bounds [a, b], got ${bounds.length} values`, at, arg);
    return undefined;
  }
  const boundField: Field = kind === 'intUniform' ? { ...field, kind: 'integer' } : field;
  const before = ctx.byNode.size;
  bounds.forEach((b, i) => checkField(boundField, b, [...at, i], ctx));
  if (ctx.byNode.size !== before) return undefined;
  const [low, high] = bounds.map((b) => b.value as number) as [number, number];
  if (low > high) {
    error(ctx, 'sweep/spec', `${kind} needs a ≤ b, got [${low}, ${high}]`, at, arg);
    return undefined;
  }
  // numpy's legacy randint draws from at most 2^32 values.
  if (kind === 'intUniform' && high - low > 0xfffffffe) {
    error(ctx, 'sweep/spec', `intUniform spans at most 2^32 − 1 values, got [${low}, ${high}]`, at, arg);
    return undefined;
  }
  if (kind === 'logUniform' && low <= 0) {
    error(ctx, 'sweep/spec', `logUniform needs 0 < a, got ${low}`, [...at, 0], bounds[0]!);
    return undefined;
  }
  return { kind, low, high, node: arg };
}

function readPrune(searchNode: JsonNode | undefined, at: JsonPath, ctx: CheckContext): PruneSettings | undefined {
  const pruneNode = searchNode && propertyNode(searchNode, 'prune')?.children?.[1];
  if (!pruneNode || pruneNode.type !== 'object') return undefined;
  const value = getNodeValue(pruneNode) as { after?: unknown; quantile?: unknown };
  if (value.after === undefined) {
    error(ctx, 'required', 'prune needs "after" (the epoch at which trials are compared)', at, pruneNode);
    return undefined;
  }
  if (typeof value.after !== 'number') return undefined;
  return { after: value.after, quantile: typeof value.quantile === 'number' ? value.quantile : 0.5 };
}
