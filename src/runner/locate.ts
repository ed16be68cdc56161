/**
 * Where things are in source text, for placing inline results, test items and lenses. Pure: positions are
 * 0-based line/character so the extension converts them to vscode.Range without any parsing of its own.
 */
import { parseJsonc, propertyNode } from '../core/experiment/jsonc';

export interface TextSpan {
  line: number;
  character: number;
  length: number;
}

/** The span of each experiment's key under `experiments`, by name, in document order. */
export function experimentKeySpans(text: string): Map<string, TextSpan> {
  const spans = new Map<string, TextSpan>();
  const { root, lines } = parseJsonc(text);
  const experiments = root && propertyNode(root, 'experiments')?.children?.[1];
  if (experiments?.type !== 'object') return spans;
  for (const prop of experiments.children ?? []) {
    const key = prop.children?.[0];
    if (key?.type !== 'string') continue;
    const pos = lines.position(key.offset);
    spans.set(String(key.value), { line: pos.line - 1, character: pos.column - 1, length: key.length });
  }
  return spans;
}

/**
 * The line (0-based) of a model module's `backward` function: `export function backward`, `export const backward =`,
 * `exports.backward =`, `module.exports.backward =`, or a `function backward` declaration (exported by name
 * elsewhere). The exported forms win over a plain declaration.
 */
export function backwardLine(text: string): number | undefined {
  const lines = text.split(/\r?\n/);
  const exported = /^\s*(export\s+(async\s+)?function\s+backward\b|export\s+(const|let|var)\s+backward\s*=|(module\.)?exports\.backward\s*=)/;
  const declared = /^\s*(async\s+)?function\s+backward\b|^\s*(const|let|var)\s+backward\s*=/;
  let fallback: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    if (exported.test(lines[i]!)) return i;
    if (fallback === undefined && declared.test(lines[i]!)) fallback = i;
  }
  return fallback;
}
