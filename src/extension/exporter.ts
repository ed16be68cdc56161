/**
 * Export as numpy script / Export as notebook: writes the experiment's numpy program (src/core/export) beside its
 * experiment file as `<file>-<experiment>.py` or `.ipynb` (never named like a module it imports: a script called
 * random.py would shadow Python's own), atomically, and opens it.
 */
import * as vscode from 'vscode';
import { basename, dirname, join } from 'node:path';
import { exportNotebook, exportProblem, numpyScript, type ExportFormat } from '../core/export';
import { writeFileAtomic } from '../runner/atomicFile';
import { configOf, readExperimentFile } from './experiments';

/** A name part Python and every file system accept. */
const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '_');

async function freePath(dir: string, stem: string, ext: string): Promise<string> {
  for (let i = 1; ; i++) {
    const path = join(dir, `${stem}${i > 1 ? `-${i}` : ''}.${ext}`);
    try {
      await vscode.workspace.fs.stat(vscode.Uri.file(path));
    } catch {
      return path;
    }
  }
}

/** Writes and opens the export; returns its URI, or undefined after telling the user why not. */
export async function exportExperiment(
  uri: vscode.Uri,
  experiment: string,
  format: ExportFormat,
  version: string,
): Promise<vscode.Uri | undefined> {
  const file = await readExperimentFile(uri);
  const config = configOf(file, experiment);
  const problem = typeof config === 'string' ? config : exportProblem(config);
  if (typeof config === 'string' || problem) {
    void vscode.window.showErrorMessage(`NN Lab: cannot export ${experiment}: ${problem}`);
    return undefined;
  }
  const stem = `${safe(basename(uri.fsPath).replace(/\.nnlab\.json$/, ''))}-${safe(experiment)}`;
  const target = await freePath(dirname(uri.fsPath), stem, format);
  const options = { source: basename(uri.fsPath), version, csvPath: (path: string) => path };
  await writeFileAtomic(target, format === 'py' ? numpyScript(config, options) : exportNotebook(config, options));
  const written = vscode.Uri.file(target);
  await vscode.commands.executeCommand('vscode.open', written);
  return written;
}
