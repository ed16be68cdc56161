/**
 * Code lenses on model modules: in a JS/TS or Python file that an experiment names as `model.module`, `∇ Check
 * gradients (NAME)` above its exported `backward` (Python: `def backward(`, or the name in model.functions); after a check, the verdict (`∇ ✓ 1.2e-9`, `∇ ✗ W2, b1 (0.285)`).
 * Which experiments use which module comes from an index over the workspace's experiment files, rebuilt when one
 * changes.
 */
import * as vscode from 'vscode';
import { resolve as resolvePath } from 'node:path';
import { Commands, type ExperimentCommandArgs } from '../protocol/lsp';
import type { GradcheckReportData } from '../protocol/worker';
import { formatGradcheckTitle } from '../runner/format';
import { moduleBackwardLine } from '../runner/locate';
import { config } from './config';
import { readExperimentFile } from './experiments';

interface ModuleUser {
  file: vscode.Uri;
  experiment: string;
  /** The backward function's name (a Python module's may be configured in model.functions). */
  backward: string;
}

export class ModuleLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private index: Promise<Map<string, ModuleUser[]>> | undefined;
  private readonly reports = new Map<string, GradcheckReportData>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.nnlab.json');
    const reindex = (): void => {
      this.index = undefined;
      this.changed.fire();
    };
    this.disposables.push(
      watcher,
      watcher.onDidChange(reindex),
      watcher.onDidCreate(reindex),
      watcher.onDidDelete(reindex),
      vscode.workspace.onDidGrantWorkspaceTrust(reindex),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (config.affects(e, 'codeLens.enabled')) this.changed.fire();
      }),
      vscode.languages.registerCodeLensProvider(
        ['javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'python'].map((language) => ({
          language,
          scheme: 'file',
        })),
        this,
      ),
    );
  }

  /** Remembers a check's report so the lens shows its verdict. */
  setReport(file: vscode.Uri, report: GradcheckReportData): void {
    this.reports.set(`${file.toString()}#${report.name}`, report);
    this.changed.fire();
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!config.codeLensEnabled) return [];
    const users = (await this.usersIndex()).get(doc.uri.fsPath);
    if (!users) return [];
    const text = doc.getText();
    return users.flatMap((u) => {
      const line = moduleBackwardLine(doc.uri.fsPath, text, u.backward);
      if (line === undefined) return [];
      const range = new vscode.Range(line, 0, line, 0);
      const report = this.reports.get(`${u.file.toString()}#${u.experiment}`);
      const args: ExperimentCommandArgs = { uri: u.file.toString(), experiment: u.experiment };
      // A verdict names its experiment only when several experiments share this module.
      const title = !report
        ? `∇ Check gradients (${u.experiment})`
        : users.length > 1
          ? `${formatGradcheckTitle(report)} · ${u.experiment}`
          : formatGradcheckTitle(report);
      return [new vscode.CodeLens(range, { title, command: Commands.checkGradients, arguments: [args] })];
    });
  }

  private usersIndex(): Promise<Map<string, ModuleUser[]>> {
    return (this.index ??= this.build());
  }

  private async build(): Promise<Map<string, ModuleUser[]>> {
    const index = new Map<string, ModuleUser[]>();
    for (const file of await vscode.workspace.findFiles('**/*.nnlab.json', '**/node_modules/**')) {
      let loaded;
      try {
        loaded = await readExperimentFile(file);
      } catch {
        continue;
      }
      for (const entry of loaded.resolved.entries) {
        const module = entry.config?.model.module;
        if (!module) continue;
        const path = resolvePath(loaded.baseDir, module);
        const backward = entry.config?.model.functions?.backward ?? 'backward';
        index.set(path, [...(index.get(path) ?? []), { file, experiment: entry.name, backward }]);
      }
    }
    return index;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
