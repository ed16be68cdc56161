/**
 * A model module's error as a diagnostic where it happened: a Python exception (or a JS one) at the line of the
 * learner's file that raised it, so the editor underlines it like any other problem. Each experiment's check
 * replaces the diagnostics its previous check left.
 */
import * as vscode from 'vscode';
import { errorLocation } from '../runner/locate';

export class ModuleDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('nnlab-modules');
  /** Files flagged by each experiment's last check ("uri#name" → file paths). */
  private readonly flagged = new Map<string, string[]>();

  /** Records the outcome of one check: `message` is its error, or undefined when it ran. */
  update(experimentId: string, message: string | undefined): void {
    for (const file of this.flagged.get(experimentId) ?? []) this.collection.delete(vscode.Uri.file(file));
    this.flagged.delete(experimentId);
    const where = message === undefined ? undefined : errorLocation(message);
    if (!where || message === undefined) return;
    const line = Math.max(0, where.line - 1);
    const first = message.split('\n', 1)[0]!.replace(/\s*\(at [^\n]*\)$/, '');
    const diagnostic = new vscode.Diagnostic(
      new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER),
      first,
      vscode.DiagnosticSeverity.Error,
    );
    diagnostic.source = 'NN Lab';
    const uri = vscode.Uri.file(where.file);
    this.collection.set(uri, [diagnostic]);
    this.flagged.set(experimentId, [where.file]);
  }

  /** What is shown now, for the in-host tests. */
  get(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  dispose(): void {
    this.collection.dispose();
  }
}
