/**
 * Hostile inputs (issue #13): files, data and model modules that once crashed or froze NN Lab. Each test runs the
 * real thing (the built CLI as a child process, the worker pool with real threads, the language server over LSP)
 * and asserts the three outcomes: the job's own failure with its message, the process still alive (a clean exit
 * code, or the server still answering), and the other results kept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CompletionRequest, HoverRequest } from 'vscode-languageserver-protocol/node';
import { trainExperiment } from '../../src/core/nn';
import { moons } from '../../src/core/datasets';
import { MAX_COST_POINTS } from '../../src/core/nn/costHistory';
import { batchGradients } from '../../src/core/nn/kernels';
import { network } from '../../src/core/nn/network';
import { parameterLayout } from '../../src/core/nn/params';
import { workerResourceLimits } from '../../src/core/limits';
import { WorkerPool } from '../../src/runner/pool';
import { experimentConfig } from '../unit/experimentConfig';
import { startClient } from '../lsp/harness';

const root = resolve(__dirname, '..', '..', '..');
const CLI = join(root, 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'nnlab-hostile-'));
const GOOD = {
  data: { dataset: 'moons', samples: 40, seed: 1 },
  model: { layers: [2, 3, 1] },
  train: { epochs: 20, learningRate: 0.1 },
};

function file(name: string, content: string | object): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The built CLI in its own process: a crash shows as a signal or an exit code other than 0/1/2. */
function nnlab(...args: string[]): Ran {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 2 ** 20,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

interface Outcome {
  name: string;
  status?: string;
  error?: string;
  passed?: boolean;
  costs?: number[];
}

function results(ran: Ran): Record<string, Outcome> {
  assert.equal(ran.signal, null, `the CLI was killed by ${ran.signal}: ${ran.stderr.slice(-2000)}`);
  const doc = JSON.parse(ran.stdout) as { experiments: Outcome[] };
  return Object.fromEntries(doc.experiments.map((e) => [e.name, e]));
}

test('row 1: epochs 1e9 keep a bounded history, with progress all the way and the run cancellable', () => {
  const cfg = experimentConfig({ layers: [2, 3, 1] }, { epochs: 1e9, learningRate: 0.1 });
  let points = 0;
  let lastEpoch = -1;
  const stopAt = 200_000;
  const { result } = trainExperiment(
    cfg,
    { train: moons(4, 0.1, 0) },
    {
      onEpoch: (epoch) => {
        points++;
        lastEpoch = epoch;
      },
      shouldStop: () => lastEpoch + 1 >= stopAt,
    },
  );
  assert.equal(result.status, 'cancelled');
  // 1e9 epochs in at most 100,000 points: one per 10,000 epochs.
  assert.equal(result.costSummary?.every, 1e9 / MAX_COST_POINTS);
  assert.equal(result.costSummary?.epochs, stopAt);
  assert.equal(result.costs.length, stopAt / 10_000);
  assert.equal(points, result.costs.length, 'progress at every point');
  assert.equal(result.costSummary?.min.length, result.costs.length);
});

test('row 2: a module whose forward fills an array fails alone at the worker limit; the other checks are kept', () => {
  file(
    'push.js',
    'exports.setup = () => ({ params: { W: [[1]] }, X: [[1]], Y: [[1]] });\nexports.forward = () => { const a = []; for (;;) a.push(1.5); };\nexports.backward = () => ({});\n',
  );
  const path = file('push.nnlab.json', { experiments: { hostile: { model: { module: './push.js' } }, fine: GOOD } });
  const ran = nnlab('gradcheck', path, '--json', '--worker-memory', '64');
  const byName = results(ran);
  assert.equal(ran.code, 1);
  assert.match(
    byName.hostile!.error!,
    /^\.\/push\.js: the module ran out of memory: a worker may use 64 MB \(change it with the nnlab\.workerMemoryMb setting, or --worker-memory MB for nnlab\)$/,
  );
  assert.equal(byName.fine!.passed, true);
});

test('row 3: a pool worker that runs out of memory fails its own job; the pool replaces it and the other jobs finish', async () => {
  const SCRIPT = `
    const { parentPort } = require('node:worker_threads');
    parentPort.on('message', (m) => {
      if (m.type !== 'start') return;
      if (m.config.name === 'hog') { const a = []; for (;;) a.push({ x: a.length }); }
      parentPort.postMessage({ type: 'done', runId: m.runId, result: { kind: 'train', result: { name: m.config.name, status: 'ok', costs: [1], trainAccuracy: 1, testAccuracy: null, parameters: {}, durationMs: 0 } } });
    });`;
  const pool = new WorkerPool({
    size: 2,
    idleMs: 0,
    createWorker: () => new Worker(SCRIPT, { eval: true, resourceLimits: workerResourceLimits(32) }),
  });
  const job = (name: string) => ({
    kind: 'train' as const,
    config: { ...experimentConfig({}, {}), name },
    baseDir: dir,
    allowModules: false,
  });
  const outcomes = await Promise.all(['a', 'hog', 'b', 'c'].map((n) => pool.submit(job(n)).done));
  assert.deepEqual(outcomes[1], {
    kind: 'error',
    message:
      'ran out of memory: a worker may use 32 MB (change it with the nnlab.workerMemoryMb setting, or --worker-memory MB for nnlab)',
  });
  assert.deepEqual(
    outcomes.filter((_, i) => i !== 1).map((o) => o.kind),
    ['train', 'train', 'train'],
  );
  // The pool still takes work after the crash.
  assert.equal((await pool.submit(job('d')).done).kind, 'train');
  await pool.dispose();
});

test('row 4: /dev/zero, /dev/random, a FIFO and a folder as data: an error at data.path each, at once; the others run', () => {
  mkdirSync(join(dir, 'folder'), { recursive: true });
  spawnSync('mkfifo', [join(dir, 'fifo.csv')]);
  const csv = (path: string) => ({ ...GOOD, data: { dataset: 'csv', path } });
  const path = file('devices.nnlab.json', {
    experiments: {
      zero: csv('/dev/zero'),
      random: csv('/dev/random'),
      fifo: csv('./fifo.csv'),
      folder: csv('./folder'),
      fine: GOOD,
    },
  });
  const ran = nnlab('run', path, '--json');
  const byName = results(ran);
  assert.equal(ran.code, 1);
  assert.match(
    byName.zero!.error!,
    /data\.path|\/dev\/zero: this is a device, not a file; NN Lab reads data only from regular files/,
  );
  assert.match(byName.random!.error!, /\/dev\/random: this is a device, not a file/);
  assert.match(byName.fifo!.error!, /fifo\.csv: this is a pipe \(FIFO\), not a file/);
  assert.match(byName.folder!.error!, /folder: this is a folder, not a file/);
  assert.equal(byName.fine!.status, 'ok');
  assert.match(ran.stderr, /devices\.nnlab\.json:\d+:\d+: error: \/dev\/zero: this is a device/);
});

test('row 4 (editor): the language server reports /dev/zero at data.path and keeps answering hover and completion', async () => {
  const client = await startClient();
  try {
    await client.initialize();
    const text = JSON.stringify(
      { experiments: { zero: { ...GOOD, data: { dataset: 'csv', path: '/dev/zero' } } } },
      null,
      2,
    );
    const uri = `file://${join(dir, 'zero.nnlab.json')}`;
    // A stat refuses a device without opening it, so the first analysis already says so (never a blocked read).
    const first = await client.open(uri, text);
    const diagnostics = first.some((d) => /\/dev\/zero/.test(d.message))
      ? first
      : await new Promise<{ message: string }[]>((done) => {
          const check = (list: { message: string }[]) => list.some((d) => /\/dev\/zero/.test(d.message)) && done(list);
          client.onEveryPublish((p) => p.uri === uri && check(p.diagnostics));
        });
    assert.ok(
      diagnostics.some(
        (d) => d.message === '/dev/zero: this is a device, not a file; NN Lab reads data only from regular files',
      ),
    );
    const line = text.split('\n').findIndex((l) => l.includes('"learningRate"'));
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line, character: 10 },
    });
    assert.ok(hover, 'hover answers');
    const completion = await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line, character: 6 },
    });
    assert.ok(completion, 'completion answers');
    assert.ok(client.alive);
  } finally {
    client.kill();
  }
});

test('row 5: learning rate 1e200 is diverged with every optimizer, full-batch and mini-batch; exit 1, history kept', () => {
  const experiments: Record<string, unknown> = { fine: GOOD };
  for (const optimizer of ['gd', 'momentum', 'rmsprop', 'adam']) {
    experiments[`${optimizer}-full`] = { ...GOOD, train: { ...GOOD.train, optimizer, learningRate: 1e200 } };
    experiments[`${optimizer}-mini`] = {
      ...GOOD,
      train: { ...GOOD.train, optimizer, learningRate: 1e200, batchSize: 8 },
    };
  }
  const ran = nnlab('run', file('lr.nnlab.json', { experiments }), '--json');
  const byName = results(ran);
  assert.equal(ran.code, 1);
  for (const [name, r] of Object.entries(byName)) {
    if (name === 'fine') assert.equal(r.status, 'ok');
    else {
      assert.equal(r.status, 'diverged', name);
      assert.ok(r.costs!.length >= 1, `${name} keeps its history`);
    }
  }
});

test('row 6: --jobs is capped at the runs; an absurd --jobs is refused with a message', () => {
  const path = file('three.nnlab.json', { experiments: { a: GOOD, b: GOOD, c: GOOD } });
  const ran = nnlab('run', path, '--json', '--jobs', '200');
  assert.equal(ran.code, 0);
  assert.deepEqual(Object.keys(results(ran)), ['a', 'b', 'c']);
  const absurd = nnlab('run', path, '--jobs', '1e9');
  assert.equal(absurd.code, 2);
  assert.match(absurd.stderr, /--jobs 1e9 is more threads than NN Lab starts \(at most 256; this machine has \d+ CPUs/);
});

test('row 7: wide layers fall back to the tiled kernels without building a source; a network past the limit is an error at model.layers', () => {
  const wide = network(parameterLayout([2, 1000, 1000, 1]), 'relu', 'sigmoid', 1);
  const data = moons(10, 0.1, 0);
  // Past the generated kernels' size the products run on the tiled WebAssembly kernels; no JS source is built.
  assert.equal(batchGradients(wide, data, 10, true, true).kind, 'tiled');
  const path = file('wide.nnlab.json', {
    experiments: {
      wide: {
        ...GOOD,
        data: { ...GOOD.data, samples: 10 },
        model: { layers: [2, 1000, 1000, 1] },
        train: { epochs: 1, learningRate: 0.1 },
      },
      huge: { ...GOOD, model: { layers: [2, 20000, 20000, 1] } },
      fine: GOOD,
    },
  });
  const ran = nnlab('run', path, '--json');
  const byName = results(ran);
  assert.equal(ran.code, 1);
  assert.equal(byName.wide!.status, 'ok');
  assert.equal(byName.fine!.status, 'ok');
  assert.match(
    byName.huge!.error!,
    /^\d+:\d+: this network needs at least [\d.]+ [MG]B to train with gd .* over the 1024 MB a worker may use \(change it with the nnlab\.workerMemoryMb setting.*\[at experiments\.huge\.model\.layers\]$/,
  );
});

test('row 8: a module that posts its own report is refused by the guard; its check fails with the reason', () => {
  file(
    'post.js',
    "const { parentPort } = require('node:worker_threads');\nexports.setup = () => ({ params: { W: [[1]] }, X: [[1]], Y: [[1]] });\nexports.forward = () => { parentPort.postMessage({ type: 'report', report: {} }); for (;;); };\nexports.backward = () => ({});\n",
  );
  const path = file('post.nnlab.json', { experiments: { poster: { model: { module: './post.js' } }, fine: GOOD } });
  const ran = nnlab('gradcheck', path, '--json');
  const byName = results(ran);
  assert.equal(ran.code, 1);
  assert.match(
    byName.poster!.error!,
    /^\.\/post\.js: the module's worker sent an invalid message \(report\.report\.verdict: expected a string\); a module must not post messages of its own$/,
  );
  assert.equal(byName.fine!.passed, true);
});

test('module workers that throw a non-Error, exit, or fill Buffers fail alone with their reason', () => {
  file(
    'throws.js',
    'exports.forward = () => { throw 42; };\nexports.backward = () => ({});\nexports.setup = () => ({ params: { W: [[1]] }, X: [[1]], Y: [[1]] });\n',
  );
  file(
    'async-throws.js',
    "exports.forward = () => ({});\nexports.backward = () => ({});\nexports.setup = () => { setTimeout(() => { throw { reason: 'late' }; }); return new Promise(() => {}); };\n",
  );
  file(
    'exits.js',
    'exports.forward = () => process.exit(7);\nexports.backward = () => ({});\nexports.setup = () => ({ params: { W: [[1]] }, X: [[1]], Y: [[1]] });\n',
  );
  file(
    'buffers.js',
    'exports.forward = () => { const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1)); };\nexports.backward = () => ({});\nexports.setup = () => ({ params: { W: [[1]] }, X: [[1]], Y: [[1]] });\n',
  );
  const path = file('modules.nnlab.json', {
    experiments: {
      throws: { model: { module: './throws.js' } },
      exits: { model: { module: './exits.js' } },
      late: { model: { module: './async-throws.js' } },
      buffers: { model: { module: './buffers.js' } },
      fine: GOOD,
    },
  });
  const ran = nnlab('gradcheck', path, '--json', '--worker-memory', '64', '--timeout', '60');
  const byName = results(ran);
  assert.equal(ran.code, 1);
  assert.match(byName.throws!.error!, /^\.\/throws\.js: .*42 \(a thrown value that is not an Error\)/);
  assert.match(byName.exits!.error!, /^\.\/exits\.js: the module's worker exited \(code 7\) before finishing/);
  assert.match(
    byName.late!.error!,
    /^\.\/async-throws\.js: the module crashed: \{"reason":"late"\} \(a thrown value that is not an Error\)$/,
  );
  assert.match(
    byName.buffers!.error!,
    /^\.\/buffers\.js: the module ran out of memory: a worker may use 64 MB .*outside the JavaScript heap \(Buffers or typed arrays\)/,
  );
  assert.equal(byName.fine!.passed, true);
});
