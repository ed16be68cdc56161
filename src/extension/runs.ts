/**
 * Runs on the worker pool, seen from the editor: each run gets a progress notification with its epoch count and
 * Cancel, the status bar counts running and queued runs, the log gets one line per run, the panel and the inline
 * results follow live, and every ending (ok, diverged, error, cancelled) is written to the run history.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { ExperimentConfig, RunResult } from '../core/types';
import { chartRunFromResult } from '../charts/runs';
import type { ChartRun } from '../protocol/webview';
import type { GradcheckReportData, PathsJob } from '../protocol/worker';
import type { OptimizerPaths } from '../protocol/webview';
import { comparablePaths } from '../core/inspect/landscape';
import { formatDuration, formatNumber, formatProgress, formatSweepResult, QUEUED_TEXT } from '../runner/format';
import { writeRun, RUN_RECORD_FORMAT } from '../runner/history';
import { UNTRUSTED_MODULE_MESSAGE } from '../runner/job';
import type { JobHandle, WorkerPool } from '../runner/pool';
import { gradcheckView } from '../runner/results';
import type { PrunableTask } from '../runner/prune';
import { trainAll, type TrainingRun, type TrainingTask } from '../runner/training';
import { RunProgress, eta, formatClock } from '../runner/runProgress';
import { isPythonModule } from '../core/gradcheck/experiment';
import { CommandIds } from './commandIds';
import { PauseControl } from '../runner/pause';
import type { RunControl } from '../protocol/webview';
import { config } from './config';
import type { InlineResults } from './inline';
import type { Panel } from './panel';
import { interpreterFor } from './python';

/** An experiment to run: where it came from and its resolved config. */
export interface RunRequest {
  uri: vscode.Uri;
  baseDir: string;
  config: ExperimentConfig;
  /** For a sweep trial: the experiment whose line shows the sweep's result, and the trial's values by path. */
  sweep?: { experiment: string; values: Record<string, unknown> };
  /** For a trial of a sweep with early stopping: its pruner and index (src/runner/prune.ts decides). */
  prune?: PrunableTask['prune'];
}

/** What a run command answers per experiment (the e2e tests read it). */
export interface RunReport {
  experiment: string;
  status: RunResult['status'] | 'refused';
  result?: RunResult;
  /** The run file written to the history. */
  historyPath?: string;
  message?: string;
}

export interface GradcheckOutcome {
  experiment: string;
  status: 'passed' | 'failed' | 'error' | 'cancelled' | 'refused';
  report?: GradcheckReportData;
  message?: string;
  durationMs: number;
}

/** A run the extension is tracking, for Cancel Run's quick pick and the tests. */
export interface ActiveRun {
  id: number;
  readonly uri: vscode.Uri;
  readonly experiment: string;
  readonly kind: 'train' | 'gradcheck';
  started: boolean;
  epoch: number;
  epochs: number;
  handle: JobHandle;
  /** Loading, epoch, latest cost, elapsed, ETA: what the notification and the status bar show. */
  progress?: RunProgress;
  /** Pause/resume/step of a training run (runner/pause.ts). */
  control?: PauseControl;
  /** The run's id in the panel. */
  chartId?: string;
}

export type RunAction = RunControl | 'cancel';

export interface RunsDeps {
  pool: () => WorkerPool;
  panel: Panel;
  inline: InlineResults;
  log: vscode.LogOutputChannel;
  version: string;
  /** Optimizer paths of comparable runs, computed off the extension host's thread (undefined when that failed). */
  optimizerPaths?: (job: PathsJob) => Promise<OptimizerPaths | undefined>;
}

export class Runs implements vscode.Disposable {
  private readonly active = new Map<number, ActiveRun>();
  private readonly statusBar = vscode.window.createStatusBarItem('nnlab.runs', vscode.StatusBarAlignment.Left, 0);
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a run is queued, starts, progresses to a new epoch chunk, or ends. */
  readonly onDidChange = this.changed.event;
  private readonly historyWritten = new vscode.EventEmitter<string>();
  readonly onDidWriteHistory = this.historyWritten.event;

  constructor(private readonly deps: RunsDeps) {
    this.statusBar.name = 'NN Lab runs';
    this.statusBar.command = CommandIds.runControls;
    deps.panel.onControl = (chartId, action) => {
      const run = this.list().find((r) => r.chartId === chartId);
      if (run) this.control(run.id, action);
    };
  }

  /**
   * Pauses, resumes or steps (one epoch, then paused) a training run, or cancels any run. A paused run keeps its
   * exact state in its worker: resumed, it ends with the numbers an uninterrupted run has.
   */
  control(id: number, action: RunAction): void {
    const run = this.active.get(id);
    if (!run) return;
    if (action === 'cancel') return run.handle.cancel();
    if (!run.control) return;
    run.control[action]();
    if (run.chartId) this.deps.panel.setPaused(run.chartId, run.control.paused);
    this.update();
  }

  list(): ActiveRun[] {
    return [...this.active.values()];
  }

  cancel(id: number): void {
    this.active.get(id)?.handle.cancel();
  }

  cancelAll(): void {
    for (const run of this.active.values()) run.handle.cancel();
  }

  /**
   * Trains the experiments. One run shows as a run in the panel; several as one comparison. Resolves when all
   * have ended, whatever their status.
   */
  async train(requests: RunRequest[], title: string): Promise<RunReport[]> {
    const allowed = requests.filter((r) => this.allowed(r.config));
    const refused: RunReport[] = requests
      .filter((r) => !allowed.includes(r))
      .map((r) => ({ experiment: r.config.name, status: 'refused', message: UNTRUSTED_MODULE_MESSAGE }));
    if (refused.length) void this.explainTrust(refused.map((r) => r.experiment));
    if (allowed.length === 0) return refused;

    const started = this.startTraining(allowed);
    const charts = started.map((s) => s.chart);
    this.deps.panel.begin(charts.length > 1 ? 'compare' : 'run', charts);
    void this.deps.panel.show();
    const sweeps = this.followSweeps(allowed, started);
    const outcomes = await this.withProgress(title, started);
    await sweeps;
    await this.showPaths(allowed, outcomes, charts);
    return [...outcomes, ...refused];
  }

  /** A comparison of runs of one network on one data set gets their optimizer paths (docs/network-view.md). */
  private async showPaths(requests: RunRequest[], outcomes: RunReport[], charts: ChartRun[]): Promise<void> {
    if (!this.deps.optimizerPaths) return;
    const runs = requests.flatMap((req, i) => {
      const snapshots = outcomes[i]?.status === 'ok' ? outcomes[i]!.result?.inspection?.snapshots : undefined;
      return snapshots ? [{ req, id: charts[i]!.id, model: req.config.model, data: req.config.data, snapshots }] : [];
    });
    if (!comparablePaths(runs)) return;
    const first = runs[0]!.req;
    try {
      const paths = await this.deps.optimizerPaths({
        kind: 'paths',
        config: first.config,
        baseDir: first.baseDir,
        runs: runs.map((r) => ({ name: r.req.config.name, snapshots: r.snapshots })),
        dataAccess: config.dataAccess,
      });
      if (paths)
        this.deps.panel.paths(
          runs.map((r) => r.id),
          paths,
        );
    } catch (err) {
      // The runs' results stand without the picture.
      this.deps.log.warn(`no optimizer paths: ${(err as Error).message}`);
    }
  }

  /** A sweep's line counts finished trials while it runs, then names the best trial. */
  private async followSweeps(requests: RunRequest[], started: Array<{ done: Promise<RunReport> }>): Promise<void> {
    const bySweep = new Map<string, { uri: vscode.Uri; experiment: string; done: Array<Promise<RunReport>> }>();
    requests.forEach((req, i) => {
      if (!req.sweep) return;
      const key = `${req.uri.toString()}#${req.sweep.experiment}`;
      const group = bySweep.get(key) ?? { uri: req.uri, experiment: req.sweep.experiment, done: [] };
      group.done.push(started[i]!.done);
      bySweep.set(key, group);
    });
    await Promise.all(
      [...bySweep.values()].map(async ({ uri, experiment, done }) => {
        let finished = 0;
        const show = (): void =>
          this.deps.inline.set(uri, experiment, { text: `⏳ sweep: ${finished}/${done.length} trials done` });
        show();
        for (const d of done) void d.then(() => (finished++, show()));
        const outcomes = await Promise.all(done);
        this.deps.inline.set(uri, experiment, {
          text: formatSweepResult(outcomes.flatMap((o) => (o.result ? [o.result] : []))),
        });
      }),
    );
  }

  /**
   * Submits the runs as one batch through the runner the CLI uses too (runner/training.ts: costs, pruning, partial
   * results); this follows them in the editor: notification, status bar, inline text, the panel, the history.
   */
  private startTraining(requests: RunRequest[]): Array<{ run: ActiveRun; chart: ChartRun; done: Promise<RunReport> }> {
    const createdAt = Date.now();
    const actives = requests.map((req): ActiveRun => {
      const name = req.config.name;
      const epochs = req.config.train.epochs;
      return {
        id: 0,
        uri: req.uri,
        experiment: name,
        kind: 'train',
        started: false,
        epoch: 0,
        epochs,
        handle: undefined!,
        progress: new RunProgress(epochs),
        control: new PauseControl(),
        chartId: `${req.uri.toString()}#${name}#${createdAt}`,
      };
    });
    // A sweep trial has no line of its own: the sweep's line shows the sweep (followSweeps).
    const inline = (i: number) => (requests[i]!.sweep ? undefined : this.deps.inline);
    requests.forEach((req, i) => inline(i)?.set(req.uri, req.config.name, { text: QUEUED_TEXT }));
    const tasks = requests.map((req, i): TrainingTask => ({
      job: {
        kind: 'train',
        config: req.config,
        baseDir: req.baseDir,
        allowModules: vscode.workspace.isTrusted,
        threads: config.threads,
        inspect: !req.sweep,
        control: actives[i]!.control!.buffer,
        dataAccess: config.dataAccess,
      },
      ...(req.sweep ? { sweep: req.sweep.values } : {}),
      ...(req.prune ? { prune: req.prune } : {}),
    }));
    const runs = trainAll(this.deps.pool(), tasks, {
      onStart: (run) => {
        const active = actives[run.index]!;
        active.started = true;
        active.progress!.start(run.startedAt!);
        inline(run.index)?.set(active.uri, active.experiment, { text: formatProgress(0, active.epochs, []) });
        this.update();
      },
      onProgress: (run, p) => {
        const active = actives[run.index]!;
        active.progress!.epochEnded(run.epoch, run.costs[run.costs.length - 1], Date.now());
        active.epoch = active.progress!.epoch;
        inline(run.index)?.set(active.uri, active.experiment, {
          text: formatProgress(active.epoch, active.epochs, run.costs),
        });
        this.deps.panel.progress(
          active.chartId!,
          p.snapshot ? { epoch: p.snapshot.epoch, parameters: Array.from(p.snapshot.parameters) } : undefined,
        );
        this.progressed();
      },
      onStatus: (run, { rows, batch }) => {
        const progress = actives[run.index]!.progress!;
        const now = Date.now();
        if (rows !== undefined) progress.loading(rows, now);
        if (batch) progress.batch(batch.epoch, batch.done, batch.batches, now);
        this.progressed();
      },
    });
    const started = runs.map((run, i) => {
      const active = actives[i]!;
      active.handle = run.handle!;
      active.id = active.handle.id;
      this.active.set(active.id, active);
      void active.handle.done.then(() => {
        this.active.delete(active.id);
        this.update();
      });
      return {
        run: active,
        chart: liveChart(active.chartId!, requests[i]!.config, run),
        done: this.finished(requests[i]!, run, active.chartId!, createdAt, inline(i)),
      };
    });
    this.update();
    return started;
  }

  /** A run ended (settled: cut if pruned): the log, its inline result, the panel and the history get it. */
  private async finished(
    req: RunRequest,
    run: TrainingRun,
    chartId: string,
    createdAt: number,
    inline: InlineResults | undefined,
  ): Promise<RunReport> {
    const { result, boundary } = await run.done;
    const name = req.config.name;
    const finishedAt = new Date();
    this.deps.log.info(
      `${name} (${basename(req.uri.fsPath)}): ${result.status} · started ${new Date(run.startedAt ?? createdAt).toISOString()} · ended ${finishedAt.toISOString()} · ${formatDuration(result.durationMs)}` +
        (result.error ? ` · ${result.error}` : ''),
    );
    inline?.setResult(req.uri, result, req.config);
    this.deps.panel.finished(
      chartRunFromResult(chartId, result, { config: req.config, ...(boundary ? { boundary } : {}) }),
    );
    const historyPath = await this.store(req, result, finishedAt);
    return {
      experiment: name,
      status: result.status,
      result,
      ...(historyPath ? { historyPath } : {}),
    } satisfies RunReport;
  }

  private async store(req: RunRequest, result: RunResult, finishedAt: Date): Promise<string | undefined> {
    if (req.uri.scheme !== 'file') return undefined;
    try {
      const path = await writeRun(config.runsDirectory(req.uri), {
        format: RUN_RECORD_FORMAT,
        nnlabVersion: this.deps.version,
        file: req.uri.fsPath,
        workspaceFile: config.historyKey(req.uri),
        experiment: req.config.name,
        finishedAt: finishedAt.toISOString(),
        config: req.config,
        result,
      });
      this.historyWritten.fire(path);
      return path;
    } catch (err) {
      this.deps.log.error(`could not write the run history: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** Runs one gradient check (the Testing view and the lenses call this). */
  /** A gradient check on the pool; `token` (the Testing view's) cancels this check and no other. */
  async gradcheck(req: RunRequest, token?: vscode.CancellationToken): Promise<GradcheckOutcome> {
    const name = req.config.name;
    if (!this.allowed(req.config)) {
      void this.explainTrust([name]);
      return { experiment: name, status: 'refused', message: UNTRUSTED_MODULE_MESSAGE, durationMs: 0 };
    }
    const t0 = Date.now();
    const gradcheck = { ...config.gradcheck };
    const module = req.config.model.module;
    if (module !== undefined && isPythonModule(module)) {
      const interpreter = await interpreterFor(req.uri, this.deps.log);
      this.deps.log.info(`gradient check ${name}: ${module} runs in ${interpreter.python} (${interpreter.source})`);
      gradcheck.python = interpreter.python;
    }
    const run: ActiveRun = {
      id: 0,
      uri: req.uri,
      experiment: name,
      kind: 'gradcheck',
      started: false,
      epoch: 0,
      epochs: 0,
      handle: undefined!,
    };
    const handle = this.deps.pool().submit(
      {
        kind: 'gradcheck',
        config: req.config,
        baseDir: req.baseDir,
        allowModules: vscode.workspace.isTrusted,
        dataAccess: config.dataAccess,
        gradcheck,
      },
      {
        onStart: () => {
          run.started = true;
          this.update();
        },
      },
    );
    run.id = handle.id;
    run.handle = handle;
    this.active.set(run.id, run);
    this.update();
    const cancel = token?.onCancellationRequested(() => handle.cancel());
    const outcome = await handle.done.finally(() => cancel?.dispose());
    this.active.delete(run.id);
    this.update();
    const durationMs = Date.now() - t0;
    const status =
      outcome.kind === 'gradcheck'
        ? outcome.report.passed
          ? 'passed'
          : 'failed'
        : outcome.kind === 'cancelled'
          ? 'cancelled'
          : 'error';
    this.deps.log.info(
      `gradient check ${name} (${basename(req.uri.fsPath)}): ${status}` +
        (outcome.kind === 'gradcheck'
          ? ` · difference ${formatNumber(outcome.report.difference)}`
          : outcome.kind === 'error'
            ? ` · ${outcome.message}`
            : '') +
        ` · ${formatDuration(durationMs)}`,
    );
    if (outcome.kind === 'gradcheck') {
      this.deps.panel.gradcheck(gradcheckView(outcome.report));
      return { experiment: name, status, report: outcome.report, durationMs };
    }
    return { experiment: name, status, ...(outcome.kind === 'error' ? { message: outcome.message } : {}), durationMs };
  }

  /** One cancellable notification for a batch of runs; Cancel stops every run of the batch. */
  private withProgress(
    title: string,
    runs: Array<{ run: ActiveRun; done: Promise<RunReport> }>,
  ): Thenable<RunReport[]> {
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `NN Lab: ${title}`, cancellable: true },
      async (progress, token) => {
        const cancel = token.onCancellationRequested(() => runs.forEach((r) => r.run.handle.cancel()));
        const total = runs.reduce((sum, r) => sum + r.run.epochs, 0);
        const startedAt = Date.now();
        let reported = 0;
        let lastReport = 0;
        const report = this.onDidChange(() => {
          // A notification needs no more than a few updates a second; each one is a message to the workbench.
          const now = Date.now();
          if (now - lastReport < 250) return;
          lastReport = now;
          // Partial epochs count, so a long epoch moves the bar too.
          const fractionOf = (r: ActiveRun) => (this.active.has(r.id) ? (r.progress?.fraction ?? 0) : 1);
          const done = runs.reduce((sum, r) => sum + fractionOf(r.run) * r.run.epochs, 0);
          const first = runs[0]!.run;
          let message: string;
          if (runs.length === 1) message = first.started ? first.progress!.text(now) : 'queued';
          else {
            const elapsed = now - startedAt;
            const left = eta(elapsed, total > 0 ? done / total : 1);
            message =
              `${runs.filter((r) => !this.active.has(r.run.id)).length}/${runs.length} runs done · ${formatClock(elapsed)} elapsed` +
              (left === undefined ? '' : ` · ETA ${formatClock(left)}`);
          }
          const increment = total > 0 ? ((done - reported) / total) * 100 : 0;
          reported = done;
          progress.report({ message, increment });
        });
        try {
          return await Promise.all(runs.map((r) => r.done));
        } finally {
          cancel.dispose();
          report.dispose();
        }
      },
    );
  }

  private allowed(cfg: ExperimentConfig): boolean {
    return cfg.model.module === undefined || vscode.workspace.isTrusted;
  }

  private async explainTrust(experiments: string[]): Promise<void> {
    const choice = await vscode.window.showWarningMessage(
      `NN Lab did not run ${experiments.join(', ')}: it uses a model module, which is code (JavaScript or Python) from this workspace, and the workspace is not trusted. ` +
        'Built-in models still run. To run model modules, trust the workspace.',
      'Manage Workspace Trust',
    );
    if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
  }

  private update(): void {
    if (this.active.size === 0) this.statusBar.hide();
    else this.showStatus();
    this.changed.fire();
  }

  /**
   * One training run: its name and where it is (epoch, cost, ETA); several: how many run and wait, each running
   * one's progress in the tooltip. Redrawn at most 4 times a second as progress arrives.
   */
  private showStatus(): void {
    const now = Date.now();
    this.lastStatusAt = now;
    const started = this.list().filter((r) => r.started);
    const queued = this.active.size - started.length;
    const only = started.length === 1 && queued === 0 ? started[0]! : undefined;
    const paused = started.filter((r) => r.control?.paused).length;
    const icon = paused && paused === started.length ? '$(debug-pause)' : '$(pulse)';
    this.statusBar.text = only?.progress
      ? `${icon} NN Lab: ${only.experiment}${paused ? ' · paused' : ''} · ${only.progress.text(now)}`
      : `${icon} NN Lab: ${started.length - paused} running${paused ? ` · ${paused} paused` : ''}${queued ? ` · ${queued} queued` : ''}`;
    const lines = started.map(
      (r) => `${r.experiment}: ${r.control?.paused ? 'paused · ' : ''}${r.progress ? r.progress.text(now) : 'running'}`,
    );
    this.statusBar.tooltip = [...lines, 'Click to pause, resume, step or cancel a run'].join('\n');
    this.statusBar.show();
  }

  private lastStatusAt = 0;

  /** Progress moved: the status bar follows, a few times a second at most. */
  private progressed(): void {
    if (this.active.size > 0 && Date.now() - this.lastStatusAt >= 250) this.showStatus();
    this.changed.fire();
  }

  dispose(): void {
    this.cancelAll();
    this.statusBar.dispose();
    this.changed.dispose();
    this.historyWritten.dispose();
  }
}

/** The panel's chart of a live run: its costs are the runner's own arrays, which progress fills in place. */
function liveChart(id: string, cfg: ExperimentConfig, run: TrainingRun): ChartRun {
  const live: RunResult = {
    name: cfg.name,
    status: 'ok',
    costs: run.costs,
    trainAccuracy: null,
    testAccuracy: null,
    parameters: {},
    durationMs: 0,
  };
  if (run.testCosts) live.testCosts = run.testCosts;
  return { ...chartRunFromResult(id, live, { config: cfg }), status: 'running' };
}
