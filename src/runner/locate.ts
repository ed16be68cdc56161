/**
 * Where things are in model modules, for test messages and lenses. (Experiment positions come from the core's
 * resolver, `ExperimentEntry.line/column`.) Pure.
 */
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
