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

export function parseJsonc(text: string): ParsedJsonc {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const lines = new LineIndex(text);
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
