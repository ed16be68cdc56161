/**
 * Structural checks of one JSON subtree against its schema field: types, integer-ness, ranges, enum values,
 * unknown and duplicate keys. Every problem is reported; a value with an error is remembered in `byNode`
 * so that resolution treats it as absent instead of running with it.
 */
import type { Diagnostic, JsonPath } from './diagnostics';
import { makeDiagnostic, type LineIndex } from './diagnostics';
import type { JsonNode } from './jsonc';
import {
  defaultsField,
  experimentField,
  experimentSections,
  type EnumField,
  type Field,
  type NumberField,
  type ObjectField,
} from './schema';
import { didYouMean, suggest } from './suggest';

export interface CheckContext {
  lines: LineIndex;
  diagnostics: Diagnostic[];
  /**
   * The errors of each value node (or property node of an unknown key) that carries one: its keys are the bad
   * nodes, which resolution treats as absent, and an experiment lists the errors of the values it uses.
   */
  byNode: Map<JsonNode, Diagnostic[]>;
}

function record(ctx: CheckContext, node: JsonNode, diagnostic: Diagnostic): void {
  ctx.diagnostics.push(diagnostic);
  const list = ctx.byNode.get(node);
  if (list) list.push(diagnostic);
  else ctx.byNode.set(node, [diagnostic]);
}

/** `learningRate`, `layers[0]`: the name a message uses for the value at `path` (without indices: `layers`). */
export function labelOf(path: JsonPath, indices = true): string {
  let i = path.length - 1;
  while (i > 0 && typeof path[i] === 'number') i--;
  const head = path[i];
  const suffix = indices
    ? path
        .slice(i + 1)
        .map((n) => `[${n}]`)
        .join('')
    : '';
  // A sweep key is a dotted path; its value is named like the key it sets (`epochs`, not `train.epochs`).
  const name = path[i - 1] === 'sweep' ? String(head).split('.').pop() : String(head);
  return head === undefined ? 'the file' : `${name}${suffix}`;
}

/** How a message shows a value the user wrote. */
export function describeNode(node: JsonNode): string {
  switch (node.type) {
    case 'string':
      return `the string ${JSON.stringify(node.value)}`;
    case 'object':
      return 'an object';
    case 'array':
      return 'a list';
    default:
      return String(node.value);
  }
}

export function describeEnum(field: EnumField): string {
  return field.values.map((v) => v.value).join(', ');
}

export function error(
  ctx: CheckContext,
  code: string,
  message: string,
  path: JsonPath,
  node: JsonNode,
  extra: { suggestions?: string[]; fix?: Diagnostic['fix'] } = {},
): void {
  record(
    ctx,
    node,
    makeDiagnostic(ctx.lines, { code, message, path, offset: node.offset, length: node.length, ...extra }),
  );
}

const TYPE_NAMES: Record<Field['kind'], string> = {
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  string: 'a string',
  enum: 'a string',
  array: 'a list',
  object: 'an object',
  map: 'an object',
};

function expectedType(field: Field): JsonNode['type'] {
  switch (field.kind) {
    case 'integer':
      return 'number';
    case 'enum':
      return 'string';
    case 'map':
      return 'object';
    default:
      return field.kind;
  }
}

/** Checks `node` against `field`, recursing into objects, maps and arrays. */
export function checkField(field: Field, node: JsonNode, path: JsonPath, ctx: CheckContext): void {
  if (node.type !== expectedType(field)) {
    const extra = field.kind === 'enum' ? ` (one of ${describeEnum(field)})` : '';
    error(
      ctx,
      'type',
      `${labelOf(path)} must be ${TYPE_NAMES[field.kind]}${extra}, got ${describeNode(node)}`,
      path,
      node,
    );
    return;
  }
  switch (field.kind) {
    case 'number':
    case 'integer':
      checkNumber(field, node, path, ctx);
      break;
    case 'enum':
      checkEnum(field, node, path, ctx);
      break;
    case 'array': {
      const items = node.children ?? [];
      if (field.minItems !== undefined && items.length < field.minItems) {
        error(
          ctx,
          'range',
          `${labelOf(path)} must have at least ${field.minItems} entries, got ${items.length}`,
          path,
          node,
        );
      }
      items.forEach((item, i) => checkField(field.items, item, [...path, i], ctx));
      break;
    }
    case 'object':
      checkObject(field, node, path, ctx);
      break;
    case 'map':
      // A sweep's values depend on their keys; src/core/sweep checks them.
      if (field.custom === 'sweep') break;
      for (const prop of node.children ?? []) {
        const [key, value] = prop.children ?? [];
        if (!key || !value) continue;
        checkField(field.values, value, [...path, key.value as string], ctx);
      }
      checkDuplicates(node, path, ctx);
      break;
    default:
      break;
  }
}

function checkNumber(field: NumberField, node: JsonNode, path: JsonPath, ctx: CheckContext): void {
  const v = node.value as number;
  const name = labelOf(path);
  if (!Number.isFinite(v)) {
    error(ctx, 'range', `${name} must be a finite number, got ${v}`, path, node);
    return;
  }
  if (field.kind === 'integer' && !Number.isInteger(v)) {
    error(ctx, 'integer', `${name} must be an integer, got ${v}`, path, node);
    return;
  }
  const bound = violatedBound(field, v);
  if (bound) error(ctx, 'range', `${name} must be ${bound}, got ${v}`, path, node);
}

/** The first bound `v` breaks, as text (`> 0`, `<= 1`), or undefined. */
export function violatedBound(field: NumberField, v: number): string | undefined {
  if (field.minimum !== undefined && v < field.minimum) return `>= ${field.minimum}`;
  if (field.exclusiveMinimum !== undefined && v <= field.exclusiveMinimum) return `> ${field.exclusiveMinimum}`;
  if (field.maximum !== undefined && v > field.maximum) return `<= ${field.maximum}`;
  if (field.exclusiveMaximum !== undefined && v >= field.exclusiveMaximum) return `< ${field.exclusiveMaximum}`;
  return undefined;
}

function checkEnum(field: EnumField, node: JsonNode, path: JsonPath, ctx: CheckContext): void {
  const v = node.value as string;
  const values = field.values.map((e) => e.value);
  if (values.includes(v)) return;
  const suggestions = suggest(v, values);
  error(
    ctx,
    'enum',
    `unknown ${labelOf(path, false)} ${JSON.stringify(v)}${didYouMean(suggestions)} (expected one of: ${values.join(', ')})`,
    path,
    node,
    { suggestions },
  );
}

function checkObject(field: ObjectField, node: JsonNode, path: JsonPath, ctx: CheckContext): void {
  const known = Object.keys(field.properties);
  for (const prop of node.children ?? []) {
    const [keyNode, value] = prop.children ?? [];
    if (!keyNode) continue;
    const key = keyNode.value as string;
    const child = Object.hasOwn(field.properties, key) ? field.properties[key] : undefined;
    if (!child) {
      const suggestions = suggest(key, known);
      const where =
        path.length === 0
          ? 'at the top level'
          : path.length === 2 && path[0] === 'experiments'
            ? `in experiment ${JSON.stringify(path[1])}`
            : `in ${labelOf(path)}`;
      const home = suggestions.length ? undefined : sectionOf(key, field);
      record(
        ctx,
        prop,
        makeDiagnostic(ctx.lines, {
          code: 'unknown-key',
          message: `unknown key ${JSON.stringify(key)} ${where}${home ? `; it belongs in ${home}` : didYouMean(suggestions)}`,
          path: [...path, key],
          offset: keyNode.offset,
          length: keyNode.length,
          suggestions,
        }),
      );
      continue;
    }
    if (value) checkField(child, value, [...path, key], ctx);
  }
  checkDuplicates(node, path, ctx);
}

/** For a key put in the wrong section of an experiment (`learningRate` in `model`): the section it belongs in. */
function sectionOf(key: string, field: ObjectField): string | undefined {
  const sections = Object.entries(experimentSections);
  const inExperiment = field === experimentField || field === defaultsField || sections.some(([, f]) => f === field);
  if (!inExperiment) return undefined;
  return sections.find(([, f]) => f !== field && Object.hasOwn(f.properties, key))?.[0];
}

/** JSON.parse keeps the last of two equal keys; that is almost always a slip, so say which one is ignored. */
function checkDuplicates(node: JsonNode, path: JsonPath, ctx: CheckContext): void {
  const seen = new Set<string>();
  const props = node.children ?? [];
  for (let i = props.length - 1; i >= 0; i--) {
    const keyNode = props[i]!.children?.[0];
    if (!keyNode) continue;
    const key = keyNode.value as string;
    if (seen.has(key)) {
      ctx.diagnostics.push(
        makeDiagnostic(ctx.lines, {
          severity: 'warning',
          code: 'duplicate-key',
          message: `duplicate key ${JSON.stringify(key)}; only the last one counts`,
          path: [...path, key],
          offset: keyNode.offset,
          length: keyNode.length,
        }),
      );
    }
    seen.add(key);
  }
}
