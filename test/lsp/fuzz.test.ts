/**
 * Fuzz: thousands of mutated experiment files through the real server process. Changes are sent in batches
 * without waiting, as a fast typist's editor would, so the server analyses the last version of each batch (a
 * version that a newer one replaced within the debounce is never published). Every publish must name a version
 * that was sent, newer than the one before, with diagnostics whose ranges lie inside that version's text; the
 * server must keep answering other requests, and exit cleanly at the end.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DocumentSymbolRequest,
  HoverRequest,
  type Range,
} from 'vscode-languageserver-protocol/node';
import { RandomState } from '../../src/core/random';
import { INVALID, LAYERS, VALID, WARNINGS } from './fixtures';
import { ROOT, startClient, type TestClient } from './harness';
import { int, mutate, pick } from './mutate';

const CASES = Number(process.env.NNLAB_FUZZ_CASES ?? 5000);
const BATCH = 50;
const SEED = Number(process.env.NNLAB_FUZZ_SEED ?? 20240611);
/** Chained mutations can grow a text without bound; past this size the next case starts from a seed again. */
const MAX_LENGTH = 20_000;

function seedTexts(): string[] {
  const texts = [VALID, INVALID, LAYERS, WARNINGS];
  for (const dir of ['examples', 'test/fixtures/bad-inputs']) {
    const full = join(ROOT, dir);
    if (!existsSync(full)) continue;
    for (const name of readdirSync(full).sort())
      if (name.endsWith('.nnlab.json')) texts.push(readFileSync(join(full, name), 'utf8'));
  }
  return texts;
}

/** Line lengths as LSP counts them: \r\n, \n and \r end a line; lengths in UTF-16 code units. */
function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

function insideText(range: Range, lines: number[]): boolean {
  const { start, end } = range;
  const valid = (p: { line: number; character: number }) =>
    Number.isInteger(p.line) &&
    Number.isInteger(p.character) &&
    p.line >= 0 &&
    p.character >= 0 &&
    p.line < lines.length &&
    p.character <= lines[p.line]!;
  return (
    valid(start) &&
    valid(end) &&
    (start.line < end.line || (start.line === end.line && start.character <= end.character))
  );
}

test(
  `fuzz: ${CASES} mutated files through the server without a crash, a hang or a range outside the text`,
  { timeout: 300_000 },
  async () => {
    const seeds = seedTexts();
    const rng = new RandomState(SEED);
    const client = await startClient();
    try {
      await fuzz(client, seeds, rng);
    } finally {
      if (client.alive) client.kill();
    }
  },
);

async function fuzz(client: TestClient, seeds: string[], rng: RandomState): Promise<void> {
  const uri = 'file:///fuzz.nnlab.json';
  const pending = new Map<number, { text: string; applied: string[] }>();
  const failures: string[] = [];
  let publishes = 0;
  let lastPublished = 0;
  let diagnosticsChecked = 0;
  client.onEveryPublish((p) => {
    if (p.uri !== uri || p.version === undefined) return;
    const sent = pending.get(p.version);
    if (!sent) return;
    if (p.version <= lastPublished && failures.length < 10)
      failures.push(`version ${p.version} published after ${lastPublished}`);
    lastPublished = p.version;
    for (const version of pending.keys()) if (version <= p.version) pending.delete(version);
    publishes++;
    const lines = lineLengths(sent.text);
    for (const d of p.diagnostics) {
      diagnosticsChecked++;
      if (!insideText(d.range, lines) && failures.length < 10) {
        failures.push(
          `version ${p.version} (${sent.applied.join('+')}): ${JSON.stringify(d.range)} outside ${lines.length} lines: ${d.message}`,
        );
      }
    }
  });

  let text = seeds[0]!;
  await client.open(uri, text);
  let requests = 0;
  for (let done = 0; done < CASES;) {
    let last = 0;
    for (let i = 0; i < BATCH && done < CASES; i++, done++) {
      const base = rng.randomSample() < 0.3 && text.length < MAX_LENGTH ? text : pick(rng, seeds);
      const mutated = mutate(base, rng);
      text = mutated.text;
      last = await client.replace(uri, text);
      pending.set(last, mutated);
    }
    await client.diagnostics(uri, last);
    // The other features must survive the same texts: one request of each kind at a random spot per batch.
    const offset = int(rng, text.length + 1);
    const before = text.slice(0, offset).split(/\r\n|\r|\n/);
    const position = { line: before.length - 1, character: before[before.length - 1]!.length };
    const textDocument = { uri };
    await Promise.all([
      client.connection.sendRequest(CompletionRequest.type, { textDocument, position }),
      client.connection.sendRequest(HoverRequest.type, { textDocument, position }),
      client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument }),
      client.connection.sendRequest(CodeLensRequest.type, { textDocument }),
      client.connection.sendRequest(CodeActionRequest.type, {
        textDocument,
        range: { start: { line: 0, character: 0 }, end: position },
        context: { diagnostics: [] },
      }),
    ]);
    requests += 5;
  }
  assert.deepEqual(failures, []);
  // At least the last version of every batch; more when the server caught up within a batch.
  assert.ok(publishes >= Math.ceil(CASES / BATCH) && publishes <= CASES, `${publishes} publishes`);
  assert.ok(client.alive, 'the server is still running');
  assert.equal(client.stderr, '');
  assert.equal(await client.close(), 0);
  console.log(
    `fuzz: ${CASES} cases, ${publishes} publishes, ${diagnosticsChecked} diagnostic ranges checked, ${requests} feature requests`,
  );
}
