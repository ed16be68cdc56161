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
  const exported =
    /^\s*(export\s+(async\s+)?function\s+backward\b|export\s+(const|let|var)\s+backward\s*=|(module\.)?exports\.backward\s*=)/;
  const declared = /^\s*(async\s+)?function\s+backward\b|^\s*(const|let|var)\s+backward\s*=/;
  let fallback: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    if (exported.test(lines[i]!)) return i;
    if (fallback === undefined && declared.test(lines[i]!)) fallback = i;
  }
  return fallback;
}

/** The line (0-based) of `def NAME(` in a Python module (a top-level or nested def, async too). */
export function pythonDefLine(text: string, name: string): number | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const def = new RegExp(`^\\s*(async\\s+)?def\\s+${escaped}\\s*\\(`);
  const lines = text.split(/\r?\n/);
  const i = lines.findIndex((l) => def.test(l));
  return i < 0 ? undefined : i;
}

/** The line of a model module's backward function: `def <backward>(` in a .py file, else the JS forms above. */
export function moduleBackwardLine(file: string, text: string, backward = 'backward'): number | undefined {
  return file.toLowerCase().endsWith('.py') ? pythonDefLine(text, backward) : backwardLine(text);
}

export interface ErrorLocation {
  file: string;
  /** 1-based, as messages print it. */
  line: number;
  column?: number;
}

/**
 * Where a model module's error happened, from its message's first line: "… (at /abs/x.py:12)" (Python) or
 * "… (at forward (/abs/x.js:12:5))" (Node's stack frame). Undefined when the message names no file.
 */
export function errorLocation(message: string): ErrorLocation | undefined {
  const first = message.split('\n', 1)[0]!;
  const m = /\(at (?:[^()]*\()?((?:file:\/\/)?(?:\/|[A-Za-z]:[\\/])[^()]*?):(\d+)(?::(\d+))?\)+$/.exec(first);
  if (!m) return undefined;
  const file = m[1]!.startsWith('file://') ? decodeURIComponent(m[1]!.slice('file://'.length)) : m[1]!;
  return { file, line: Number(m[2]), ...(m[3] ? { column: Number(m[3]) } : {}) };
}
