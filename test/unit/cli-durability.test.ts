// `nnlab run --out` as files a user keeps: names that are hard for file systems or vega, a process killed at
// random moments, two processes writing into one folder. Spawns the built CLI (dist/cli.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTempFile } from '../../src/runner/atomicFile';
import { SEGMENT_MAX_BYTES } from '../../src/runner/safeNames';

const root = process.cwd();
const cli = join(root, 'dist/cli.js');
const work = mkdtempSync(join(tmpdir(), 'nnlab-durable-'));

function nnlab(...args: string[]) {
  assert.ok(existsSync(cli), 'dist/cli.js is missing: run `node scripts/build.mjs` first');
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: work, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const MOONS = { data: { dataset: 'moons', samples: 40 }, model: { layers: [2, 3, 1] } };
/** Three features: no decision boundary to draw, so a run is short and 50 of them stay cheap. */
const THREE_FEATURES = { data: { dataset: 'csv', path: 'three.csv', label: 'label' }, model: { layers: [3, 3, 1] } };
writeFileSync(
  join(work, 'three.csv'),
  `a,b,c,label\n${Array.from({ length: 40 }, (_, i) => `${(i % 7) / 7},${(i % 5) / 5},${(i % 3) / 3},${i % 2}`).join('\n')}\n`,
);

function experimentFile(name: string, experiments: Record<string, unknown>, base: object = MOONS): string {
  const path = join(work, name);
  writeFileSync(path, JSON.stringify({ defaults: { ...base, train: { epochs: 5 } }, experiments }));
  return path;
}

/** Every file under `dir`, relative. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name), rel) : [rel];
  });
}

/** A whole file: JSON that parses, or an SVG document that ends where it should. */
function assertComplete(path: string): void {
  const text = readFileSync(path, 'utf8');
  if (path.endsWith('.json')) assert.doesNotThrow(() => JSON.parse(text), path);
  else if (path.endsWith('.svg')) assert.match(text, /^<svg[\s\S]*<\/svg>\s*$/, path);
  else assert.fail(`unexpected file ${path}`);
}

interface IndexEntry {
  name: string;
  status: string;
  dir: string;
  files: string[];
  finalCost: number | null;
}

/** index.json lists runs whose result.json (and other files) are there and say the same. */
function assertIndexMatches(out: string): IndexEntry[] {
  const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as { experiments: IndexEntry[] };
  for (const entry of index.experiments) {
    const result = JSON.parse(readFileSync(join(out, entry.dir, 'result.json'), 'utf8'));
    assert.equal(result.name, entry.name);
    assert.equal(result.status, entry.status);
    assert.equal(result.costs.length ? result.costs[result.costs.length - 1] : null, entry.finalCost, entry.name);
    for (const f of entry.files) assertComplete(join(out, entry.dir, f));
  }
  return index.experiments;
}

test('--out with names vega or a file system would misread: toString, index.json, con, 120 CJK characters, long and case-twin names', () => {
  const long = 'x'.repeat(130);
  const names = [
    'toString',
    'constructor',
    'valueOf',
    'hasOwnProperty',
    'index.json',
    'con',
    '漢'.repeat(120),
    `${long}a`,
    `${long}b`,
    'Adam',
    'adam',
  ];
  const file = experimentFile('names.nnlab.json', Object.fromEntries(names.map((n) => [n, {}])));
  const out = join(work, 'names-out');
  const r = nnlab('run', file, '--out', out, '--json', '-j', '1');
  assert.equal(r.code, 0, r.stderr);
  const entries = assertIndexMatches(out);
  assert.deepEqual(
    entries.map((e) => e.name),
    names,
  );
  // Every run got its own folder and all its files, and no folder name is too long or taken twice.
  assert.equal(new Set(entries.map((e) => e.dir.toLowerCase())).size, names.length);
  for (const e of entries) {
    assert.deepEqual(e.files, ['result.json', 'cost.svg', 'boundary.svg', 'network.svg', 'signals.svg'], e.name);
    assert.ok(Buffer.byteLength(e.dir) <= SEGMENT_MAX_BYTES, e.dir);
  }
  assert.notEqual(entries.find((e) => e.name === 'index.json')!.dir, 'index.json');
  // The chart is titled with the name as written.
  assert.match(readFileSync(join(out, 'toString', 'cost.svg'), 'utf8'), />toString\u200b?</);
});

/** A small deterministic generator for the kill moments, so a failure can be replayed. */
function moments(count: number, seed: number, span: number): number[] {
  let s = seed;
  return Array.from({ length: count }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((s / 2 ** 31) * span);
  });
}

function runUntil(args: string[], killAfterMs: number): Promise<void> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: work, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', () => {
      clearTimeout(timer);
      done();
    });
  });
}

test('SIGKILL at 50 moments of `nnlab run --out`: every file left parses whole or is a temp file the next run removes', async () => {
  const file = experimentFile(
    'crash.nnlab.json',
    { gd: {}, adam: { train: { optimizer: 'adam' } }, momentum: { train: { optimizer: 'momentum' } } },
    THREE_FEATURES,
  );
  const out = join(work, 'crash-out');
  const args = ['run', file, '--out', out, '-j', '1'];
  const started = Date.now();
  await runUntil(args, 600_000);
  const full = Date.now() - started;
  let temps = 0;
  let indexes = 0;
  for (const ms of moments(50, 14, full)) {
    await runUntil(args, ms);
    for (const rel of filesUnder(out)) {
      const name = rel.split('/').pop()!;
      if (isTempFile(name)) temps++;
      else if (name === '.nnlab-lock') continue;
      else assertComplete(join(out, rel));
    }
    // An index.json, whenever there is one, agrees with the files it lists.
    if (existsSync(join(out, 'index.json'))) {
      indexes++;
      assertIndexMatches(out);
    }
  }
  // The next complete run ignores what the killed ones left and cleans it up.
  await runUntil(args, 600_000);
  assert.deepEqual(
    filesUnder(out).filter((rel) => isTempFile(rel.split('/').pop()!) || rel.endsWith('.nnlab-lock')),
    [],
  );
  assert.deepEqual(
    assertIndexMatches(out).map((e) => e.name),
    ['gd', 'adam', 'momentum'],
  );
  console.log(`# full run ${full} ms; ${temps} temp files seen over 50 kills; ${indexes} kills left an index.json`);
});

test('two `nnlab run --out` into one folder at once: they take turns, and index.json matches the result.json files', async () => {
  // Both files have a "shared" experiment with different settings, so a mix of the two runs would show.
  const a = experimentFile(
    'concurrent-a.nnlab.json',
    { shared: { train: { learningRate: 0.5 } }, a1: {}, a2: {} },
    THREE_FEATURES,
  );
  const b = experimentFile(
    'concurrent-b.nnlab.json',
    { shared: { train: { learningRate: 0.01 } }, b1: {}, b2: {} },
    THREE_FEATURES,
  );
  const out = join(work, 'concurrent-out');
  for (let round = 0; round < 2; round++) {
    await Promise.all([
      runUntil(['run', a, '--out', out, '-j', '1'], 600_000),
      runUntil(['run', b, '--out', out, '-j', '1'], 600_000),
    ]);
    const entries = assertIndexMatches(out);
    const names = entries.map((e) => e.name);
    assert.ok(names.join() === 'shared,a1,a2' || names.join() === 'shared,b1,b2', names.join());
    // "shared" is the run of the file the index names, not the other one's.
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'));
    const shared = JSON.parse(readFileSync(join(out, 'shared', 'result.json'), 'utf8'));
    const own = JSON.parse(nnlab('run', index.file, '--json', '-e', 'shared', '-j', '1').stdout).experiments[0];
    assert.deepEqual(shared.costs, own.costs);
    assert.equal(existsSync(join(out, '.nnlab-lock')), false);
  }
});
