/** A typed facade over the `nnlab.*` settings: the rest of the extension never reads configuration by string. */
import * as vscode from 'vscode';
import { availableParallelism } from 'node:os';
import { isAbsolute, join, dirname } from 'node:path';
import type { DataAccess } from '../core/datasets/access';
import { DEFAULT_DATA_MAX_MB, DEFAULT_WORKER_MEMORY_MB } from '../core/limits';
import { type GradcheckOptions, MAX_THREADS } from '../protocol/worker';
import { historyKey } from '../runner/history';

export const SECTION = 'nnlab';

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

/** The file's workspace folder, or its own folder when it is outside every workspace folder. */
function historyRoot(file: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(file);
  return folder ? folder.uri.fsPath : dirname(file.fsPath);
}

export const config = {
  /** Worker threads for training; 0 (the default) means cores − 1, at least 1. */
  get maxWorkers(): number {
    const v = section().get<number>('maxWorkers', 0);
    return v >= 1 ? Math.floor(v) : Math.max(1, availableParallelism() - 1);
  },
  /**
   * Threads per training run for large networks' matrix products; 0 (the default) shares the cores left after the
   * editor's own (cores − 1) between the training workers, at least 1.
   */
  get threads(): number {
    const v = section().get<number>('threads', 0);
    return v >= 1
      ? Math.min(Math.floor(v), MAX_THREADS)
      : Math.max(1, Math.floor((availableParallelism() - 1) / this.maxWorkers));
  },
  /** A worker thread's JavaScript heap limit, in MB (`nnlab.workerMemoryMb`). */
  get workerMemoryMb(): number {
    const v = section().get<number>('workerMemoryMb', DEFAULT_WORKER_MEMORY_MB);
    return Number.isFinite(v) && v >= 16 ? Math.floor(v) : DEFAULT_WORKER_MEMORY_MB;
  },
  /** The largest data file NN Lab reads, in MB (`nnlab.data.maxFileMb`). */
  get dataMaxMb(): number {
    const v = section().get<number>('data.maxFileMb', DEFAULT_DATA_MAX_MB);
    return Number.isFinite(v) && v > 0 ? v : DEFAULT_DATA_MAX_MB;
  },
  /**
   * What data files NN Lab reads: files up to `nnlab.data.maxFileMb`, and in an untrusted workspace only files
   * inside its folders.
   */
  get dataAccess(): DataAccess {
    const maxBytes = this.dataMaxMb * 2 ** 20;
    if (vscode.workspace.isTrusted) return { maxBytes };
    return { maxBytes, roots: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath) };
  },
  get gradcheck(): GradcheckOptions {
    const s = section();
    const options: GradcheckOptions = {
      epsilon: s.get<number>('gradcheck.epsilon', 1e-7),
      threshold: s.get<number>('gradcheck.threshold', 2e-7),
    };
    const sample = s.get<number>('gradcheck.sample', 0);
    if (sample > 0) options.sample = Math.floor(sample);
    return options;
  },
  /** `nnlab.python.path`: the interpreter for Python model modules when the Python extension gives none ('' = unset). */
  pythonPath(resource: vscode.Uri): string {
    return vscode.workspace.getConfiguration(SECTION, resource).get<string>('python.path', '').trim();
  },
  get codeLensEnabled(): boolean {
    return section().get<boolean>('codeLens.enabled', true);
  },
  get inlineResultsEnabled(): boolean {
    return section().get<boolean>('inlineResults.enabled', true);
  },
  /**
   * Where runs of `file` are stored: the setting, relative to the file's workspace folder (or to the file's own
   * folder when it is outside any workspace).
   */
  runsDirectory(file: vscode.Uri): string {
    const setting = section().get<string>('runsDirectory', '.nnlab/runs') || '.nnlab/runs';
    return isAbsolute(setting) ? setting : join(historyRoot(file), setting);
  },
  /** The key `file`'s runs are stored under: its path relative to the same folder runsDirectory starts from. */
  historyKey(file: vscode.Uri): string {
    return historyKey(historyRoot(file), file.fsPath);
  },
  /** The folder history keys of `file` are relative to (its workspace folder, else its own folder). */
  historyRoot,
  affects(e: vscode.ConfigurationChangeEvent, key: string): boolean {
    return e.affectsConfiguration(`${SECTION}.${key}`);
  },
};
