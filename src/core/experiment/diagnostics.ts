/**
 * The diagnostic every front end shows: the CLI prints it as `FILE:LINE:COL: error: MESSAGE [at PATH]`, the
 * language server turns it into an LSP diagnostic with the same range. Positions are 1-based lines and
 * columns in UTF-16 code units (LSP's unit), plus the raw offset/length for editors.
 */

export type JsonPath = (string | number)[];

/** A text edit that fixes the problem (used by the editor's quick fixes). */
export interface DiagnosticFix {
  title: string;
  offset: number;
  length: number;
  newText: string;
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  message: string;
  /** The JSON path of the offending key or value (`['experiments', 'adam', 'train', 'learningRate']`). */
  path: JsonPath;
  offset: number;
  length: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Stable identifier of the kind of problem, e.g. `unknown-key`, `range`, `advice/zeros-init`. */
  code: string;
  /** Replacement candidates for "did you mean" quick fixes (key names or enum values, unquoted). */
  suggestions?: string[];
  fix?: DiagnosticFix;
}

/** Maps offsets to 1-based line/column. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      // \r\n counts as one break; a lone \r too, as editors do.
      if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }

  position(offset: number): { line: number; column: number } {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - this.starts[lo]! + 1 };
  }
}

export interface DiagnosticInit {
  severity?: 'error' | 'warning';
  code: string;
  message: string;
  path: JsonPath;
  offset: number;
  length: number;
  suggestions?: string[];
  fix?: DiagnosticFix;
}

export function makeDiagnostic(lines: LineIndex, init: DiagnosticInit): Diagnostic {
  const start = lines.position(init.offset);
  const end = lines.position(init.offset + init.length);
  const d: Diagnostic = {
    severity: init.severity ?? 'error',
    message: init.message,
    path: init.path,
    offset: init.offset,
    length: init.length,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    code: init.code,
  };
  if (init.suggestions?.length) d.suggestions = init.suggestions;
  if (init.fix) d.fix = init.fix;
  return d;
}

/** `experiments.adam.model.layers[0]`: how paths appear in messages. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Document order, so messages read top to bottom; at the same offset errors come first. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.offset - b.offset || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1),
  );
}
