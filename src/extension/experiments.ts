/**
 * Reading experiment files for commands: the open document's text when there is one (unsaved edits count), the
 * file on disk otherwise, resolved by the core exactly as the CLI and the language server resolve it.
 */
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { datasetShape, resolveExperimentText, type ResolvedFile } from '../core/experiment';
import type { ExperimentConfig } from '../core/types';

export interface ExperimentFile {
  uri: vscode.Uri;
  baseDir: string;
  text: string;
  resolved: ResolvedFile;
}

export async function readExperimentFile(uri: vscode.Uri): Promise<ExperimentFile> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const text = open ? open.getText() : await readFile(uri.fsPath, 'utf8');
  const baseDir = dirname(uri.fsPath);
  return { uri, baseDir, text, resolved: resolveExperimentText(text, { baseDir, dataShape: datasetShape, advice: false }) };
}

/** The experiment's resolved config, or why it cannot run (the first error, with its line). */
export function configOf(file: ExperimentFile, name: string): ExperimentConfig | string {
  if (file.resolved.fileErrors) {
    const first = file.resolved.diagnostics.find((d) => d.severity === 'error');
    return `the file has errors${first ? ` (line ${first.line}: ${first.message})` : ''}`;
  }
  const entry = file.resolved.entries.find((e) => e.name === name);
  if (!entry) return `no experiment named "${name}"`;
  if (entry.config) return entry.config;
  const first = entry.diagnostics.find((d) => d.severity === 'error');
  return `"${name}" has errors${first ? ` (line ${first.line}: ${first.message})` : ''}`;
}

export function isExperimentFile(uri: vscode.Uri): boolean {
  return uri.path.endsWith('.nnlab.json');
}
