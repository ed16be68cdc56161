import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkRunRecord,
  fileSegment,
  fileStem,
  historyKey,
  latestRuns,
  listRuns,
  runFilePath,
  writeRun,
  RUN_RECORD_FORMAT,
  type RunRecord,
} from '../../src/runner/history';
import type { ExperimentConfig } from '../../src/core/types';

function record(
  experiment: string,
  finishedAt: string,
  cost = 0.5,
  workspaceFile = 'examples/optimization.nnlab.json',
): RunRecord {
  return {
    format: RUN_RECORD_FORMAT,
    nnlabVersion: '0.1.0',
    file: `/ws/${workspaceFile}`,
    workspaceFile,
    experiment,
    finishedAt,
    config: { name: experiment, data: {}, model: {}, train: {} } as unknown as ExperimentConfig,
    result: {
      name: experiment,
      status: 'ok',
      costs: [1, cost],
      trainAccuracy: 0.9,
      testAccuracy: null,
      parameters: { W1: [[1, 2]] },
      durationMs: 10,
    },
  };
}

test('paths: workspace-relative key, file stem with the key hash, experiment, unique ISO time without colons', () => {
  assert.equal(fileStem('/a/b/optimization.nnlab.json'), 'optimization');
  assert.equal(fileStem('/a/b/model.js'), 'model');
  assert.equal(historyKey('/ws', '/ws/a/opt.nnlab.json'), 'a/opt.nnlab.json');
  assert.equal(historyKey('/ws', '/elsewhere/opt.nnlab.json'), '/elsewhere/opt.nnlab.json');
  assert.match(fileSegment('a/opt.nnlab.json'), /^opt~[0-9a-f]{8}$/);
  assert.notEqual(fileSegment('a/opt.nnlab.json'), fileSegment('b/opt.nnlab.json'));
  const finished = new Date('2026-11-26T20:05:52.123Z');
  const path = runFilePath('/r', 'optimization.nnlab.json', 'adam', finished);
  assert.match(path, /^\/r\/optimization~[0-9a-f]{8}\/adam\/2026-11-26T20-05-52\.123Z~[0-9a-f]{8}\.json$/);
  // Two runs finishing in the same millisecond get two files.
  assert.notEqual(path, runFilePath('/r', 'optimization.nnlab.json', 'adam', finished));
});

test('writeRun writes atomically, listRuns reads back newest first and skips corrupt files', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'nnlab-history-'));
  const first = await writeRun(dir, record('adam', '2026-11-26T20:00:00.000Z', 0.4));
  const second = await writeRun(dir, record('adam', '2026-11-26T21:00:00.000Z', 0.3));
  await writeRun(dir, record('gd', '2026-11-26T20:30:00.000Z'));
  const fileDir = join(dir, fileSegment('examples/optimization.nnlab.json'));
  // No temp file is left behind next to the records.
  assert.deepEqual(
    (await readdir(join(fileDir, 'adam'))).sort(),
    [first, second].map((p) => p.split('/').pop()).sort(),
  );

  await writeFile(join(fileDir, 'adam', '2026-11-26T22-00-00.000Z.json'), '{"format": 2, "trunc');
  await mkdir(join(fileDir, 'momentum'));
  await writeFile(
    join(fileDir, 'momentum', 'x.json'),
    JSON.stringify({ ...record('momentum', 'x'), finishedAt: 'yesterday' }),
  );
  await writeFile(
    join(fileDir, 'momentum', 'y.json'),
    JSON.stringify({ ...record('momentum', '2026-11-26T20:00:00.000Z'), result: { status: 'great' } }),
  );
  // A killed writer's temp file (its pid is not alive) is neither read nor kept.
  await writeFile(join(fileDir, 'adam', '.nnlab-tmp-999999999-0a0b'), '{"format": 2');

  const { runs, warnings } = await listRuns(dir);
  assert.deepEqual(
    runs.map((r) => `${r.experiment} ${r.record.finishedAt}`),
    ['adam 2026-11-26T21:00:00.000Z', 'adam 2026-11-26T20:00:00.000Z', 'gd 2026-11-26T20:30:00.000Z'],
  );
  assert.equal(warnings.length, 3);
  assert.match(warnings.join('\n'), /invalid JSON/);
  assert.match(warnings.join('\n'), /"finishedAt" is "yesterday", expected an ISO date/);
  assert.match(warnings.join('\n'), /"result.name" is missing/);
  assert.ok(!(await readdir(join(fileDir, 'adam'))).some((n) => n.startsWith('.nnlab-tmp-')));

  const { latest } = await latestRuns(dir, 'examples/optimization.nnlab.json');
  assert.equal(latest.get('adam')?.record.result.costs[1], 0.3);
  assert.deepEqual([...latest.keys()].sort(), ['adam', 'gd']);
  assert.equal((await listRuns(join(dir, 'missing'))).runs.length, 0);
});

test("history belongs to its file: a/opt and b/opt do not see each other's runs", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'nnlab-history-'));
  await writeRun(dir, record('adam', '2026-11-26T20:00:00.000Z', 0.1, 'a/opt.nnlab.json'));
  await writeRun(dir, record('adam', '2026-11-26T21:00:00.000Z', 0.2, 'b/opt.nnlab.json'));
  assert.equal((await latestRuns(dir, 'a/opt.nnlab.json')).latest.get('adam')?.record.result.costs[1], 0.1);
  assert.equal((await latestRuns(dir, 'b/opt.nnlab.json')).latest.get('adam')?.record.result.costs[1], 0.2);
  assert.equal((await latestRuns(dir, 'c/opt.nnlab.json')).latest.size, 0);
  // A 120-character CJK name (360 bytes) is stored under a capped folder name and read back by its full name.
  const cjk = '漢'.repeat(120);
  const path = await writeRun(dir, record(cjk, '2026-11-26T22:00:00.000Z', 0.3, 'a/opt.nnlab.json'));
  assert.ok(
    path.split('/').every((segment) => Buffer.byteLength(segment) < 255),
    path,
  );
  assert.equal((await latestRuns(dir, 'a/opt.nnlab.json')).latest.get(cjk)?.record.result.costs[1], 0.3);
  // Even a record copied into the wrong folder is not shown for another file.
  const stray = record('adam', '2026-11-27T00:00:00.000Z', 0.9, 'b/opt.nnlab.json');
  await writeFile(join(dir, fileSegment('a/opt.nnlab.json'), 'adam', '2027.json'), JSON.stringify(stray));
  assert.equal((await latestRuns(dir, 'a/opt.nnlab.json')).latest.get('adam')?.record.result.costs[1], 0.1);
});

test('a record missing any field a reader shows is rejected with the field named, never shown as NaN', () => {
  const good = record('adam', '2026-11-26T20:00:00.000Z');
  assert.equal(typeof checkRunRecord(good), 'object');
  const without = (path: string[]): unknown => {
    const copy = structuredClone(good) as unknown as Record<string, Record<string, unknown>>;
    if (path.length === 1) delete (copy as Record<string, unknown>)[path[0]!];
    else delete copy[path[0]!]![path[1]!];
    return copy;
  };
  const cases: [string[], RegExp][] = [
    [['result', 'trainAccuracy'], /"result.trainAccuracy" is missing/],
    [['result', 'testAccuracy'], /"result.testAccuracy" is missing/],
    [['result', 'costs'], /"result.costs" is missing/],
    [['result', 'parameters'], /"result.parameters" is missing/],
    [['result', 'durationMs'], /"result.durationMs" is missing/],
    [['result', 'status'], /"result.status" is missing/],
    [['config', 'train'], /"config.train" is missing/],
    [['workspaceFile'], /"workspaceFile" is missing/],
    [['experiment'], /"experiment" is missing/],
    [['config'], /"config" is missing/],
  ];
  for (const [path, message] of cases) assert.match(checkRunRecord(without(path)) as string, message, path.join('.'));
  assert.match(
    checkRunRecord({ ...good, result: { ...good.result, trainAccuracy: 'high' } }) as string,
    /"result.trainAccuracy" is "high"/,
  );
  assert.match(checkRunRecord({ ...good, result: { ...good.result, error: 3 } }) as string, /"result.error" is 3/);
  assert.match(checkRunRecord({ ...good, format: 7 }) as string, /unknown format 7/);
  assert.equal(checkRunRecord([]), 'not a JSON object');
});

test('v1 run files (format 1, in <runs>/<file-stem>/) are read in place as the history of the file they name', async () => {
  const runs = await mkdtemp(join(tmpdir(), 'nnlab-history-v1-'));
  const v1 = (file: string, finishedAt: string, cost: number) => {
    const { workspaceFile: _dropped, ...rest } = record('adam', finishedAt, cost);
    return { ...rest, format: 1, file };
  };
  await mkdir(join(runs, 'optimization', 'adam'), { recursive: true });
  const mine = join(runs, 'optimization', 'adam', '2025-05-01T10-00-00.000Z.json');
  const text = JSON.stringify(v1('/ws/labs/optimization.nnlab.json', '2025-05-01T10:00:00.000Z', 0.25));
  await writeFile(mine, text);
  // Same stem, another file: v1 kept both in one folder; it is not this file's history.
  await writeFile(
    join(runs, 'optimization', 'adam', '2025-06-01T10-00-00.000Z.json'),
    JSON.stringify(v1('/ws/other/optimization.nnlab.json', '2025-06-01T10:00:00.000Z', 0.75)),
  );

  const { latest, warnings } = await latestRuns(runs, 'labs/optimization.nnlab.json', '/ws');
  assert.deepEqual(warnings, []);
  const run = latest.get('adam')!;
  assert.equal(run.path, mine);
  assert.equal(run.record.workspaceFile, 'labs/optimization.nnlab.json');
  assert.equal(run.record.format, RUN_RECORD_FORMAT);
  assert.deepEqual(run.record.result.costs, [1, 0.25]);
  assert.equal(await readFile(mine, 'utf8'), text, 'the v1 file is not rewritten');

  // A newer v2 run of the same file wins; the history tree's listing (no key) groups v1 runs under their key.
  await writeRun(runs, record('adam', '2026-01-01T00:00:00.000Z', 0.125, 'labs/optimization.nnlab.json'));
  assert.deepEqual(
    (await latestRuns(runs, 'labs/optimization.nnlab.json', '/ws')).latest.get('adam')!.record.result.costs,
    [1, 0.125],
  );
  const all = await listRuns(runs, undefined, '/ws');
  assert.deepEqual(all.runs.map((r) => r.record.workspaceFile).sort(), [
    'labs/optimization.nnlab.json',
    'labs/optimization.nnlab.json',
    'other/optimization.nnlab.json',
  ]);
  // Without the workspace folder a v1 record cannot be placed: skipped, with the reason.
  const blind = await listRuns(runs);
  assert.equal(blind.runs.length, 1);
  assert.equal(blind.warnings.length, 2);
  assert.match(
    blind.warnings.join('\n'),
    /a v1 run file \(format 1\) of \/ws\/labs\/optimization\.nnlab\.json, read only where its workspace folder is known/,
  );
});
