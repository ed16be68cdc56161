/**
 * Reading experiment files for commands: the open document's text when there is one (unsaved edits count), the
 * file on disk otherwise, resolved by the core exactly as the CLI and the language server resolve it.
 */
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { resolveExperimentText, type ResolvedFile } from '../core/experiment';
import { cachedDataShape, dataShapesPending, dataShapesSettled, moduleExists } from '../node/experiment';
import type { ExperimentConfig } from '../core/types';
import { Pruner } from '../core/sweep/prune';
import { config } from './config';

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
  let resolved = resolveForRuns(text, baseDir);
  // A data file not checked yet is checked in the background; a run waits for it rather than start unchecked.
  if (dataShapesPending()) {
    await dataShapesSettled();
    resolved = resolveForRuns(text, baseDir);
  }
  return { uri, baseDir, text, resolved };
}

/**
 * The file as runs see it (no tutor advice). CSV shapes come from the cache the language server uses, so an edit
 * does not re-read a data file on the extension host's thread unless the file changed.
 */
export function resolveForRuns(text: string, baseDir: string): ResolvedFile {
  return resolveExperimentText(text, {
    baseDir,
    dataShape: cachedDataShape,
    moduleExists,
    advice: false,
    workerMemoryMb: config.workerMemoryMb,
  });
}

/** One run an experiment stands for: the experiment itself, or one trial of its sweep. */
export interface Runnable {
  config: ExperimentConfig;
  /** A sweep trial's values by path (copied into its result, as the CLI does). */
  sweep?: Record<string, unknown>;
  /** A trial of a sweep with early stopping: the sweep's pruner and the trial's index in trial order. */
  prune?: { pruner: Pruner; trial: number };
}

/** What running the experiment runs: itself, or every trial of its sweep; or why it cannot run. */
export function runnablesOf(file: ExperimentFile, name: string): Runnable[] | string {
  const entry = file.resolved.entries.find((e) => e.name === name);
  if (entry?.sweep && !file.resolved.fileErrors) {
    const settings = entry.sweep.definition.prune;
    const pruner = settings && new Pruner(settings, entry.sweep.trials.length);
    return entry.sweep.trials.map((t, trial) => ({
      config: t.config,
      sweep: t.values,
      ...(pruner ? { prune: { pruner, trial } } : {}),
    }));
  }
  const config = configOf(file, name);
  return typeof config === 'string' ? config : [{ config }];
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
  if (entry.sweep) return `"${name}" is a sweep; its trials run with ▶ Run sweep`;
  const first = entry.diagnostics.find((d) => d.severity === 'error');
  return `"${name}" has errors${first ? ` (line ${first.line}: ${first.message})` : ''}`;
}

export function isExperimentFile(uri: vscode.Uri): boolean {
  return uri.path.endsWith('.nnlab.json');
}
