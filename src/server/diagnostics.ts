/** Core diagnostics → LSP diagnostics. Ranges come from the core's offsets, so they match the CLI's line:col. */
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from '../core/experiment/diagnostics';

export function toLspDiagnostic(doc: TextDocument, d: Diagnostic): LspDiagnostic {
  return {
    range: { start: doc.positionAt(d.offset), end: doc.positionAt(d.offset + d.length) },
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: 'nnlab',
    message: d.message,
  };
}
