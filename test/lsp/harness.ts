/**
 * Drives the built language server (dist/server.js) over stdio with real JSON-RPC, as an editor would.
 * Waits are on conditions (a publish for a given document version, a request's answer), never on time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import {
  createProtocolConnection,
  ConfigurationRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

export const ROOT = resolve(__dirname, '../../..');
export const SERVER = resolve(ROOT, 'dist/server.js');

export interface ClientOptions {
  /** The server bundle to spawn (default: dist/server.js next to this repository's out/). */
  server?: string;
  /** Answer workspace/configuration for `nnlab` with this (the client advertises pull support when set). */
  configuration?: () => unknown;
  initializationOptions?: unknown;
}

type Waiter = { version: number; resolve: (d: Diagnostic[]) => void };

export class TestClient {
  readonly connection: ProtocolConnection;
  private readonly process: ChildProcess;
  private readonly published = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly listeners: ((p: PublishDiagnosticsParams) => void)[] = [];
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  private exited: Promise<number | null>;
  stderr = '';

  constructor(private readonly options: ClientOptions = {}) {
    this.process = spawn(process.execPath, [options.server ?? SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((done) => this.process.on('exit', (code) => done(code)));
    this.connection = createProtocolConnection(
      new StreamMessageReader(this.process.stdout!),
      new StreamMessageWriter(this.process.stdin!),
    );
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => this.onPublish(p));
    this.connection.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map((item) => (item.section === 'nnlab' ? (this.options.configuration?.() ?? null) : null)),
    );
    this.connection.listen();
  }

  async initialize(): Promise<void> {
    await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: { configuration: this.options.configuration !== undefined, codeLens: { refreshSupport: true } },
        textDocument: {
          publishDiagnostics: { versionSupport: true },
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        },
      },
      initializationOptions: this.options.initializationOptions,
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  private onPublish(params: PublishDiagnosticsParams): void {
    this.published.set(params.uri, params);
    for (const listener of this.listeners) listener(params);
    const waiters = this.waiters.get(params.uri) ?? [];
    this.waiters.set(
      params.uri,
      waiters.filter((w) => {
        if (params.version !== w.version) return true;
        w.resolve(params.diagnostics);
        return false;
      }),
    );
  }

  /** Resolves with the diagnostics published for exactly this version of the document. */
  diagnostics(uri: string, version = this.versions.get(uri) ?? 0): Promise<Diagnostic[]> {
    const last = this.published.get(uri);
    if (last && last.version === version) return Promise.resolve(last.diagnostics);
    return new Promise((resolveDiagnostics) => {
      const list = this.waiters.get(uri) ?? [];
      list.push({ version, resolve: resolveDiagnostics });
      this.waiters.set(uri, list);
    });
  }

  /** Every publish for a document, as it arrives (the fuzz test checks each one). */
  onEveryPublish(listener: (p: PublishDiagnosticsParams) => void): void {
    this.listeners.push(listener);
  }

  async open(uri: string, text: string): Promise<Diagnostic[]> {
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    const waiting = this.diagnostics(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'nnlab', version: 1, text },
    });
    return waiting;
  }

  /** Replaces the whole text (no wait); returns the new version. */
  async replace(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return version;
  }

  /** An incremental change, as editors send while typing: `newText` replaces `range` of the current text. */
  async edit(uri: string, range: Range, newText: string): Promise<Diagnostic[]> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    const doc = TextDocument.create(uri, 'nnlab', version, this.text(uri));
    this.texts.set(uri, TextDocument.applyEdits(doc, [{ range, newText }]));
    const waiting = this.diagnostics(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range, text: newText }],
    });
    return waiting;
  }

  async change(uri: string, text: string): Promise<Diagnostic[]> {
    const version = await this.replace(uri, text);
    return this.diagnostics(uri, version);
  }

  text(uri: string): string {
    return this.texts.get(uri) ?? '';
  }

  /** Shuts the server down politely and returns its exit code. */
  async close(): Promise<number | null> {
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  kill(): void {
    this.process.kill();
  }
}

export async function startClient(options: ClientOptions = {}): Promise<TestClient> {
  const client = new TestClient(options);
  await client.initialize();
  return client;
}

/** The zero-based position of the `n`th occurrence (from 0) of `needle`, optionally `delta` characters in. */
export function positionOf(text: string, needle: string, delta = 0, n = 0): { line: number; character: number } {
  let offset = -1;
  for (let i = 0; i <= n; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`${needle} not found`);
  }
  offset += delta;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}
