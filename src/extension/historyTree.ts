/**
 * The "NN Lab Runs" tree in the Explorer: experiment files, then experiments, then runs (newest first), read
 * from every workspace folder's runs directory. A corrupt run file is skipped with a warning in the log.
 */
import * as vscode from 'vscode';
import { formatRunResult } from '../runner/format';
import { listRuns, type StoredRun } from '../runner/history';
import { CommandIds } from './commandIds';
import { config } from './config';

type Node =
  /** `key`: the experiment file's workspace-relative path, which its runs are stored under. */
  | { kind: 'file'; key: string; runs: StoredRun[] }
  | { kind: 'experiment'; key: string; name: string; runs: StoredRun[] }
  | { kind: 'run'; run: StoredRun };

export class HistoryTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly warn: (message: string) => void) {}

  private refreshTimer: NodeJS.Timeout | undefined;

  /** Coalesced: a sweep writes one run file per trial, and every refresh re-reads the whole history from disk. */
  refresh(): void {
    this.refreshTimer ??= setTimeout(() => {
      this.refreshTimer = undefined;
      this.changed.fire();
    }, 200);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) return this.files();
    if (node.kind === 'file') {
      const names = [...new Set(node.runs.map((r) => r.experiment))];
      return names.map((name) => ({
        kind: 'experiment',
        key: node.key,
        name,
        runs: node.runs.filter((r) => r.experiment === name),
      }));
    }
    if (node.kind === 'experiment') return node.runs.map((run) => ({ kind: 'run', run }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'file': {
        const item = new vscode.TreeItem(node.key, vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = new vscode.ThemeIcon('file');
        item.contextValue = 'nnlabRunFile';
        return item;
      }
      case 'experiment': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `${node.runs.length} run${node.runs.length === 1 ? '' : 's'}`;
        item.iconPath = new vscode.ThemeIcon('beaker');
        return item;
      }
      case 'run': {
        const { record, path } = node.run;
        const item = new vscode.TreeItem(
          new Date(record.finishedAt).toLocaleString(),
          vscode.TreeItemCollapsibleState.None,
        );
        item.description = formatRunResult(record.result);
        item.tooltip = `${record.file}\n${path}`;
        item.iconPath = new vscode.ThemeIcon(
          record.result.status === 'ok' ? 'pass' : record.result.status === 'cancelled' ? 'circle-slash' : 'error',
        );
        item.contextValue = 'nnlabRun';
        item.command = { command: CommandIds.openRun, title: 'Open Run', arguments: [path] };
        return item;
      }
    }
  }

  /** `file/experiment: count` lines (the file's workspace-relative path without .nnlab.json) of what the tree shows (the in-host tests read the tree through this). */
  async summary(): Promise<string[]> {
    const lines: string[] = [];
    for (const file of await this.getChildren()) {
      for (const exp of await this.getChildren(file)) {
        if (exp.kind === 'experiment')
          lines.push(`${exp.key.replace(/\.nnlab\.json$/, '')}/${exp.name}: ${exp.runs.length}`);
      }
    }
    return lines;
  }

  /** Runs grouped by experiment file, over every workspace folder's runs directory. */
  private async files(): Promise<Node[]> {
    const dirs = new Map(
      (vscode.workspace.workspaceFolders ?? []).map((f) => [
        config.runsDirectory(vscode.Uri.joinPath(f.uri, 'x.nnlab.json')),
        f.uri.fsPath,
      ]),
    );
    const byFile = new Map<string, StoredRun[]>();
    for (const [dir, root] of dirs) {
      const { runs, warnings } = await listRuns(dir, undefined, root);
      for (const w of warnings) this.warn(`skipped a run file: ${w}`);
      for (const run of runs)
        byFile.set(run.record.workspaceFile, [...(byFile.get(run.record.workspaceFile) ?? []), run]);
    }
    return [...byFile].map(([key, runs]) => ({ kind: 'file', key, runs }));
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.changed.dispose();
  }
}
