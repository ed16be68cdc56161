// The CLI's pure parts: argument parsing, the result table, the TTY-only progress bar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from '../../src/cli/args';
import { UsageError, type CliIO } from '../../src/cli/io';
import { ProgressBar } from '../../src/cli/progress';
import { formatTable } from '../../src/cli/table';
import type { RunResult } from '../../src/core/types';

const specs = [
  { name: 'experiment', short: 'e', value: true, repeat: true },
  { name: 'json' },
  { name: 'jobs', short: 'j', value: true },
];

test('args: flags, repeatable values, --opt=value, positionals, and clear errors', () => {
  const a = parseArgs(['f.json', '-e', 'a', '--experiment=b', '--json', '-j', '2'], specs);
  assert.deepEqual(a.positionals, ['f.json']);
  assert.deepEqual(a.values.get('experiment'), ['a', 'b']);
  assert.deepEqual(a.values.get('jobs'), ['2']);
  assert.ok(a.flags.has('json'));
  assert.throws(() => parseArgs(['--nope'], specs), new UsageError('unknown option --nope'));
  assert.throws(() => parseArgs(['-e'], specs), new UsageError('-e needs a value'));
  assert.throws(() => parseArgs(['-j', '1', '-j', '2'], specs), new UsageError('-j given more than once'));
});

const result = (over: Partial<RunResult>): RunResult => ({
  name: 'x',
  status: 'ok',
  costs: [0.7, 0.5],
  trainAccuracy: 0.94,
  testAccuracy: null,
  parameters: {},
  durationMs: 512,
  ...over,
});

test('table: aligned columns, dashes for missing values, errors below', () => {
  const text = formatTable([
    result({ name: 'adam' }),
    result({ name: 'broken', status: 'error', error: '3:4: bad', costs: [], trainAccuracy: null, durationMs: 0 }),
  ]);
  assert.equal(
    text,
    [
      'experiment  status  final cost  train acc  test acc  epochs   time',
      '----------  ------  ----------  ---------  --------  ------  -----',
      'adam        ok             0.5      94.0%         –       2  0.5 s',
      'broken      error            –          –         –       0      –',
      'broken: error: 3:4: bad',
      '',
    ].join('\n'),
  );
});

function fakeIO(tty: boolean): CliIO & { err: string } {
  const io = { err: '', stdout: () => {}, stderr: (t: string) => void (io.err += t), stderrIsTTY: tty, columns: 80 };
  return io;
}

test('progress bar: drawn in place on a terminal and erased; nothing off a terminal', () => {
  const tty = fakeIO(true);
  tty.columns = 120;
  let now = 0;
  const bar = new ProgressBar(tty, ['a', 'b'], [10, 30], () => now);
  bar.start(0);
  now = 2000;
  bar.finish(0);
  bar.start(1);
  bar.clear();
  // A quarter of the epochs in 2 s: 6 s to go.
  assert.match(tty.err, /\r\x1b\[2K\[#{6}-{18}\]  25%  1\/2 done · 0:02 elapsed · ETA 0:06  running: b 0\/30/);
  assert.ok(tty.err.endsWith('\r\x1b[2K'));
  const pipe = fakeIO(false);
  const quiet = new ProgressBar(pipe, ['a'], [10]);
  quiet.start(0);
  quiet.epoch(0, 4);
  quiet.status(0, { rows: 1000 });
  quiet.finish(0);
  quiet.clear();
  assert.equal(pipe.err, '');
});

test('progress bar, one run: loading with rows read, then epoch, latest cost, elapsed and ETA (partial epochs count)', () => {
  const tty = fakeIO(true);
  tty.columns = 120;
  let now = 0;
  const bar = new ProgressBar(tty, ['digits'], [200], () => now);
  const line = () => tty.err.slice(tty.err.lastIndexOf('\r\x1b[2K') + 5);
  bar.start(0);
  now = 500;
  bar.status(0, { rows: 12000 });
  assert.equal(line(), '[------------------------]   0%  loading data · 12000 rows read · 0:01  digits');
  now = 4000;
  bar.epoch(0, 0, 0.25);
  // Training started at 4 s: no ETA before a second of it.
  assert.match(line(), /   1%  epoch 1\/200 · cost 0\.25 · 0:04 elapsed  digits$/);
  now = 9000;
  bar.status(0, { batch: { epoch: 1, done: 12, batches: 24 } });
  // 1.5 of 200 epochs in 5 s of training: 198.5 × 5 / 1.5 s = 11:02 to go.
  assert.match(line(), /epoch 1\/200 · cost 0\.25 · 0:09 elapsed · ETA 11:02  digits$/);
  now = 60_000;
  bar.epoch(0, 56, 0.0123);
  assert.match(line(), /\[#{7}-{17}\]  28%  epoch 57\/200 · cost 0\.0123 · 1:00 elapsed · ETA 2:20  digits$/);
});
