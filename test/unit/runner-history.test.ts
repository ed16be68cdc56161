import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fileStem,
  latestRuns,
  listRuns,
  runFilePath,
  safeSegment,
  writeRun,
  RUN_RECORD_FORMAT,
  type RunRecord,
} from '../../src/runner/history';
import type { ExperimentConfig } from '../../src/core/types';

function record(experiment: string, finishedAt: string, cost = 0.5): RunRecord {
  return {
    format: RUN_RECORD_FORMAT,
    nnlabVersion: '0.1.0',
    file: '/ws/examples/optimization.nnlab.json',
    experiment,
    finishedAt,
    config: { name: experiment } as unknown as ExperimentConfig,
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

test('paths: file stem, experiment, ISO time without colons', () => {
  assert.equal(fileStem('/a/b/optimization.nnlab.json'), 'optimization');
  assert.equal(fileStem('/a/b/model.js'), 'model');
  assert.equal(safeSegment('adam[lr=0.1]/x:y'), 'adam[lr=0.1]_x_y');
  assert.equal(safeSegment('..'), '_');
  assert.equal(
    runFilePath('/r', '/ws/optimization.nnlab.json', 'adam', new Date('2026-11-26T20:05:52.123Z')),
    '/r/optimization/adam/2026-11-26T20-05-52.123Z.json',
  );
});

test('writeRun writes atomically, listRuns reads back newest first and skips corrupt files', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'nnlab-history-'));
  const first = await writeRun(dir, record('adam', '2026-11-26T20:00:00.000Z', 0.4));
  const second = await writeRun(dir, record('adam', '2026-11-26T21:00:00.000Z', 0.3));
  await writeRun(dir, record('gd', '2026-11-26T20:30:00.000Z'));
  // No temp file is left behind next to the records.
  assert.deepEqual((await readdir(join(dir, 'optimization', 'adam'))).sort(), [first, second].map((p) => p.split('/').pop()).sort());

  await writeFile(join(dir, 'optimization', 'adam', '2026-11-26T22-00-00.000Z.json'), '{"format": 1, "trunc');
  await mkdir(join(dir, 'optimization', 'momentum'));
  await writeFile(join(dir, 'optimization', 'momentum', 'x.json'), JSON.stringify({ ...record('momentum', 'x'), finishedAt: 'yesterday' }));
  await writeFile(join(dir, 'optimization', 'momentum', 'y.json'), JSON.stringify({ ...record('momentum', '2026-11-26T20:00:00.000Z'), result: { status: 'great' } }));

  const { runs, warnings } = await listRuns(dir);
  assert.deepEqual(
    runs.map((r) => `${r.experiment} ${r.record.finishedAt}`),
    ['adam 2026-11-26T21:00:00.000Z', 'adam 2026-11-26T20:00:00.000Z', 'gd 2026-11-26T20:30:00.000Z'],
  );
  assert.equal(warnings.length, 3);
  assert.match(warnings.join('\n'), /invalid JSON/);
  assert.match(warnings.join('\n'), /"finishedAt" is not a date/);
  assert.match(warnings.join('\n'), /"result.status" is "great"/);

  const { latest } = await latestRuns(dir, '/elsewhere/optimization.nnlab.json');
  assert.equal(latest.get('adam')?.record.result.costs[1], 0.3);
  assert.deepEqual([...latest.keys()].sort(), ['adam', 'gd']);
  assert.equal((await listRuns(join(dir, 'missing'))).runs.length, 0);
});
