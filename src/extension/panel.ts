/**
 * The NN Lab panel: one WebviewPanel per workspace beside the editor. The host keeps the panel's whole state
 * (PanelData) and updates it with every message it sends, so a panel that was hidden, reloaded or restored asks
 * `ready` and gets everything back in one `state` message; no retainContextWhenHidden.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { panelHtml } from '../charts/panelHtml';
import {
  fromWebviewMessage,
  toPanelData,
  type ChartRun,
  type GradcheckView,
  type OptimizerPaths,
  type PanelData,
  type RunControl,
  type Snapshot,
  type ToWebview,
  type ViewKind,
} from '../protocol/webview';
import { LiveFeed } from './liveFeed';

export const PANEL_VIEW_TYPE = 'nnlab.panel';

export class Panel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private state: PanelData = { view: 'run', runs: [] };
  private readonly disposables: vscode.Disposable[] = [];
  /** What of the live runs' costs the webview has, so each flush sends only what is new. */
  private readonly feed = new LiveFeed();
  /** Live runs with a snapshot the webview has not been sent yet. */
  private readonly snapshotsDue = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  /** Set while show() closes a stale panel tab left by a window reload. */
  private closingStale: Promise<void> | undefined;
  /** Set by Runs: the panel's Pause/Resume/Step buttons of a live run. */
  onControl: ((chartId: string, action: RunControl) => void) | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, saved) => {
          // A restored tab is revived only when it is first shown; if a run made a new panel before that, the new
          // one shows the current state and the stale one goes (one panel per workspace).
          if (this.panel) return panel.dispose();
          this.restore(saved);
          this.adopt(panel);
        },
      }),
    );
  }

  get data(): PanelData {
    return this.state;
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  async show(preserveFocus = true): Promise<void> {
    if (this.closingStale) await this.closingStale;
    // The panel belongs beside the code: shown in the editor's own group it would hide the file being run.
    const editorColumn = vscode.window.activeTextEditor?.viewColumn;
    if (this.panel) {
      const besideCode = editorColumn !== undefined && this.panel.viewColumn === editorColumn;
      this.panel.reveal(besideCode ? vscode.ViewColumn.Beside : undefined, preserveFocus);
      return;
    }
    // After a window reload, a panel that was behind another editor in its group is still a tab but is revived
    // (the serializer called) only once it is shown, and the API cannot show it. A new panel beside it made two
    // NN Lab panels, the stale one taking over when clicked; so the stale tab goes and the new panel takes its
    // place. What it showed is replaced by what is being shown now (a stored run reopens from NN Lab Runs).
    const stale = vscode.window.tabGroups.all.flatMap((group) => group.tabs.filter(isPanelTab));
    const staleColumn = stale[0]?.group.viewColumn;
    if (stale.length) {
      // Callers meanwhile wait for this, then reveal the panel made here rather than make another.
      this.closingStale = Promise.resolve(vscode.window.tabGroups.close(stale, true)).then(
        () => undefined,
        (err: Error) => this.log.warn(`panel: could not close the stale panel: ${err.message}`),
      );
      await this.closingStale;
      this.closingStale = undefined;
      if (this.panel) return this.show(preserveFocus); // closing revived it after all
    }
    const column = staleColumn !== undefined && staleColumn !== editorColumn ? staleColumn : vscode.ViewColumn.Beside;
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      'NN Lab',
      { viewColumn: column, preserveFocus },
      { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist')] },
    );
    this.adopt(panel);
  }

  /** A new single run or a new comparison replaces what the panel shows. */
  begin(view: ViewKind, runs: ChartRun[]): void {
    this.state = { view, runs };
    this.feed.forget();
    this.postState();
  }

  /** A live run's paused state changed (the panel's controls follow it). */
  setPaused(id: string, paused: boolean): void {
    const run = this.state.runs.find((r) => r.id === id);
    if (!run || run.status !== 'running') return;
    run.paused = paused;
    this.post({ type: 'runStarted', run });
  }

  /** A run joins the current comparison. */
  add(run: ChartRun): void {
    this.state.runs.push(run);
    this.post({ type: 'runStarted', run });
  }

  /**
   * A live run's costs grew. Its ChartRun holds the runner's own arrays (runner/training.ts), so the state is current
   * already; the webview gets what is new every 100 ms (it draws at up to 10 Hz), one message per run, which halves
   * the messages the host serializes while several runs train.
   */
  progress(id: string, snapshot?: Snapshot): void {
    const run = this.state.runs.find((r) => r.id === id);
    if (!run) return;
    if (snapshot) {
      run.liveSnapshot = snapshot;
      this.snapshotsDue.add(id);
    }
    this.flushTimer ??= setTimeout(() => this.flush(), 100);
  }

  private flush(): void {
    this.flushTimer = undefined;
    for (const message of this.feed.take(this.state.runs, this.snapshotsDue)) this.post(message);
  }

  /** The whole state; everything in it counts as sent. */
  private postState(): void {
    this.feed.sentAll(this.state.runs);
    this.post({ type: 'state', data: this.state });
  }

  finished(run: ChartRun): void {
    const i = this.state.runs.findIndex((r) => r.id === run.id);
    if (i < 0) return;
    this.state.runs[i] = run;
    this.post({ type: 'runFinished', run });
  }

  /** The optimizer paths of runs `ids`, if the panel still shows the comparison they belong to. */
  paths(ids: string[], paths: OptimizerPaths): void {
    const shown = new Set(this.state.runs.map((r) => r.id));
    if (!ids.every((id) => shown.has(id))) return;
    this.state.paths = paths;
    this.post({ type: 'paths', paths });
  }

  /**
   * A gradient check's report replaces what the panel shows, and the panel is revealed, or created when it was
   * closed (the new webview asks `ready` and gets this state), so a check always shows its result.
   */
  gradcheck(report: GradcheckView): void {
    this.state = { view: 'gradcheck', runs: [], gradcheck: report };
    this.post({ type: 'gradcheck', report });
    void this.show();
  }

  private post(message: ToWebview): void {
    if (!this.panel) return;
    void this.panel.webview.postMessage(message);
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist')] };
    const dist = (name: string): string =>
      webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', name)).toString();
    webview.html = panelHtml({
      scriptUri: dist('webview.js'),
      styleUri: dist('webview.css'),
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
    });
    const subscriptions = [
      webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidDispose(() => {
        if (this.panel === panel) this.panel = undefined;
        for (const d of subscriptions) d.dispose();
      }),
    ];
  }

  /** Webview messages are untrusted input: anything the guard rejects is logged and dropped. */
  private receive(raw: unknown): void {
    let message;
    try {
      message = fromWebviewMessage(raw);
    } catch (err) {
      this.log.warn(`panel: rejected a message: ${(err as Error).message}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.postState();
        return;
      case 'control':
        this.onControl?.(message.runId, message.action);
        return;
      case 'viewChanged':
        this.state.view = message.view;
        return;
      case 'error':
        this.log.warn(`panel: ${message.message}`);
        return;
    }
  }

  /** The state the webview saved with setState, when VS Code restores the panel after a restart. */
  private restore(saved: unknown): void {
    for (const candidate of [saved, (saved as { data?: unknown } | undefined)?.data]) {
      try {
        this.state = toPanelData(candidate);
        return;
      } catch {
        // Not this shape; an empty panel is the fallback.
      }
    }
  }

  dispose(): void {
    clearTimeout(this.flushTimer);
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** A tab of an NN Lab panel (the workbench reports a webview panel's view type with a prefix of its own). */
function isPanelTab(tab: vscode.Tab): boolean {
  return (
    tab.input instanceof vscode.TabInputWebview &&
    (tab.input.viewType === PANEL_VIEW_TYPE || tab.input.viewType.endsWith(`-${PANEL_VIEW_TYPE}`))
  );
}
