// A large CSV file's load on two threads (node/datasets/csvPart.ts) gives the one-thread load's arrays bit for bit
// and its errors word for word; a helper that cannot start, crashes or runs out of memory costs only time. The
// two-thread path is forced on small files (threads.from = 0) with the built helper, dist/csv-part-worker.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetError } from '../../src/core/datasets/errors';
import { readCsvSync, type CsvThreads } from '../../src/node/datasets/dataFile';
import { RandomState } from '../../src/core/random';

const work = mkdtempSync(join(tmpdir(), 'nnlab-csv-threads-'));
const script = join(process.cwd(), 'dist/csv-part-worker.js');
// Tiny files: this thread is done with its share long before the helper starts, so it is told to wait for it.
const TWO: CsvThreads = { from: 0, script, waits: { bootMs: 10_000, stallMs: 10_000 } };
const ONE: CsvThreads = { from: Infinity };

let files = 0;
function file(text: string): string {
  const name = `f${files++}.csv`;
  writeFileSync(join(work, name), text);
  return name;
}

function bits(a: Float64Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function load(name: string, threads: CsvThreads, label?: string) {
  return readCsvSync(name, work, label, {}, undefined, 1000, threads);
}

function assertSame(name: string, label?: string): void {
  const one = load(name, ONE, label);
  const two = load(name, TWO, label);
  assert.equal(one.helped, false);
  assert.equal(two.helped, true, `${name}: the helper parsed its part`);
  assert.deepEqual(two.shape, one.shape);
  assert.ok(bits(two.X).equals(bits(one.X)), `${name}: X`);
  assert.ok(bits(two.Y).equals(bits(one.Y)), `${name}: Y`);
}

/** Rows of random cells in several spellings, with blank lines (some of spaces) sprinkled at `blankRate`. */
function generate(seed: number, rows: number, columns: number, opts: { eol?: string; blankRate?: number } = {}) {
  const rng = new RandomState(seed);
  const eol = opts.eol ?? '\n';
  const lines = [Array.from({ length: columns }, (_, c) => (c === columns - 1 ? 'y' : `x${c}`)).join(',')];
  for (let r = 0; r < rows; r++) {
    while (rng.randomSample() < (opts.blankRate ?? 0)) lines.push(rng.randomSample() < 0.5 ? '' : '  ');
    const cells = [];
    for (let c = 0; c < columns - 1; c++) {
      const v = (rng.randomSample() - 0.5) * 10 ** Math.floor(rng.randomSample() * 8 - 4);
      const k = Math.floor(rng.randomSample() * 4);
      cells.push(k === 0 ? String(v) : k === 1 ? v.toExponential(6) : k === 2 ? ` ${v.toFixed(3)} ` : String(r % 7));
    }
    cells.push(String(Math.floor(rng.randomSample() * 5)));
    lines.push(cells.join(','));
  }
  return lines.join(eol);
}

test('two threads give the one-thread X, Y and shape bit for bit: blank lines, CRLF, BOM, no last newline', () => {
  for (let seed = 1; seed <= 12; seed++) {
    const rows = 40 + seed * 37;
    const eol = seed % 3 === 0 ? '\r\n' : '\n';
    let text = generate(seed, rows, 2 + (seed % 5), { eol, blankRate: seed % 2 ? 0.3 : 0 });
    if (seed % 4 === 0) text = `\uFEFF${text}`;
    if (seed % 4 === 1) text = `${eol}${eol}${text}`;
    if (seed % 3 === 1) text += eol;
    if (seed % 5 === 2) text += `${eol}${eol}  ${eol}`;
    assertSame(file(text));
  }
});

test('two threads: the label by name, a split inside a run of blank lines, one row in the second half', () => {
  const rows = generate(7, 60, 4).split('\n');
  // The label first, by name; the middle of the file is blank lines.
  const named = rows.map((l) => l.split(',').reverse().join(','));
  assertSame(file(named.join('\n')), 'y');
  const blankMiddle = [...rows.slice(0, 30), ...Array<string>(2000).fill(''), ...rows.slice(30)].join('\n');
  assertSame(file(blankMiddle));
  // A long second-to-last row puts the middle in it: the second half holds the last row only.
  const padded = rows[59]!
    .split(',')
    .map((c) => ' '.repeat(2000) + c)
    .join(',');
  assertSame(file([...rows.slice(0, 59), padded, rows[60]].join('\n')));
});

function errorOf(name: string, threads: CsvThreads): DatasetError {
  try {
    load(name, threads);
  } catch (e) {
    assert.ok(e instanceof DatasetError, String(e));
    return e;
  }
  assert.fail(`${name}: loaded without an error`);
}

test('a bad cell in the second half: the same message, file, line and column as one thread', () => {
  const lines = generate(3, 300, 4, { blankRate: 0.2 }).split('\n');
  let at = lines.length - 20;
  while (lines[at]!.trim() === '') at--;
  const cells = lines[at]!.split(',');
  cells[2] = '0x1F';
  lines[at] = cells.join(',');
  const name = file(lines.join('\n'));
  const one = errorOf(name, ONE);
  const two = errorOf(name, TWO);
  assert.equal(two.message, one.message);
  assert.deepEqual([two.file, two.line, two.column], [name, at + 1, cells[0]!.length + cells[1]!.length + 3]);
  assert.deepEqual([one.file, one.line, one.column], [two.file, two.line, two.column]);
  assert.match(two.message, new RegExp(`^${name}:${at + 1}:\\d+: column "x2": `));
});

test('bad lines in both halves: the first one in the file is reported, as with one thread', () => {
  const lines = generate(4, 300, 3).split('\n');
  lines[10] = '1,2';
  lines[lines.length - 5] = 'a,b,c';
  const name = file(lines.join('\n'));
  const two = errorOf(name, TWO);
  assert.equal(two.message, errorOf(name, ONE).message);
  assert.equal(two.line, 11);
});

test('a header past the middle: one thread reads it all, with the same result', () => {
  const text = '\n'.repeat(5000) + generate(5, 50, 3);
  const name = file(text);
  const two = load(name, TWO);
  const one = load(name, ONE);
  assert.equal(two.helped, false);
  assert.deepEqual(two.shape, one.shape);
  assert.ok(bits(two.X).equals(bits(one.X)));
});

function helperFile(name: string, source: string): string {
  const path = join(work, name);
  writeFileSync(path, source);
  return path;
}

test('a helper that is missing, throws, exits or runs out of memory: this thread parses its part, same result', () => {
  const name = file(generate(6, 400, 5, { blankRate: 0.2 }));
  const one = load(name, ONE);
  const helpers = [
    join(work, 'missing.js'),
    helperFile('throws.js', "throw new Error('broken bundle');"),
    helperFile('exits.js', 'process.exit(3);'),
    // Fills the heap: resourceLimits ends the thread, and its error event must not reach the process.
    helperFile('oom.js', 'const a = []; for (;;) a.push(new Array(1e5).fill(Math.random()));'),
  ];
  for (const helper of helpers) {
    const two = load(name, { from: 0, script: helper, waits: { bootMs: 300, stallMs: 300 } });
    assert.equal(two.helped, false, helper);
    assert.deepEqual(two.shape, one.shape, helper);
    assert.ok(bits(two.X).equals(bits(one.X)), helper);
    assert.ok(bits(two.Y).equals(bits(one.Y)), helper);
  }
});

test('a helper still starting when this thread is done with its share: this thread parses the part, same result', () => {
  const name = file(generate(9, 300, 4, { blankRate: 0.1 }));
  const one = load(name, ONE);
  // By default this thread does not wait for a start-up: a 300-row share takes far less than a thread's start.
  const two = load(name, { from: 0, script });
  assert.equal(two.helped, false);
  assert.deepEqual(two.shape, one.shape);
  assert.ok(bits(two.X).equals(bits(one.X)));
  assert.ok(bits(two.Y).equals(bits(one.Y)));
});

test('progress on two threads: rows from both halves, rising, in steps of reportEvery', () => {
  const name = file(generate(8, 3000, 3));
  const seen: number[] = [];
  const { shape, helped } = readCsvSync(name, work, undefined, {}, (rows) => seen.push(rows), 100, TWO);
  assert.equal(helped, true);
  assert.ok(seen.length > 0);
  for (const [i, rows] of seen.entries()) {
    assert.equal(rows % 100, 0);
    assert.ok(rows <= shape.rows);
    if (i > 0) assert.ok(rows > seen[i - 1]!);
  }
});
