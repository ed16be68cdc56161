/**
 * The extension's state and lifecycle in one place: the disposables, the log, and the services, each created when
 * first needed so activation stays cheap (the worker pool spawns no thread until a run is queued).
 */
import * as vscode from 'vscode';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { setDataAccess } from '../node/experiment';
import { workerResourceLimits } from '../core/limits';
import { chartRunFromResult } from '../charts/runs';
import type { BoundaryGrid } from '../protocol/charts';
import type { ExperimentConfig, RunResult } from '../core/types';
import type { ChartRun } from '../protocol/webview';
import type { CostSvgJob, PathsJob, ReportHtmlJob } from '../protocol/worker';
import type { OptimizerPaths } from '../protocol/webview';
import type { RunRecord } from '../runner/history';
import { WorkerPool, type PoolStats } from '../runner/pool';
import { config } from './config';
import { HistoryTree } from './historyTree';
import { InlineResults } from './inline';
import { ModuleDiagnostics } from './moduleDiagnostics';
import { ModuleLenses } from './moduleLens';
import { Panel } from './panel';
import { Runs } from './runs';
import { GradcheckTests } from './testing';

export class Ctx implements vscode.Disposable {
  readonly subscriptions: vscode.Disposable[] = [];
  readonly log: vscode.LogOutputChannel;
  readonly panel: Panel;
  readonly inline: InlineResults;
  readonly runs: Runs;
  readonly history: HistoryTree;
  readonly tests: GradcheckTests;
  readonly moduleLenses: ModuleLenses;
  readonly moduleDiagnostics: ModuleDiagnostics;
  private trainingPool: WorkerPool | undefined;
  private chartPool: WorkerPool | undefined;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = this.own(vscode.window.createOutputChannel('NN Lab', { log: true }));
    const warn = (message: string): void => this.log.warn(message);
    this.panel = this.own(new Panel(extension.extensionUri, this.log));
    this.inline = this.own(new InlineResults((result, cfg) => this.renderCostSvg(result, cfg), warn));
    this.runs = this.own(
      new Runs({
        pool: () => this.pool,
        panel: this.panel,
        inline: this.inline,
        log: this.log,
        version: String(extension.extension.packageJSON.version),
        optimizerPaths: (job) => this.optimizerPaths(job),
      }),
    );
    this.history = this.own(new HistoryTree(warn));
    this.moduleLenses = this.own(new ModuleLenses());
    this.moduleDiagnostics = this.own(new ModuleDiagnostics());
    this.tests = this.own(
      new GradcheckTests(this.runs, (uri, outcome, cfg) => {
        if (outcome.report) this.moduleLenses.setReport(uri, { ...outcome.report, name: cfg.name });
        this.moduleDiagnostics.update(
          `${uri.toString()}#${cfg.name}`,
          outcome.status === 'error' ? outcome.message : undefined,
        );
      }),
    );
    this.own(vscode.window.registerTreeDataProvider('nnlabRuns', this.history));
    this.own(this.runs.onDidWriteHistory(() => this.history.refresh()));
    // The extension host's own resolves (runs, inline results) check data files under the same rules as runs.
    setDataAccess(config.dataAccess);
    const updateAccess = (): void => setDataAccess(config.dataAccess);
    this.own(vscode.workspace.onDidGrantWorkspaceTrust(updateAccess));
    this.own(vscode.workspace.onDidChangeWorkspaceFolders(updateAccess));
    this.own(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (config.affects(e, 'maxWorkers')) this.trainingPool?.resize(config.maxWorkers);
        if (config.affects(e, 'runsDirectory')) this.history.refresh();
        if (config.affects(e, 'data.maxFileMb')) updateAccess();
      }),
    );
  }

  own<T extends vscode.Disposable>(disposable: T): T {
    this.subscriptions.push(disposable);
    return disposable;
  }

  private get workerPath(): string {
    return vscode.Uri.joinPath(this.extension.extensionUri, 'dist', 'worker.js').fsPath;
  }

  /** The training pool, created on the first run. */
  get pool(): WorkerPool {
    this.trainingPool ??= new WorkerPool({
      size: config.maxWorkers,
      createWorker: () => limitedWorker(this.workerPath),
    });
    return this.trainingPool;
  }

  /** The training pool's counts, or undefined before the first run. */
  get poolStats(): PoolStats | undefined {
    return this.trainingPool?.stats;
  }

  private renderCostSvg(result: RunResult, cfg: ExperimentConfig | undefined): Promise<string> {
    return this.renderChart([chartRunFromResult('hover', result, cfg ? { config: cfg } : {})], 320);
  }

  /** Cost curves of `runs` overlaid, as an SVG document rendered by vega in a worker. */
  renderChart(runs: ChartRun[], width: number): Promise<string> {
    return this.render({ kind: 'costSvg', runs, width });
  }

  /** The self-contained HTML report of a comparison (charts inline, no scripts), rendered in a worker. */
  renderReport(runs: ChartRun[], title: string | undefined, subtitle: string): Promise<string> {
    return this.render({ kind: 'reportHtml', runs, subtitle, ...(title ? { title } : {}) });
  }

  /** The decision boundary of a stored run, recomputed in a worker (run files keep parameters, not grids). */
  async boundaryOf(record: RunRecord): Promise<BoundaryGrid | undefined> {
    if (record.config.model.layers[0] !== 2 || Object.keys(record.result.parameters).length === 0) return undefined;
    const outcome = await this.charts.submit({
      kind: 'boundary',
      config: record.config,
      baseDir: dirname(record.file),
      parameters: record.result.parameters,
      dataAccess: config.dataAccess,
    }).done;
    if (outcome.kind === 'boundary') return outcome.boundary;
    this.log.warn(
      `no decision boundary for ${record.experiment}: ${outcome.kind === 'error' ? outcome.message : outcome.kind}`,
    );
    return undefined;
  }

  /** Comparable runs' optimizer paths with the cost over their plane (625 forward passes: in the chart worker). */
  private async optimizerPaths(job: PathsJob): Promise<OptimizerPaths | undefined> {
    const outcome = await this.charts.submit(job).done;
    if (outcome.kind === 'paths') return outcome.paths;
    this.log.warn(
      `no optimizer paths for ${job.runs.map((r) => r.name).join(', ')}: ${outcome.kind === 'error' ? outcome.message : outcome.kind}`,
    );
    return undefined;
  }

  /** Charts, reports and boundaries get a worker of their own, so they never wait behind queued training runs. */
  private get charts(): WorkerPool {
    const script = vscode.Uri.joinPath(this.extension.extensionUri, 'dist', 'charts-worker.js').fsPath;
    this.chartPool ??= new WorkerPool({ size: 1, idleMs: 60_000, createWorker: () => limitedWorker(script) });
    return this.chartPool;
  }

  private render(job: CostSvgJob | ReportHtmlJob): Promise<string> {
    return this.charts.submit(job).done.then((o) => {
      if (o.kind !== 'rendered') throw new Error(o.kind === 'error' ? o.message : o.kind);
      return o.text;
    });
  }

  /** Stops every worker; VS Code awaits this on deactivate. */
  async shutdown(): Promise<void> {
    await Promise.all([this.trainingPool?.dispose(), this.chartPool?.dispose()]);
  }

  dispose(): void {
    for (const d of this.subscriptions.splice(0).reverse()) d.dispose();
  }
}

/** A worker with the `nnlab.workerMemoryMb` heap limit as it is now (a changed setting applies to new workers). */
function limitedWorker(script: string): Worker {
  return new Worker(script, { resourceLimits: workerResourceLimits(config.workerMemoryMb) });
}
