import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { forget } from '../../src/server/analysis';
import { AnalysisScheduler } from '../../src/server/scheduler';
import { resolveExperimentText } from '../../src/core/experiment/resolve';
import { cachedDataShape, moduleExists } from '../../src/node/experiment';

const uri = 'file:///scheduler.nnlab.json';
const file = (epochs: number) =>
  `{ "experiments": { "a": { "data": { "dataset": "moons" }, "model": { "layers": [2, 3, 1] }, "train": { "epochs": ${epochs} } } } }`;
/** A sweep of 10000 trials: an analysis of many slices. */
const bigSweep = (
  lr: number,
) => `{ "experiments": { "s": { "data": { "dataset": "moons" }, "model": { "layers": [2, 3, 1] },
  "train": { "learningRate": ${lr} },
  "sweep": { "train.epochs": [${Array.from({ length: 100 }, (_, i) => i + 1).join(',')}], "train.batchSize": [${Array.from({ length: 100 }, (_, i) => i + 1).join(',')}] } } } }`;

test('a burst of versions is analysed once, for the last version; older versions are never published', async () => {
  forget(uri);
  const published: number[] = [];
  let finished!: () => void;
  const idle = new Promise<void>((resolve) => (finished = resolve));
  const scheduler = new AnalysisScheduler((doc, analysis) => {
    assert.equal(analysis.version, doc.version);
    published.push(doc.version);
    finished();
  }, 20);
  for (let v = 1; v <= 50; v++) scheduler.changed(TextDocument.create(uri, 'nnlab', v, file(v % 3 === 0 ? -1 : v)));
  await idle;
  assert.deepEqual(published, [50]);
});

test('a new version cancels a running analysis between slices, and current() serves the newest version', async () => {
  forget(uri);
  const published: number[] = [];
  const scheduler = new AnalysisScheduler((doc) => published.push(doc.version), 0);
  const first = TextDocument.create(uri, 'nnlab', 1, bigSweep(0.1));
  const waiting = scheduler.current(first);
  // The analysis of version 1 started at once and yielded after its first slice; version 2 replaces it.
  await new Promise((resolve) => setImmediate(resolve));
  const second = TextDocument.create(uri, 'nnlab', 2, bigSweep(-1));
  scheduler.changed(second);
  const analysis = await waiting;
  assert.equal(analysis?.version, 2, 'whoever waited for version 1 gets the newer analysis');
  assert.deepEqual(published, [2]);
  // The same problems as an analysis in one go.
  const direct = resolveExperimentText(second.getText(), { baseDir: '/', dataShape: cachedDataShape, moduleExists });
  assert.deepEqual(analysis!.problems, direct.diagnostics);
  assert.ok(analysis!.problems.some((d) => d.message.includes('learningRate')));
  assert.equal(analysis!.entries[0]!.sweep, undefined);
});

test("forget() stops a document's work and answers its waiters with nothing", async () => {
  forget(uri);
  const scheduler = new AnalysisScheduler(() => assert.fail('nothing is published for a closed document'), 10_000);
  const doc = TextDocument.create(uri, 'nnlab', 1, bigSweep(0.1));
  scheduler.changed(doc);
  // Starts the pending analysis at once; its first slice cannot finish 10000 trials.
  const waiting = scheduler.current(doc);
  scheduler.forget(uri);
  assert.equal(await waiting, undefined);
});

test('current() on a version waiting for its delay is answered even when the analysis ends within its first slice', async () => {
  forget(uri);
  const scheduler = new AnalysisScheduler(() => undefined, 60_000);
  const doc = TextDocument.create(uri, 'nnlab', 7, file(5));
  // Waiting for the (long) delay; a short file is analysed synchronously, inside the first slice, once started.
  scheduler.changed(doc);
  const answer = await Promise.race([
    scheduler.current(doc),
    new Promise<'lost'>((resolve) => setTimeout(() => resolve('lost'), 2000)),
  ]);
  assert.notEqual(answer, 'lost', 'the waiter was added after its analysis had finished');
  assert.equal((answer as { version: number }).version, 7);
  scheduler.forget(uri);
});
