/**
 * Gradient checks in the Testing view: a TestController "NN Lab: gradient checks" with one item per experiment
 * file and one child per experiment. Running an item runs its check on the pool; a failure carries one
 * TestMessage per worst entry (expected = numeric, actual = analytic), attached at the experiment's line, or at
 * the model module's `backward` (a Python module's `def`) when the experiment uses one. A check that could not run
 * because the module raised points at the line that raised.
 */
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { formatNumber } from '../runner/format';
import { errorLocation, moduleBackwardLine } from '../runner/locate';
import { worstEntries } from '../runner/results';
import type { ExperimentConfig } from '../core/types';
import { configOf, isExperimentFile, readExperimentFile } from './experiments';
import type { GradcheckOutcome, Runs } from './runs';

/** What a finished test reported, for the in-host tests (a real host cannot read the Testing view). */
export interface TestRecord {
  id: string;
  state: 'passed' | 'failed' | 'errored' | 'skipped';
  messages: Array<{ message: string; expected?: string; actual?: string; uri?: string; line?: number }>;
}

export class GradcheckTests implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('nnlabGradcheck', 'NN Lab: gradient checks');
  private readonly disposables: vscode.Disposable[] = [this.controller];
  readonly results = new Map<string, TestRecord>();
  private readonly finished = new vscode.EventEmitter<TestRecord>();
  readonly onDidFinish = this.finished.event;

  constructor(
    private readonly runs: Runs,
    private readonly onReport: (uri: vscode.Uri, outcome: GradcheckOutcome, config: ExperimentConfig) => void,
  ) {
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discover();
    };
    this.controller.createRunProfile(
      'Check gradients',
      vscode.TestRunProfileKind.Run,
      (request, token) => this.run(request, token),
      true,
    );
    this.disposables.push(
      this.finished,
      vscode.workspace.onDidOpenTextDocument((doc) => void this.refresh(doc.uri)),
      vscode.workspace.onDidSaveTextDocument((doc) => void this.refresh(doc.uri)),
    );
    // Parsing the files already open waits until activation has returned, so activate() stays a few milliseconds.
    const initial = setTimeout(() => vscode.workspace.textDocuments.forEach((doc) => void this.refresh(doc.uri)), 0);
    this.disposables.push({ dispose: () => clearTimeout(initial) });
  }

  private async discover(): Promise<void> {
    const files = await vscode.workspace.findFiles('**/*.nnlab.json', '**/node_modules/**');
    await Promise.all(files.map((uri) => this.refresh(uri)));
  }

  /** (Re)builds the items of one experiment file from its entries. */
  async refresh(uri: vscode.Uri): Promise<vscode.TestItem | undefined> {
    if (!isExperimentFile(uri) || uri.scheme !== 'file') return undefined;
    let file;
    try {
      file = await readExperimentFile(uri);
    } catch {
      this.controller.items.delete(uri.toString());
      return undefined;
    }
    const id = uri.toString();
    const fileItem =
      this.controller.items.get(id) ?? this.controller.createTestItem(id, vscode.workspace.asRelativePath(uri), uri);
    fileItem.children.replace(
      file.resolved.entries.map((e) => {
        const item = this.controller.createTestItem(`${id}#${e.name}`, e.name, uri);
        item.range = new vscode.Range(e.line - 1, e.column - 1, e.line - 1, e.column - 1 + e.length);
        return item;
      }),
    );
    this.controller.items.add(fileItem);
    return fileItem;
  }

  /** Runs the check of one experiment through the Testing API (the lens and command path). */
  async runOne(uri: vscode.Uri, experiment: string): Promise<TestRecord | undefined> {
    const fileItem = await this.refresh(uri);
    const item = fileItem?.children.get(`${uri.toString()}#${experiment}`);
    if (!item) return undefined;
    const cts = new vscode.CancellationTokenSource();
    try {
      await this.run(new vscode.TestRunRequest([item]), cts.token);
    } finally {
      cts.dispose();
    }
    return this.results.get(item.id);
  }

  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request, 'Gradient checks', true);
    const leaves: vscode.TestItem[] = [];
    const collect = (item: vscode.TestItem): void => {
      if (request.exclude?.includes(item)) return;
      if (item.children.size === 0 && item.id.includes('#')) leaves.push(item);
      item.children.forEach(collect);
    };
    if (request.include) request.include.forEach(collect);
    else this.controller.items.forEach(collect);
    for (const item of leaves) run.enqueued(item);
    try {
      // One after the other: each check already has the pool, and the Testing view shows them in order.
      for (const item of leaves) {
        if (token.isCancellationRequested) {
          run.skipped(item);
          this.record({ id: item.id, state: 'skipped', messages: [] });
          continue;
        }
        run.started(item);
        await this.check(run, item, token);
      }
    } finally {
      run.end();
    }
  }

  private async check(run: vscode.TestRun, item: vscode.TestItem, token: vscode.CancellationToken): Promise<void> {
    const uri = item.uri!;
    const name = item.id.slice(item.id.lastIndexOf('#') + 1);
    const file = await readExperimentFile(uri);
    const cfg = configOf(file, name);
    if (typeof cfg === 'string') {
      const message = new vscode.TestMessage(cfg);
      if (item.range) message.location = new vscode.Location(uri, item.range);
      run.errored(item, message);
      this.record({ id: item.id, state: 'errored', messages: [{ message: cfg }] });
      return;
    }
    const outcome = await this.runs.gradcheck({ uri, baseDir: file.baseDir, config: cfg }, token);
    this.onReport(uri, outcome, cfg);
    if (outcome.status === 'passed') {
      run.passed(item, outcome.durationMs);
      this.record({ id: item.id, state: 'passed', messages: [] });
      return;
    }
    if (outcome.status !== 'failed' || !outcome.report) {
      const text = outcome.message ?? outcome.status;
      const message = new vscode.TestMessage(text);
      // A module's exception points at the line of the module that raised it; anything else at the experiment.
      const raisedAt = errorLocation(text);
      if (raisedAt)
        message.location = new vscode.Location(
          vscode.Uri.file(raisedAt.file),
          new vscode.Position(raisedAt.line - 1, 0),
        );
      else if (item.range) message.location = new vscode.Location(uri, item.range);
      if (outcome.status === 'cancelled') run.skipped(item);
      else run.errored(item, message, outcome.durationMs);
      const at = message.location
        ? { uri: message.location.uri.toString(), line: message.location.range.start.line }
        : {};
      this.record({
        id: item.id,
        state: outcome.status === 'cancelled' ? 'skipped' : 'errored',
        messages: [{ message: text, ...at }],
      });
      return;
    }
    const location = await this.failureLocation(uri, item, cfg, file.baseDir);
    const failing = outcome.report.tensors.filter((t) => !t.passed).map((t) => t.name);
    const entries = worstEntries(outcome.report, 10)
      .filter((e) => failing.includes(e.param))
      .slice(0, 5);
    const messages = entries.map((e) => {
      const text = `${e.param}[${e.index.join(',')}]: relative error ${formatNumber(e.relativeError)}${e.kink ? ' (kink: unreliable)' : ''} — ${outcome.report!.message}`;
      const m = vscode.TestMessage.diff(text, String(e.numeric), String(e.analytic));
      m.location = location;
      return m;
    });
    if (messages.length === 0) {
      const m = new vscode.TestMessage(outcome.report.message);
      m.location = location;
      messages.push(m);
    }
    run.failed(item, messages, outcome.durationMs);
    this.record({
      id: item.id,
      state: 'failed',
      messages: messages.map((m, i) => ({
        message: typeof m.message === 'string' ? m.message : m.message.value,
        ...(entries[i] ? { expected: String(entries[i]!.numeric), actual: String(entries[i]!.analytic) } : {}),
        uri: location.uri.toString(),
        line: location.range.start.line,
      })),
    });
  }

  /** The experiment's line, or the `backward` function of its model module. */
  private async failureLocation(
    uri: vscode.Uri,
    item: vscode.TestItem,
    cfg: ExperimentConfig,
    baseDir: string,
  ): Promise<vscode.Location> {
    const fallback = new vscode.Location(uri, item.range ?? new vscode.Range(0, 0, 0, 0));
    if (!cfg.model.module) return fallback;
    const modulePath = resolvePath(baseDir, cfg.model.module);
    try {
      const line = moduleBackwardLine(modulePath, await readFile(modulePath, 'utf8'), cfg.model.functions?.backward);
      return new vscode.Location(vscode.Uri.file(modulePath), new vscode.Range(line ?? 0, 0, line ?? 0, 0));
    } catch {
      return fallback;
    }
  }

  private record(r: TestRecord): void {
    this.results.set(r.id, r);
    this.finished.fire(r);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
