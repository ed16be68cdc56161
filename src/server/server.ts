/**
 * The NN Lab language server: connection wiring only. Every feature is a pure function in its own module
 * over (TextDocument, Analysis); this file routes LSP requests to them.
 */
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  createConnection,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import { WORKSPACE_TRUSTED_NOTIFICATION, type InitializationOptions } from '../protocol/lsp';
import { onDataShapesChanged, setDataAccess, type DataShapesChange } from '../node/experiment';
import { cachedAnalysis, forget, setWorkerMemoryMb, syntaxOf, type Analysis } from './analysis';
import { codeActions } from './codeActions';
import { codeLenses } from './codeLens';
import { completions } from './completion';
import { toLspDiagnostic } from './diagnostics';
import { formatEdits } from './formatting';
import { hover } from './hover';
import { Settings } from './settings';
import { FramingGuard } from './framing';
import { AnalysisScheduler } from './scheduler';
import { documentSymbols } from './symbols';

/** On stdio, malformed framing is logged and skipped (framing.ts); IPC (the editor's transport) has no framing. */
function connect() {
  if (!process.argv.includes('--stdio')) return createConnection(ProposedFeatures.all);
  const guarded = process.stdin.pipe(new FramingGuard((message) => process.stderr.write(`${message}\n`)));
  return createConnection(
    ProposedFeatures.all,
    new StreamMessageReader(guarded),
    new StreamMessageWriter(process.stdout),
  );
}

const connection = connect();
const documents = new TextDocuments(TextDocument);
let settings: Settings;
let canRefreshLenses = false;
let snippets = false;
/** Untrusted: the workspace folders, the only places data is read from. Undefined when trusted. */
let untrustedRoots: string[] | undefined;

connection.onInitialize((params): InitializeResult => {
  const workspace = params.capabilities.workspace;
  settings = new Settings(connection, workspace?.configuration === true);
  canRefreshLenses = workspace?.codeLens?.refreshSupport === true;
  snippets = params.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true;
  const init = params.initializationOptions as InitializationOptions | undefined;
  settings.setFrom(init?.settings);
  if (init?.trusted === false) {
    untrustedRoots = (params.workspaceFolders ?? []).flatMap((f) => {
      try {
        return [fileURLToPath(f.uri)];
      } catch {
        return [];
      }
    });
  }
  applyDataAccess();
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      documentSymbolProvider: true,
      completionProvider: { triggerCharacters: ['"'] },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      codeLensProvider: { resolveProvider: false },
      documentFormattingProvider: true,
      documentRangeFormattingProvider: true,
    },
    serverInfo: { name: 'nnlab-language-server' },
  };
});

/** What data files validation reads: the size cap, and when untrusted the workspace folders only. */
function applyDataAccess(): void {
  setWorkerMemoryMb(settings.value.workerMemoryMb);
  const maxBytes = settings.value.data.maxFileMb * 2 ** 20;
  setDataAccess(untrustedRoots ? { maxBytes, roots: untrustedRoots } : { maxBytes });
}

/** Lenses depend on settings, and diagnostics on the data cap; the client asks for lenses again after a refresh. */
async function updateSettings(pushed: unknown): Promise<void> {
  if (await settings.update(pushed)) {
    applyDataAccess();
    if (canRefreshLenses) refreshLenses();
  }
}

/** A client may fail the refresh (or not implement it): that must not become an unhandled rejection. */
function refreshLenses(): void {
  connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
}

connection.onNotification(WORKSPACE_TRUSTED_NOTIFICATION, () => {
  untrustedRoots = undefined;
  applyDataAccess();
});

connection.onInitialized(() => void updateSettings(undefined));
connection.onDidChangeConfiguration((change) => void updateSettings(change.settings));

// Analyses are debounced, cancelled by newer versions and run in slices (scheduler.ts); every publish names the
// version it describes.
const scheduler = new AnalysisScheduler((document, analysis) => {
  const diagnostics = analysis.problems.map((d) => toLspDiagnostic(document, d));
  void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
});

documents.onDidChangeContent(({ document }) => scheduler.changed(document));

/**
 * Data files are checked in the background. When a check finishes, the open files whose analysis went without a
 * shape are analysed again (only those: re-analysing every file on every finished check starved the answers to
 * requests while many checks finished in a row); when the access rules change, every open file is.
 */
function revalidate(change: DataShapesChange): void {
  let any = false;
  for (const document of documents.all()) {
    const analysis = cachedAnalysis(document);
    // An analysis still pending reads the shapes when it runs.
    if (!analysis || (change === 'checked' && !analysis.awaitingData)) continue;
    forget(document.uri);
    scheduler.changed(document);
    any = true;
  }
  if (any && canRefreshLenses) refreshLenses();
}
onDataShapesChanged(revalidate);

documents.onDidClose((e) => {
  scheduler.forget(e.document.uri);
  forget(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onDocumentSymbol((params) => {
  const doc = documents.get(params.textDocument.uri);
  return doc ? documentSymbols(doc, syntaxOf(doc)) : [];
});

connection.onCompletion((params) => {
  const doc = documents.get(params.textDocument.uri);
  return doc ? completions(doc, syntaxOf(doc), doc.offsetAt(params.position), { snippets }) : [];
});

connection.onHover((params) => {
  const doc = documents.get(params.textDocument.uri);
  return doc ? hover(doc, syntaxOf(doc), doc.offsetAt(params.position)) : null;
});

/**
 * Quick fixes and lenses come from an analysis, of the version asked about or of a newer one that replaced it
 * while the request waited; they are computed against the document of that same version.
 */
async function analysed(uri: string): Promise<{ doc: TextDocument; analysis: Analysis } | undefined> {
  const asked = documents.get(uri);
  const analysis = asked && (await scheduler.current(asked));
  const doc = documents.get(uri);
  return doc && analysis && analysis.version === doc.version ? { doc, analysis } : undefined;
}

connection.onCodeAction(async (params) => {
  const found = await analysed(params.textDocument.uri);
  return found ? codeActions(found.doc, found.analysis.problems, params.range) : [];
});

connection.onCodeLens(async (params) => {
  if (!settings.value.codeLens.enabled) return [];
  const found = await analysed(params.textDocument.uri);
  return found ? codeLenses(found.doc, found.analysis.root, found.analysis.entries) : [];
});

connection.onDocumentFormatting((params) => {
  const doc = documents.get(params.textDocument.uri);
  return doc ? formatEdits(doc, params.options) : [];
});

connection.onDocumentRangeFormatting((params) => {
  const doc = documents.get(params.textDocument.uri);
  return doc ? formatEdits(doc, params.options, params.range) : [];
});

documents.listen(connection);
connection.listen();
