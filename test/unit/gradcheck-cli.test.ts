/** `nnlab gradcheck`: exit codes, the --json document's shape, and the table naming failing tensors first. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { gradcheckCommand } from '../../src/cli/gradcheck';
import type { CliIO } from '../../src/cli/io';

const root = resolve(__dirname, '..', '..', '..');
const example = join(root, 'examples', 'gradient-checking', 'gradient-checking.nnlab.json');

before(() => {
  const outfile = join(root, 'out', 'gradcheck-worker.cli-test-build.js');
  buildSync({
    entryPoints: [join(root, 'src/worker/moduleWorker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
  });
  process.env.NNLAB_GRADCHECK_WORKER = outfile;
});

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stderrIsTTY: false,
    columns: 80,
  };
  const code = await gradcheckCommand.run(args, io);
  return { code, stdout, stderr };
}

test('--json prints one document in the specified shape; a failing check exits 1', async () => {
  const { code, stdout } = await cli(example, '-e', 'one-d', '-e', 'course-buggy', '--json');
  assert.equal(code, 1);
  const doc = JSON.parse(stdout) as { experiments: Record<string, unknown>[] };
  assert.deepEqual(
    doc.experiments.map((e) => e.name),
    ['one-d', 'course-buggy'],
  );
  const [oneD, buggy] = doc.experiments as any[];
  assert.equal(oneD.difference, 2.919335883291695e-10);
  assert.equal(oneD.passed, true);
  assert.ok(Math.abs(buggy.difference - 0.28509315684448966) / 0.28509315684448966 <= 1e-6);
  assert.equal(buggy.passed, false);
  assert.equal(buggy.epsilon, 1e-7);
  assert.equal(buggy.threshold, 2e-7);
  assert.deepEqual(
    buggy.parameters.map((p: any) => p.name),
    ['W1', 'b1', 'W2', 'b2', 'W3', 'b3'],
  );
  assert.deepEqual(
    buggy.parameters.filter((p: any) => !p.passed).map((p: any) => p.name),
    ['b1', 'W2'],
  );
  for (const p of buggy.parameters) {
    assert.deepEqual(
      Object.keys(p).filter((k) => k !== 'kinks' && k !== 'share'),
      ['name', 'shape', 'difference', 'passed', 'worst'],
    );
    assert.ok(p.share >= 0 && p.share <= buggy.difference + 1e-12);
    assert.ok(p.worst.length >= 1 && p.worst.length <= 5);
    for (const w of p.worst) {
      assert.deepEqual(Object.keys(w), ['index', 'analytic', 'numeric', 'relativeError', 'kink']);
      assert.equal(w.index.length, 2);
    }
  }
  // Worst first: W2's entries are sorted by how far analytic and numeric are apart.
  const w2 = buggy.parameters[2].worst;
  for (let i = 1; i < w2.length; i++) {
    assert.ok(Math.abs(w2[i - 1].analytic - w2[i - 1].numeric) >= Math.abs(w2[i].analytic - w2[i].numeric));
  }
});

test('all checks passing exits 0; --sample and --epsilon are honoured', async () => {
  const { code, stdout } = await cli(
    example,
    '-e',
    'course-fixed',
    '-e',
    'network',
    '--json',
    '--sample',
    '2',
    '--epsilon',
    '1e-6',
  );
  assert.equal(code, 0, stdout);
  const doc = JSON.parse(stdout);
  assert.equal(doc.experiments[0].epsilon, 1e-6);
  for (const e of doc.experiments) for (const p of e.parameters) assert.ok(p.worst.length <= 2);
});

test('the table names failing tensors first, each with its worst entry', async () => {
  const { code, stdout } = await cli(example, '-e', 'course-buggy');
  assert.equal(code, 1);
  const lines = stdout.split('\n');
  assert.match(lines[0]!, /^course-buggy: FAILED: mistake in the gradient of b1, W2/);
  assert.match(lines[2]!, /^\s+FAIL\s+b1\s+5×1\s+6\.000e-1\s+b1\[\d,0\]: /);
  assert.match(lines[3]!, /^\s+FAIL\s+W2\s+3×5\s+3\.333e-1\s+W2\[\d,\d\]: /);
  assert.match(lines[4]!, /^\s+ok\s+W1\s+5×4/);
});

test('an invalid file exits 2 with positions on stderr; a broken module is an error entry (exit 1)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-gc-cli-'));
  const bad = join(dir, 'bad.nnlab.json');
  writeFileSync(bad, '{ "experiments": { "x": { "data": { "dataset": "moons" }, "model": { "layers": [2, 1] } }, }');
  writeFileSync(join(dir, 'broken.js'), 'exports.forward = () => 1;');
  const r = await cli(bad, '--json');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /bad\.nnlab\.json:1:\d+: error: /);
  assert.equal(r.stdout, '');
  const good = join(dir, 'mod.nnlab.json');
  writeFileSync(
    good,
    '{ "experiments": { "x": { "data": { "dataset": "moons" }, "model": { "layers": [2, 1], "module": "./broken.js" } } } }',
  );
  const m = await cli(good, '--json');
  assert.equal(m.code, 1);
  const e = JSON.parse(m.stdout).experiments[0];
  assert.equal(e.passed, false);
  assert.match(e.error, /broken\.js does not export backward/);
  assert.equal((await cli(example, '-e', 'nope')).code, 2);
  // main.ts turns a UsageError into exit code 2.
  await assert.rejects(cli(example, '--sample', '0'), /--sample must be a positive integer, got 0/);
});
