/**
 * Quick fixes for the problems the core reports with a remedy: "did you mean" suggestions (unknown keys and
 * enum values; the problem's range is the offending string, quotes included) and explicit fixes such as
 * setting layers[0] to the dataset's feature count.
 */
import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from '../core/experiment/diagnostics';
import { toLspDiagnostic } from './diagnostics';

function overlaps(doc: TextDocument, d: Diagnostic, range: Range): boolean {
  return d.offset <= doc.offsetAt(range.end) && doc.offsetAt(range.start) <= d.offset + d.length;
}

function action(
  doc: TextDocument,
  d: Diagnostic,
  title: string,
  offset: number,
  length: number,
  newText: string,
  preferred: boolean,
): CodeAction {
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [toLspDiagnostic(doc, d)],
    isPreferred: preferred,
    edit: {
      changes: {
        [doc.uri]: [{ range: { start: doc.positionAt(offset), end: doc.positionAt(offset + length) }, newText }],
      },
    },
  };
}

export function codeActions(doc: TextDocument, problems: readonly Diagnostic[], range: Range): CodeAction[] {
  const actions: CodeAction[] = [];
  const text = doc.getText();
  for (const d of problems) {
    if (!overlaps(doc, d, range)) continue;
    if (d.fix) actions.push(action(doc, d, d.fix.title, d.fix.offset, d.fix.length, d.fix.newText, true));
    // Suggestions replace a quoted key or value; anything else has no textual replacement to offer.
    if (!d.suggestions || text[d.offset] !== '"') continue;
    d.suggestions.forEach((s, i) => {
      actions.push(action(doc, d, `Change to "${s}"`, d.offset, d.length, JSON.stringify(s), i === 0 && !d.fix));
    });
  }
  return actions;
}
