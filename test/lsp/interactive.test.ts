/**
 * The server stays interactive: malformed JSON-RPC framing is logged and skipped, a sweep over the trial cap is an
 * error at its position, and a hover sent during a storm of changes to a 20,000-trial file is answered with the
 * newest text while only the last version's diagnostics are published. No timings are asserted (bench/lsp.bench.ts
 * measures them).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { positionOf, SERVER, startClient } from './harness';

function frame(body: string): string {
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

test('a message without Content-Length (or with a bad one) is logged and skipped; the next request is answered', async () => {
  const server = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  server.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  server.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const answered = (id: number) =>
    new Promise<void>((resolve) => {
      const check = () => (stdout.includes(`"id":${id}`) ? resolve() : setTimeout(check, 10));
      check();
    });
  const initialize = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { processId: null, rootUri: null, capabilities: {} },
  });
  server.stdin.write(frame(initialize));
  await answered(1);
  // No Content-Length at all, then a Content-Length that is not a number, each followed by a good request once
  // the server has read the bad one (it says so on stderr): before the fix the reader stopped there for good.
  const logged = (n: number) =>
    new Promise<void>((resolve) => {
      const check = () => ((stderr.match(/dropped/g) ?? []).length >= n ? resolve() : setTimeout(check, 10));
      check();
    });
  const lost = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'shutdown' });
  server.stdin.write(`Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n${lost}`);
  await logged(1);
  server.stdin.write(
    frame(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 3,
        method: 'textDocument/hover',
        params: { textDocument: { uri: 'file:///none.nnlab.json' }, position: { line: 0, character: 0 } },
      }),
    ),
  );
  await answered(3);
  server.stdin.write(`Content-Length: twelve\r\n\r\n${lost}`);
  await logged(2);
  server.stdin.write(frame(JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'shutdown' })));
  await answered(4);
  assert.equal((stderr.match(/dropped/g) ?? []).length, 2, stderr);
  assert.ok(!stdout.includes('"id":2'), 'the malformed message itself is dropped');
  assert.match(stderr, /dropped \d+ bytes of input: a message without a Content-Length header/);
  assert.match(stderr, /dropped \d+ bytes of input: a Content-Length that is not a number/);
  server.stdin.write(frame(JSON.stringify({ jsonrpc: '2.0', method: 'exit' })));
  assert.equal(await new Promise((resolve) => server.on('exit', resolve)), 0);
});

const values = (n: number, from: number) => Array.from({ length: n }, (_, i) => from + i).join(', ');

test('a sweep over the trial cap (10000) is an error at its position, counted without expanding it', async () => {
  const client = await startClient();
  try {
    const text = `{ "defaults": { "data": { "dataset": "moons" }, "model": { "layers": [2, 3, 1] } },
  "experiments": {
    "grid": { "sweep": { "train.epochs": [${values(1000, 1)}], "train.batchSize": [${values(1000, 1)}] } },
    "random": { "sweep": { "train.learningRate": { "logUniform": [0.0001, 0.1] } }, "search": { "method": "random", "trials": 10001 } }
  } }`;
    const diagnostics = await client.open('file:///cap.nnlab.json', text);
    const grid = diagnostics.find((d) => d.message.includes('1000000 trials'));
    assert.ok(grid, JSON.stringify(diagnostics.map((d) => d.message)));
    assert.match(grid.message, /at most 10000 are allowed/);
    assert.deepEqual(grid.range.start, positionOf(text, '"sweep"', 0, 0));
    const random = diagnostics.find((d) => d.range.start.line === positionOf(text, '10001').line);
    assert.ok(random && /10000/.test(random.message), JSON.stringify(diagnostics.map((d) => d.message)));
    assert.deepEqual(random.range.start, positionOf(text, '10001'));
  } finally {
    await client.close();
  }
});

test('during a storm of changes to a 20,000-trial file a hover is answered for the newest text; only the last version is published', async () => {
  const client = await startClient();
  const uri = 'file:///storm.nnlab.json';
  const file = (
    k: number,
  ) => `{ "defaults": { "data": { "dataset": "moons" }, "model": { "layers": [2, 3, 1] }, "train": { "learningRate": 0.0${k + 1} } },
  "experiments": {
    "a": { "sweep": { "train.epochs": [${values(100, 1)}], "train.batchSize": [${values(100, 1)}] } },
    "b": { "train": { "optimizer": "adam" }, "sweep": { "train.epochs": [${values(100, 1)}], "train.batchSize": [${values(100, 1)}] } }
  } }`;
  try {
    const published: number[] = [];
    client.onEveryPublish((p) => p.uri === uri && published.push(p.version!));
    await client.open(uri, file(0));
    let last = 1;
    let hover: Promise<unknown> | undefined;
    for (let k = 1; k <= 100; k++) {
      last = await client.replace(uri, file(k));
      if (k === 50) {
        hover = client.connection.sendRequest(HoverRequest.type, {
          textDocument: { uri },
          position: positionOf(file(k), '"learningRate"', 2),
        });
      }
    }
    const answer = (await hover) as { contents: { value: string } } | null;
    assert.match(JSON.stringify(answer), /learningRate/);
    const diagnostics = await client.diagnostics(uri, last);
    assert.ok(Array.isArray(diagnostics));
    // Versions that a newer one replaced within the debounce are never published; those published are in order.
    assert.ok(published.length < 20, `published ${published.join(',')}`);
    assert.deepEqual(
      published,
      [...published].sort((x, y) => x - y),
    );
    assert.equal(published[published.length - 1], last);
  } finally {
    await client.close();
  }
});
