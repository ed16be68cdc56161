/**
 * The language client: starts dist/server.js over IPC for experiment files (language `nnlab`, which package.json
 * maps `*.nnlab.json` to; an untitled New Experiment File has the language without the name) and keeps the server's `nnlab` settings
 * in sync (the server reads `nnlab.codeLens.enabled` through workspace/configuration).
 */
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { LANGUAGE_ID, SETTINGS_SECTION, type InitializationOptions } from '../protocol/lsp';

export function createLanguageClient(extensionUri: vscode.Uri, log: vscode.LogOutputChannel): LanguageClient {
  const module = vscode.Uri.joinPath(extensionUri, 'dist', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const initializationOptions: InitializationOptions = {
    settings: vscode.workspace.getConfiguration(SETTINGS_SECTION),
    trusted: vscode.workspace.isTrusted,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: LANGUAGE_ID },
      { scheme: 'untitled', language: LANGUAGE_ID },
    ],
    synchronize: { configurationSection: SETTINGS_SECTION },
    initializationOptions,
    outputChannel: log,
  };
  return new LanguageClient('nnlab', 'NN Lab Language Server', serverOptions, clientOptions);
}
