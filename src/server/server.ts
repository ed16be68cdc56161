/**
 * The NN Lab language server: connection wiring only. Every feature is a pure function in its own module
 * over (TextDocument, Analysis); this file routes LSP requests to them.
 */
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { InitializationOptions } from '../protocol/lsp';
import { analyze, forget } from './analysis';
import { codeActions } from './codeActions';
import { codeLenses } from './codeLens';
import { completions } from './completion';
import { toLspDiagnostic } from './diagnostics';
import { formatEdits } from './formatting';
import { hover } from './hover';
import { Settings } from './settings';
import { documentSymbols } from './symbols';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let settings: Settings;
let canRefreshLenses = false;
let snippets = false;

connection.onInitialize((params): InitializeResult => {
  const workspace = params.capabilities.workspace;
  settings = new Settings(connection, workspace?.configuration === true);
  canRefreshLenses = workspace?.codeLens?.refreshSupport === true;
  snippets = params.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true;
  settings.setFrom((params.initializationOptions as InitializationOptions | undefined)?.settings);
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

/** Lenses are the only feature that depends on settings; the client asks again after a refresh. */
async function updateSettings(pushed: unknown): Promise<void> {
  if ((await settings.update(pushed)) && canRefreshLenses) {
    void connection.sendRequest(CodeLensRefreshRequest.type);
  }
}

connection.onInitialized(() => void updateSettings(undefined));
connection.onDidChangeConfiguration((change) => void updateSettings(change.settings));

// Validation takes a few milliseconds even for large files, so every version is checked as it arrives:
// no debounce, and every publish names the version it describes.
documents.onDidChangeContent(({ document }) => {
  const diagnostics = analyze(document).problems.map((d) => toLspDiagnostic(document, d));
  void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
});

documents.onDidClose((e) => {
  forget(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onDocumentSymbol((params) => {
  const doc = documents.get(params.textDocument.uri);
  return doc ? documentSymbols(doc, analyze(doc).root) : [];
});

connection.onCompletion((params) => {
  const doc = documents.get(params.textDocument.uri);
  return doc ? completions(doc, analyze(doc).root, doc.offsetAt(params.position), { snippets }) : [];
});

connection.onHover((params) => {
  const doc = documents.get(params.textDocument.uri);
  return doc ? hover(doc, analyze(doc).root, doc.offsetAt(params.position)) : null;
});

connection.onCodeAction((params) => {
  const doc = documents.get(params.textDocument.uri);
  return doc ? codeActions(doc, analyze(doc).problems, params.range) : [];
});

connection.onCodeLens((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc || !settings.value.codeLens.enabled) return [];
  const { root, entries } = analyze(doc);
  return codeLenses(doc, root, entries);
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
