/**
 * The generated key reference at the end of docs/experiment-files.md. Each key is explained with the same
 * Markdown the language server shows on hover (src/server/fieldDocs.ts), read from src/core/experiment/schema.ts.
 */
import { fieldMarkdown } from '../src/server/fieldDocs';
import { experimentField, type Field } from '../src/core/experiment/schema';

export const REFERENCE_START =
  '<!-- key reference: generated from src/core/experiment/schema.ts by `npm run schema`; do not edit below -->';

function section(path: string, field: Field, depth: number): string[] {
  const name = path.split('.').pop()!;
  const out = [`${'#'.repeat(depth)} \`${path}\``, '', fieldMarkdown(name, field), ''];
  if (field.kind === 'object') {
    for (const [key, child] of Object.entries(field.properties))
      out.push(...section(`${path}.${key}`, child, Math.min(depth + 1, 5)));
  }
  return out;
}

export function experimentReference(): string {
  const lines = [REFERENCE_START, '', '## Key reference', ''];
  for (const [key, field] of Object.entries(experimentField.properties)) lines.push(...section(key, field, 3));
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The doc with its generated part replaced (or appended). */
export function withReference(doc: string): string {
  const at = doc.indexOf(REFERENCE_START);
  const head = at < 0 ? `${doc.trimEnd()}\n\n` : doc.slice(0, at);
  return head + experimentReference();
}
