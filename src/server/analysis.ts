/**
 * One parse and one validation per document version, shared by every feature (diagnostics, lenses, symbols,
 * completion, quick fixes), so a burst of requests after a keystroke costs one pass over the text.
 * The problems come from src/core/experiment, the same code the CLI runs.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from '../core/experiment/diagnostics';
import { parseJsonc, type JsonNode } from '../core/experiment/jsonc';

export interface Analysis {
  version: number;
  root: JsonNode | undefined;
  /** Syntax errors, validation errors and tutor warnings, in document order. */
  problems: Diagnostic[];
}

const cache = new Map<string, Analysis>();

export function analyze(doc: TextDocument): Analysis {
  const cached = cache.get(doc.uri);
  if (cached && cached.version === doc.version) return cached;
  const parsed = parseJsonc(doc.getText());
  const analysis: Analysis = { version: doc.version, root: parsed.root, problems: parsed.diagnostics };
  cache.set(doc.uri, analysis);
  return analysis;
}

export function forget(uri: string): void {
  cache.delete(uri);
}
