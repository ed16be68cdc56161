/**
 * Inline results: an after-line decoration on each experiment's key line (`✓ train 94.0% · … · 2.1 s`, live
 * progress while training), and a hover over the experiment's name with its cost curve as an SVG image rendered
 * by a worker. Texts are kept per document and experiment, so reopening a file shows them again; the first time
 * a file is seen, the latest run of each experiment is read from the run history.
 */
import * as vscode from 'vscode';
import type { ExperimentConfig, RunResult } from '../core/types';
import { formatRunResult } from '../runner/format';
import { latestRuns } from '../runner/history';
import { LANGUAGE_ID } from '../protocol/lsp';
import { config } from './config';
import { isExperimentFile, resolveForRuns } from './experiments';
import type { ExperimentEntry } from '../core/experiment';
import { dirname } from 'node:path';

interface Inline {
  text: string;
  /** The finished run behind the text, for the hover chart. */
  result?: RunResult;
  config?: ExperimentConfig;
}

/** Renders a cost chart to an SVG string off the host thread (the worker pool's costSvg job). */
export type SvgRenderer = (result: RunResult, config: ExperimentConfig | undefined) => Promise<string>;

export class InlineResults implements vscode.Disposable {
  private readonly byDoc = new Map<string, Map<string, Inline>>();
  private readonly loadedHistory = new Set<string>();
  private readonly svgCache = new WeakMap<RunResult, Promise<string>>();
  private readonly entriesCache = new Map<string, { version: number; entries: ExperimentEntry[] }>();
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly disposables: vscode.Disposable[] = [this.decoration];
  private renderTimer: NodeJS.Timeout | undefined;
  private readonly rendered = new Map<string, Array<[string, string]>>();

  constructor(
    private readonly renderSvg: SvgRenderer,
    private readonly warn: (message: string) => void,
  ) {
    this.disposables.push(
      vscode.window.onDidChangeVisibleTextEditors(() => this.renderSoon()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.byDoc.has(e.document.uri.toString())) this.renderSoon();
      }),
      vscode.workspace.onDidOpenTextDocument((doc) => void this.loadHistory(doc.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (config.affects(e, 'inlineResults.enabled')) this.renderSoon();
      }),
      vscode.languages.registerHoverProvider(
        { language: LANGUAGE_ID },
        { provideHover: (doc, pos) => this.hover(doc, pos) },
      ),
    );
    for (const doc of vscode.workspace.textDocuments) void this.loadHistory(doc.uri);
  }

  set(uri: vscode.Uri, experiment: string, inline: Inline): void {
    const key = uri.toString();
    let map = this.byDoc.get(key);
    if (!map) this.byDoc.set(key, (map = new Map()));
    map.set(experiment, inline);
    this.renderSoon();
  }

  setResult(uri: vscode.Uri, result: RunResult, cfg?: ExperimentConfig): void {
    this.set(uri, result.name, { text: formatRunResult(result), result, ...(cfg ? { config: cfg } : {}) });
  }

  /**
   * What the decorations of a document's visible editor show now, by experiment: exactly the texts last passed to
   * setDecorations (the in-host tests read this; a test cannot read decorations from the editor).
   */
  texts(uri: vscode.Uri): Record<string, string> {
    return Object.fromEntries(this.rendered.get(uri.toString()) ?? []);
  }

  /** Reads the latest stored run of each experiment, once per file, without overriding newer results. */
  async loadHistory(uri: vscode.Uri): Promise<void> {
    if (uri.scheme !== 'file' || !isExperimentFile(uri) || this.loadedHistory.has(uri.toString())) return;
    this.loadedHistory.add(uri.toString());
    const { latest, warnings } = await latestRuns(
      config.runsDirectory(uri),
      config.historyKey(uri),
      config.historyRoot(uri),
    );
    for (const w of warnings) this.warn(`skipped a run file: ${w}`);
    const map = this.byDoc.get(uri.toString());
    for (const [name, run] of latest) {
      if (map?.has(name)) continue;
      this.setResult(uri, run.record.result, run.record.config);
    }
  }

  /** Decoration updates are coalesced: live progress may arrive 20 times a second per run. */
  private renderSoon(): void {
    this.renderTimer ??= setTimeout(() => {
      this.renderTimer = undefined;
      for (const editor of vscode.window.visibleTextEditors) this.render(editor);
    }, 100);
  }

  private entries(doc: vscode.TextDocument): ExperimentEntry[] {
    const key = doc.uri.toString();
    const cached = this.entriesCache.get(key);
    if (cached?.version === doc.version) return cached.entries;
    const baseDir = dirname(doc.uri.fsPath);
    const entries = resolveForRuns(doc.getText(), baseDir).entries;
    this.entriesCache.set(key, { version: doc.version, entries });
    return entries;
  }

  private render(editor: vscode.TextEditor): void {
    const key = editor.document.uri.toString();
    const map = this.byDoc.get(key);
    const shown: Array<[string, string]> = [];
    const options: vscode.DecorationOptions[] = [];
    if (map && config.inlineResultsEnabled) {
      for (const entry of this.entries(editor.document)) {
        const inline = map.get(entry.name);
        if (!inline) continue;
        const line = editor.document.lineAt(entry.line - 1);
        options.push({
          range: new vscode.Range(line.range.end, line.range.end),
          renderOptions: { after: { contentText: inline.text } },
        });
        shown.push([entry.name, inline.text]);
      }
    }
    editor.setDecorations(this.decoration, options);
    this.rendered.set(key, shown);
  }

  private async hover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
    const entry = this.entries(doc).find(
      (e) => e.line - 1 === pos.line && pos.character >= e.column - 1 && pos.character <= e.column - 1 + e.length,
    );
    const inline = entry && this.byDoc.get(doc.uri.toString())?.get(entry.name);
    if (!entry || !inline?.result || inline.result.costs.length === 0) return undefined;
    let svg = this.svgCache.get(inline.result);
    if (!svg) this.svgCache.set(inline.result, (svg = this.renderSvg(inline.result, inline.config)));
    const md = new vscode.MarkdownString(`**${entry.name}** ${inline.text}\n\n`);
    for (const d of inline.result.inspection?.diagnoses ?? []) md.appendText(`⚠ ${d.text}\n\n`);
    try {
      md.appendMarkdown(`![cost curve](data:image/svg+xml;base64,${Buffer.from(await svg).toString('base64')})`);
    } catch (err) {
      md.appendMarkdown(`(no chart: ${(err as Error).message})`);
    }
    return new vscode.Hover(
      md,
      new vscode.Range(entry.line - 1, entry.column - 1, entry.line - 1, entry.column - 1 + entry.length),
    );
  }

  dispose(): void {
    clearTimeout(this.renderTimer);
    for (const d of this.disposables) d.dispose();
  }
}
