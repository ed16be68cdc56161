/**
 * The command table: one small factory per command, each taking the context and returning the handler. Lens
 * arguments are guarded with src/protocol/lsp's converters; without arguments a command works on the active editor.
 */
import * as vscode from 'vscode';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chartRunFromResult } from '../charts/runs';
import { compareArgsFrom, experimentArgsFrom, LANGUAGE_ID } from '../protocol/lsp';
import { writeFileAtomic } from '../runner/atomicFile';
import { legacyKeyUnder, readRun } from '../runner/history';
import type { ExportFormat } from '../core/export';
import { CommandIds, type ContributedCommand } from './commandIds';
import type { Ctx } from './ctx';
import { exportExperiment } from './exporter';
import { isExperimentFile, readExperimentFile, runnablesOf, type ExperimentFile } from './experiments';
import type { ActiveRun, RunAction, RunReport, RunRequest } from './runs';

type Factory = (ctx: Ctx) => (...args: unknown[]) => unknown;

/**
 * The experiment file a command without arguments acts on: the active editor's, by name or by language (an
 * untitled New Experiment File has the language but not the name; its lenses already run it).
 */
function activeExperimentFile(): vscode.Uri | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && (isExperimentFile(doc.uri) || doc.languageId === LANGUAGE_ID)) return doc.uri;
  void vscode.window.showErrorMessage('NN Lab: open an experiment file (*.nnlab.json) first.');
  return undefined;
}

/** The experiment under the cursor, or one picked from the file. */
async function pickExperiment(file: ExperimentFile): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  const names = file.resolved.entries.map((e) => e.name);
  if (editor?.document.uri.toString() === file.uri.toString()) {
    const line = editor.selection.active.line + 1;
    const here = [...file.resolved.entries].reverse().find((e) => e.line <= line);
    if (here) return here.name;
  }
  return names.length === 1 ? names[0] : vscode.window.showQuickPick(names, { placeHolder: 'Experiment' });
}

/** Resolved run requests (a sweep's trials in its place), or undefined after telling the user what is wrong. */
function requests(file: ExperimentFile, names: string[]): RunRequest[] | undefined {
  const out: RunRequest[] = [];
  for (const name of names) {
    const runnables = runnablesOf(file, name);
    if (typeof runnables === 'string') {
      void vscode.window.showErrorMessage(`NN Lab: cannot run ${name}: ${runnables}`);
      return undefined;
    }
    for (const r of runnables) {
      out.push({
        uri: file.uri,
        baseDir: file.baseDir,
        config: r.config,
        ...(r.sweep ? { sweep: { experiment: name, values: r.sweep } } : {}),
        ...(r.prune ? { prune: r.prune } : {}),
      });
    }
  }
  return out;
}

/** The experiment a command acts on: the lens's arguments, or one picked from the active file (then read already). */
async function targetExperiment(
  arg: unknown,
): Promise<{ uri: vscode.Uri; experiment: string; file?: ExperimentFile } | undefined> {
  if (arg !== undefined) {
    const { uri, experiment } = experimentArgsFrom(arg);
    return { uri: vscode.Uri.parse(uri), experiment };
  }
  const uri = activeExperimentFile();
  if (!uri) return undefined;
  const file = await readExperimentFile(uri);
  const experiment = await pickExperiment(file);
  return experiment ? { uri, experiment, file } : undefined;
}

async function train(
  ctx: Ctx,
  file: ExperimentFile,
  names: string[] | undefined,
  title: (names: string[]) => string,
): Promise<RunReport[]> {
  const chosen = names ?? file.resolved.entries.map((e) => e.name);
  const reqs = requests(file, chosen);
  return reqs ? ctx.runs.train(reqs, title(chosen)) : [];
}

const runExperiment: Factory = (ctx) => async (arg) => {
  const target = await targetExperiment(arg);
  if (!target) return undefined;
  const file = target.file ?? (await readExperimentFile(target.uri));
  const outcomes = await train(ctx, file, [target.experiment], (n) => n[0]!);
  // A sweep answers with every trial; a plain experiment with its one run.
  return outcomes.length === 1 ? outcomes[0] : outcomes;
};

const runAllInFile: Factory = (ctx) => async (arg) => {
  const uri =
    arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? vscode.Uri.parse(arg) : activeExperimentFile();
  return uri ? train(ctx, await readExperimentFile(uri), undefined, (n) => `${n.length} experiments`) : undefined;
};

const compareExperiments: Factory = (ctx) => async (arg) => {
  if (arg !== undefined) {
    const { uri, experiments } = compareArgsFrom(arg);
    return train(ctx, await readExperimentFile(vscode.Uri.parse(uri)), experiments, (n) => `compare ${n.join(', ')}`);
  }
  const uri = activeExperimentFile();
  if (!uri) return undefined;
  const file = await readExperimentFile(uri);
  const picked = await vscode.window.showQuickPick(
    file.resolved.entries.map((e) => e.name),
    { canPickMany: true, placeHolder: 'Experiments to compare' },
  );
  return picked?.length ? train(ctx, file, picked, (n) => `compare ${n.join(', ')}`) : undefined;
};

const checkGradients: Factory = (ctx) => async (arg) => {
  const target = await targetExperiment(arg);
  return target ? ctx.tests.runOne(target.uri, target.experiment) : undefined;
};

/** Export as numpy script / notebook: the lens's experiment (the lens asks which), or one from the active file. */
const exportAs =
  (format: ExportFormat | undefined): Factory =>
  (ctx) =>
  async (arg) => {
    const target = await targetExperiment(arg);
    if (!target) return undefined;
    const chosen =
      format ??
      (
        await vscode.window.showQuickPick(
          [
            { label: 'Export as numpy script', format: 'py' as const },
            { label: 'Export as notebook', format: 'ipynb' as const },
          ],
          { placeHolder: `Export ${target.experiment}` },
        )
      )?.format;
    return chosen
      ? exportExperiment(target.uri, target.experiment, chosen, String(ctx.extension.extension.packageJSON.version))
      : undefined;
  };

/** The run a run command acts on: its id as the argument (tests, the panel), the only run, or a pick. */
async function pickRun(
  ctx: Ctx,
  arg: unknown,
  placeHolder: string,
  eligible: (r: ActiveRun) => boolean = () => true,
): Promise<number | undefined> {
  if (typeof arg === 'number') return arg;
  const runs = ctx.runs.list().filter(eligible);
  if (runs.length === 0) return void vscode.window.showInformationMessage('NN Lab: no run to act on.');
  if (runs.length === 1) return runs[0]!.id;
  const picked = await vscode.window.showQuickPick(
    runs.map((r) => ({
      label: r.experiment,
      description: r.started ? `epoch ${r.epoch}/${r.epochs}${r.control?.paused ? ' · paused' : ''}` : 'queued',
      id: r.id,
    })),
    { placeHolder },
  );
  return picked?.id;
}

const runCommand =
  (action: RunAction, placeHolder: string, eligible?: (r: ActiveRun) => boolean): Factory =>
  (ctx) =>
  async (arg) => {
    const id = await pickRun(ctx, arg, placeHolder, eligible);
    if (id !== undefined) ctx.runs.control(id, action);
  };

const cancelRun = runCommand('cancel', 'Run to cancel');
const pauseRun = runCommand('pause', 'Run to pause', (r) => r.kind === 'train' && !r.control?.paused);
const resumeRun = runCommand('resume', 'Run to resume', (r) => r.control?.paused === true);
const stepRun = runCommand('step', 'Run to step one epoch', (r) => r.kind === 'train');

/** The status bar's menu: every action that applies to each active run. */
const runControls: Factory = (ctx) => async () => {
  const items = ctx.runs.list().flatMap((r) => {
    const actions: Array<[RunAction, string]> = [];
    if (r.kind === 'train' && r.control)
      actions.push(r.control.paused ? ['resume', '$(debug-continue) Resume'] : ['pause', '$(debug-pause) Pause'], [
        'step',
        '$(debug-step-over) Step one epoch',
      ]);
    actions.push(['cancel', '$(close) Cancel']);
    return actions.map(([action, label]) => ({
      label: `${label}: ${r.experiment}`,
      description: r.started ? `epoch ${r.epoch}/${r.epochs}` : 'queued',
      id: r.id,
      action,
    }));
  });
  if (!items.length) return void vscode.window.showInformationMessage('NN Lab: nothing is running.');
  const picked = await vscode.window.showQuickPick(items, { placeHolder: 'NN Lab runs' });
  if (picked) ctx.runs.control(picked.id, picked.action);
};

const cancelAll: Factory = (ctx) => () => ctx.runs.cancelAll();

const showPanel: Factory = (ctx) => () => ctx.panel.show(false);

const openRunHistory: Factory = () => () => vscode.commands.executeCommand('nnlabRuns.focus');

const refreshRunHistory: Factory = (ctx) => () => ctx.history.refresh();

/** Opens a stored run (a tree item's path) in the panel. */
const openRun: Factory = (ctx) => async (arg) => {
  if (typeof arg !== 'string') return;
  const root = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(arg))?.uri.fsPath;
  const record = await readRun(arg, root === undefined ? undefined : legacyKeyUnder(root));
  if (typeof record === 'string') return void vscode.window.showWarningMessage(`NN Lab: cannot open ${arg}: ${record}`);
  const run = chartRunFromResult(arg, record.result, { config: record.config });
  ctx.panel.begin('run', [run]);
  void ctx.panel.show(false);
  const boundary = await ctx.boundaryOf(record);
  if (boundary) ctx.panel.finished({ ...run, boundary });
  return run.id;
};

/**
 * A new experiment file from one of the course's labs. The templates are the extension's own examples, so the
 * template and the documented example can never drift apart.
 */
const newExperimentFile: Factory = (ctx) => async (arg) => {
  const examples = join(ctx.extension.extensionPath, 'examples');
  const labs = (await readdir(examples))
    .filter((n) => n.endsWith('.nnlab.json'))
    .map((n) => n.slice(0, -'.nnlab.json'.length));
  const lab =
    typeof arg === 'string' && labs.includes(arg)
      ? arg
      : await vscode.window.showQuickPick(labs, { placeHolder: 'Start from the lab' });
  if (!lab) return undefined;
  // The example's $schema is relative to the extension's folder; in the user's folder it would dangle.
  const text = (await readFile(join(examples, `${lab}.nnlab.json`), 'utf8')).replace(/^\s*"\$schema":.*\n/m, '');
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    const doc = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: text });
    await vscode.window.showTextDocument(doc);
    return doc.uri;
  }
  let target = vscode.Uri.joinPath(folder.uri, `${lab}.nnlab.json`);
  for (let i = 2; await exists(target); i++) target = vscode.Uri.joinPath(folder.uri, `${lab}-${i}.nnlab.json`);
  await writeFileAtomic(target.fsPath, text);
  await vscode.window.showTextDocument(target);
  return target;
};

/**
 * Saves what the panel shows (one run or a comparison) as one self-contained HTML file: the cost curves and
 * decision boundaries as inline SVG and the comparison table (the charts module's report, rendered in a worker).
 */
const saveReport: Factory = (ctx) => async (arg) => {
  const runs = ctx.panel.data.runs.filter((r) => r.status !== 'running');
  if (runs.length === 0)
    return void vscode.window.showInformationMessage(
      'NN Lab: run or compare experiments first; the report shows what the panel shows.',
    );
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target =
    arg instanceof vscode.Uri
      ? arg
      : await vscode.window.showSaveDialog({
          ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, 'nnlab-report.html') } : {}),
          filters: { HTML: ['html'] },
        });
  if (!target) return undefined;
  const html = await ctx.renderReport(runs, undefined, `Saved ${new Date().toLocaleString()} by NN Lab`);
  await writeFileAtomic(target.fsPath, html);
  return target;
};

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** A handler for every id of the table (commandIds.ts); the compiler refuses a table with one missing. */
export const commandTable: Record<ContributedCommand, Factory> = {
  [CommandIds.runExperiment]: runExperiment,
  [CommandIds.checkGradients]: checkGradients,
  [CommandIds.compareExperiments]: compareExperiments,
  [CommandIds.exportNumpy]: exportAs(undefined),
  [CommandIds.exportNumpyScript]: exportAs('py'),
  [CommandIds.exportNotebook]: exportAs('ipynb'),
  [CommandIds.runAllInFile]: runAllInFile,
  [CommandIds.cancelRun]: cancelRun,
  [CommandIds.pauseRun]: pauseRun,
  [CommandIds.resumeRun]: resumeRun,
  [CommandIds.stepRun]: stepRun,
  [CommandIds.runControls]: runControls,
  [CommandIds.cancelAll]: cancelAll,
  [CommandIds.showPanel]: showPanel,
  [CommandIds.openRunHistory]: openRunHistory,
  [CommandIds.refreshRunHistory]: refreshRunHistory,
  [CommandIds.openRun]: openRun,
  [CommandIds.newExperimentFile]: newExperimentFile,
  [CommandIds.saveReport]: saveReport,
};
