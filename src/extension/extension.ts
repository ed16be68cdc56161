/**
 * Entry point: build the context, register the command table, start the language client, and return the API the
 * in-host tests read (decoration texts and Testing results are invisible to a test otherwise).
 */
import * as vscode from 'vscode';
import { performance } from 'node:perf_hooks';
import type { LanguageClient } from 'vscode-languageclient/node';
import { WORKSPACE_TRUSTED_NOTIFICATION } from '../protocol/lsp';
import type { PanelData } from '../protocol/webview';
import type { PoolStats } from '../runner/pool';
import { commandTable } from './commands';
import { Ctx } from './ctx';
import type { ActiveRun } from './runs';
import type { TestRecord } from './testing';

export interface NnlabApi {
  /** How long activate() took, in ms. */
  readonly activationMs: number;
  /** The inline texts the document's visible editor shows now, by experiment (its decorations). */
  inlineTexts(uri: vscode.Uri): Record<string, string>;
  activeRuns(): ReadonlyArray<Pick<ActiveRun, 'id' | 'experiment' | 'kind' | 'started' | 'epoch' | 'epochs'>>;
  onDidChangeRuns: vscode.Event<void>;
  poolStats(): PoolStats | undefined;
  testResult(id: string): TestRecord | undefined;
  onDidFinishTest: vscode.Event<TestRecord>;
  panelState(): PanelData;
  /** `stem/experiment: runs` for each experiment in the NN Lab Runs tree. */
  runHistory(): Promise<string[]>;
  panelOpen(): boolean;
}

let ctx: Ctx | undefined;
let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): NnlabApi {
  const t0 = performance.now();
  const c = (ctx = new Ctx(context));
  context.subscriptions.push(c);
  for (const [id, factory] of Object.entries(commandTable)) c.own(vscode.commands.registerCommand(id, factory(c)));
  void startClient(c);
  const activationMs = performance.now() - t0;
  c.log.info(`activated in ${activationMs.toFixed(1)} ms`);
  return {
    activationMs,
    inlineTexts: (uri) => c.inline.texts(uri),
    activeRuns: () =>
      c.runs
        .list()
        .map(({ id, experiment, kind, started, epoch, epochs }) => ({ id, experiment, kind, started, epoch, epochs })),
    onDidChangeRuns: c.runs.onDidChange,
    poolStats: () => c.poolStats,
    testResult: (id) => c.tests.results.get(id),
    onDidFinishTest: c.tests.onDidFinish,
    panelState: () => c.panel.data,
    runHistory: () => c.history.summary(),
    panelOpen: () => c.panel.isOpen,
  };
}

/** The language client module is loaded after activation returns: it is the largest part of the bundle. */
async function startClient(c: Ctx): Promise<void> {
  try {
    const { createLanguageClient } = await import('./client');
    const started = (client = createLanguageClient(c.extension.extensionUri, c.log));
    await started.start();
    // Untrusted, the server reads data only inside the workspace folders; trusting lifts that.
    c.own(
      vscode.workspace.onDidGrantWorkspaceTrust(() => void started.sendNotification(WORKSPACE_TRUSTED_NOTIFICATION)),
    );
  } catch (err) {
    c.log.error(`the language server did not start: ${(err as Error).message}`);
  }
}

export async function deactivate(): Promise<void> {
  await Promise.all([client?.stop(), ctx?.shutdown()]);
  client = undefined;
  ctx = undefined;
}
