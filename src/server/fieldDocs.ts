/**
 * Markdown for a schema field or enum value, shared by hover and completion so both explain a key the same
 * way. Everything is read from src/core/experiment/schema.ts; nothing here documents a key by itself.
 */
import type { EnumValue, Field, NumberField } from '../core/experiment/schema';

const KIND_NAMES: Record<Field['kind'], string> = {
  number: 'number',
  integer: 'integer',
  boolean: 'boolean',
  string: 'string',
  enum: 'one of',
  array: 'list',
  object: 'object',
  map: 'object of named entries',
};

export function typeText(field: Field): string {
  if (field.kind === 'enum') return field.values.map((v) => JSON.stringify(v.value)).join(' | ');
  if (field.kind === 'array') return `list of ${typeText(field.items)}`;
  return KIND_NAMES[field.kind];
}

/** `default 0.01`, `default full batch`, or undefined when the key has no default. */
export function defaultText(field: Field): string | undefined {
  if (field.default !== undefined) return `default \`${JSON.stringify(field.default)}\``;
  if (field.defaultText !== undefined) return `default: ${field.defaultText}`;
  return undefined;
}

/** The valid range as an interval, e.g. `(0, 1]`, or undefined for an unbounded number. */
export function rangeText(field: NumberField): string | undefined {
  const low = field.exclusiveMinimum ?? field.minimum;
  const high = field.exclusiveMaximum ?? field.maximum;
  if (low === undefined && high === undefined) return undefined;
  const open = field.exclusiveMinimum !== undefined ? '(' : '[';
  const close = field.exclusiveMaximum !== undefined ? ')' : ']';
  return `${low === undefined ? '(−∞' : open + low}, ${high === undefined ? '∞)' : high + close}`;
}

export function enumValueMarkdown(value: EnumValue): string {
  const parts = [`**${value.value}**: ${value.doc}`];
  if (value.formula) parts.push(value.formula);
  if (value.when) parts.push(`*When to use:* ${value.when}`);
  return parts.join('\n\n');
}

/**
 * The full explanation of a key: signature line, description, range, what it applies to, and for enums every
 * value (with the formula of `current`, the value written in the file, when it has one).
 */
export function fieldMarkdown(name: string, field: Field, current?: string): string {
  const signature = [`**${name}**: ${typeText(field)}`];
  const dflt = defaultText(field);
  if (dflt) signature.push(dflt);
  if (field.required) signature.push('required');
  const parts = [signature.join(' · '), field.description];
  if (field.kind === 'number' || field.kind === 'integer') {
    const range = rangeText(field);
    if (range) parts.push(`Valid range: \`${range}\``);
  }
  if (field.appliesTo) parts.push(`Applies when ${field.appliesTo}.`);
  if (field.kind === 'enum') {
    // The value written in the file gets its "when to use" line; without one, every value does.
    const chosen = field.values.find((v) => v.value === current);
    const item = (v: EnumValue) =>
      `- \`${v.value}\`: ${v.doc}${v.formula ? ` ${v.formula}` : ''}${!chosen && v.when ? ` *When:* ${v.when}` : ''}`;
    parts.push(field.values.map(item).join('\n'));
    if (chosen?.when) parts.push(`*When to use \`${chosen.value}\`:* ${chosen.when}`);
  }
  return parts.join('\n\n');
}
