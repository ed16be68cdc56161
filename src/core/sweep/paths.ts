/** Which keys a sweep may vary: every key below `data`, `model` and `train`, by its dotted path. */
import { childField, experimentSections, type Field } from '../experiment/schema';

function collect(prefix: string, field: Field, out: string[]): void {
  if (field.kind !== 'object') return;
  for (const [key, child] of Object.entries(field.properties)) {
    const path = `${prefix}.${key}`;
    out.push(path);
    collect(path, child, out);
  }
}

let cached: string[] | undefined;

/** `data.dataset`, …, `model.layers`, …, `train.decay`, `train.decay.rate`, …, in schema order. */
export function sweepablePaths(): string[] {
  if (!cached) {
    cached = [];
    for (const [section, field] of Object.entries(experimentSections)) collect(section, field, cached);
  }
  return cached;
}

/** The field a sweep path sets, or undefined when the path is not a key of the format. */
export function fieldForSweepPath(segments: readonly string[]): Field | undefined {
  const [section, ...rest] = segments;
  if (rest.length === 0 || !section || !Object.hasOwn(experimentSections, section)) return undefined;
  let field: Field | undefined = experimentSections[section as keyof typeof experimentSections];
  for (const key of rest) field = field && childField(field, key);
  return field;
}
