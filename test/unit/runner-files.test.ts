import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanTempFiles, isTempFile, writeFileAtomic } from '../../src/runner/atomicFile';
import { lockDir } from '../../src/runner/dirLock';
import { cutToBytes, safeSegment, SEGMENT_MAX_BYTES, uniqueSegments } from '../../src/runner/safeNames';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

test('safeSegment: readable names stay, separators and forbidden characters are replaced and hashed', () => {
  assert.equal(safeSegment('adam[learningRate=0.001]'), 'adam[learningRate=0.001]');
  assert.match(safeSegment('adam[lr=0.1]/x:y'), /^adam\[lr=0\.1\]_x_y~[0-9a-f]{8}$/);
  assert.notEqual(safeSegment('a/b'), safeSegment('a_b'));
  assert.match(safeSegment('..'), /^_~[0-9a-f]{8}$/);
  assert.match(safeSegment('name. '), /^name_~[0-9a-f]{8}$/);
  assert.match(safeSegment(''), /^_~[0-9a-f]{8}$/);
});

test("safeSegment: reserved names (index.json, Windows devices, NN Lab's own) are escaped", () => {
  for (const name of [
    'index.json',
    'INDEX.JSON',
    'con',
    'CON',
    'nul.txt',
    'Com1',
    'lpt9.json',
    'aux',
    'prn',
    '.nnlab-lock',
  ]) {
    const segment = safeSegment(name);
    assert.notEqual(segment.toLowerCase(), name.toLowerCase(), name);
    assert.match(segment, /~[0-9a-f]{8}$/, name);
  }
  assert.equal(safeSegment('console'), 'console');
  assert.equal(safeSegment('toString'), 'toString');
});

test('safeSegment: capped in UTF-8 bytes, cut between code points, with a hash that tells cut names apart', () => {
  const cjk = '漢'.repeat(120);
  const segment = safeSegment(cjk);
  assert.ok(bytes(segment) <= SEGMENT_MAX_BYTES, `${bytes(segment)} bytes`);
  assert.match(segment, /^漢+~[0-9a-f]{8}$/);
  const emoji = '😀'.repeat(60);
  assert.ok(!safeSegment(emoji).includes('\uFFFD') && /^(😀)+~/.test(safeSegment(emoji)));
  // Two names equal in their first 120 characters.
  const long = 'x'.repeat(130);
  assert.notEqual(safeSegment(`${long}a`), safeSegment(`${long}b`));
  assert.equal(cutToBytes('aé漢', 3), 'aé');
});

test('uniqueSegments: names that collide case-insensitively get distinct segments', () => {
  const segments = uniqueSegments(['Adam', 'adam', 'ADAM', 'gd', 'a/b', 'a_b']);
  assert.equal(new Set(segments.map((s) => s.toLowerCase())).size, 6, segments.join(' '));
  assert.equal(segments[0], 'Adam');
  assert.match(segments[1]!, /^adam~[0-9a-f]{8}$/);
  assert.equal(segments[3], 'gd');
});

test('writeFileAtomic replaces a file whole and leaves no temp file; cleanTempFiles removes only orphans', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'nnlab-atomic-'));
  const path = join(dir, 'sub', 'result.json');
  await writeFileAtomic(path, '{"a":1}');
  await writeFileAtomic(path, '{"a":2}', { durableName: true });
  assert.equal(await readFile(path, 'utf8'), '{"a":2}');
  assert.deepEqual(await readdir(join(dir, 'sub')), ['result.json']);
  // A dead writer's temp file goes; a live writer's (this process) stays.
  await writeFile(join(dir, 'sub', '.nnlab-tmp-999999999-abcdef'), 'half');
  await writeFile(join(dir, 'sub', `.nnlab-tmp-${process.pid}-abcdef`), 'mine');
  assert.equal(await cleanTempFiles(join(dir, 'sub')), 1);
  assert.deepEqual((await readdir(join(dir, 'sub'))).sort(), [`.nnlab-tmp-${process.pid}-abcdef`, 'result.json']);
  assert.ok(isTempFile(`.nnlab-tmp-${process.pid}-abcdef`) && !isTempFile('result.json'));
  await assert.rejects(writeFileAtomic(join(path, 'under-a-file'), 'x'));
});

test("lockDir: a second writer waits for the first; a dead holder's lock is taken over", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'nnlab-lock-'));
  const first = await lockDir(dir);
  const order: string[] = [];
  let waitedFor: number | undefined;
  const second = lockDir(dir, { onWait: (pid) => (waitedFor = pid) }).then((lock) => {
    order.push('second');
    return lock;
  });
  await new Promise((r) => setTimeout(r, 150));
  order.push('first released');
  await first.release();
  await (await second).release();
  assert.deepEqual(order, ['first released', 'second']);
  assert.equal(waitedFor, process.pid);

  // A process that held the lock and was killed.
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  await writeFile(join(dir, '.nnlab-lock'), String(child.pid));
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  const taken = await lockDir(dir, { timeoutMs: 5000 });
  assert.equal(await readFile(join(dir, '.nnlab-lock'), 'utf8'), String(process.pid));
  await taken.release();
  assert.deepEqual(await readdir(dir), []);
});
