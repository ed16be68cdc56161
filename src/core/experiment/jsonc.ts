/**
 * JSONC parsing with positions. jsonc-parser tolerates comments and trailing commas (the file format allows
 * both) and recovers from syntax errors, so one typo does not hide the rest of the file's problems.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { LineIndex, makeDiagnostic, type Diagnostic } from './diagnostics';

export type { Node as JsonNode } from 'jsonc-parser';

export interface ParsedJsonc {
  root: Node | undefined;
  lines: LineIndex;
  /** Syntax errors, each at its position. */
  diagnostics: Diagnostic[];
}

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'invalid symbol',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected ","',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'expected the end of the file',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character',
};

/**
 * jsonc-parser (and the checks after it) recurse once per level, so a pathological file such as 10000 `[`
 * would overflow the stack. No experiment file needs more than a handful of levels.
 */
export const MAX_NESTING = 256;

/** The offset of the first bracket that opens level MAX_NESTING + 1, or -1. Strings and comments are skipped. */
export function tooDeepAt(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */) {
      // As jsonc-parser does, a string ends at its closing quote or at a line break.
      for (i++; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 92 /* \ */) i++;
        else if (c === 34 || c === 10 || c === 13) break;
      }
    } else if (ch === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    } else if (ch === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (ch === 91 /* [ */ || ch === 123 /* { */) {
      if (++depth > MAX_NESTING) return i;
    } else if (ch === 93 || ch === 125) {
      depth = Math.max(0, depth - 1);
    }
  }
  return -1;
}

export function parseJsonc(text: string): ParsedJsonc {
  const lines = new LineIndex(text);
  const deep = tooDeepAt(text);
  if (deep >= 0) {
    const message = `syntax error: nested deeper than ${MAX_NESTING} levels`;
    return {
      root: undefined,
      lines,
      diagnostics: [makeDiagnostic(lines, { code: 'syntax', message, path: [], offset: deep, length: 1 })],
    };
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const diagnostics = errors.map((e) => {
    const name = printParseErrorCode(e.error);
    return makeDiagnostic(lines, {
      code: 'syntax',
      message: `syntax error: ${SYNTAX_MESSAGES[name] ?? name}`,
      path: [],
      offset: e.offset,
      length: e.length,
    });
  });
  return { root, lines, diagnostics };
}

/** The property node (key + value) of `key` in an object node; the last one wins, as in JSON.parse. */
export function propertyNode(object: Node, key: string): Node | undefined {
  if (object.type !== 'object' || !object.children) return undefined;
  let found: Node | undefined;
  for (const prop of object.children) if (prop.children?.[0]?.value === key) found = prop;
  return found;
}
