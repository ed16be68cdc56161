/** The Python harness's wire format (src/protocol/python.ts): base64 of float64 bytes and the reply guard. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeF64, encodeF64, fromBase64, harnessReply, toBase64 } from '../../src/protocol/python';

test("base64 agrees with Node's Buffer for every length mod 3, and round-trips", () => {
  for (let n = 0; n < 70; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31) & 255);
    const text = toBase64(bytes);
    assert.equal(text, Buffer.from(bytes).toString('base64'), `length ${n}`);
    assert.deepEqual(fromBase64(text), bytes);
  }
  const big = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 7919) & 255);
  assert.equal(toBase64(big), Buffer.from(big).toString('base64'));
  assert.equal(fromBase64('no*base64'), undefined);
  assert.equal(fromBase64('abcde'), undefined);
});

test('float64 arrays cross bit for bit: -0, subnormals, 17-digit reprs, ±∞, NaN', () => {
  const values = [0.1 + 0.2, -0, 5e-324, 2.2250738585072014e-308 / 3, Number.MAX_VALUE, Infinity, -Infinity, NaN];
  const wire = encodeF64(values, [2, 4]);
  assert.deepEqual(wire.shape, [2, 4]);
  decodeF64(wire, 'values').forEach((v, i) => assert.ok(Object.is(v, values[i]), `${i}: ${v}`));
  assert.throws(() => decodeF64({ f64: 'AAAA' }, 'costs'), /costs has 3 bytes/);
  assert.throws(() => decodeF64({ f64: 1 }, 'costs'), /costs is not a float64 array/);
});

test('replies are checked before use', () => {
  assert.deepEqual(harnessReply('{"ok": true, "python": "3.11.2"}'), { ok: true, python: '3.11.2' });
  assert.deepEqual(
    harnessReply(
      '{"ok": false, "error": {"phase": "forward", "message": "m", "type": "E", "line": 3, "file": "/x.py", "extra": 1}}',
    ),
    {
      ok: false,
      error: { phase: 'forward', message: 'm', type: 'E', file: '/x.py', line: 3 },
    },
  );
  assert.throws(() => harnessReply('Traceback (most recent call last):'), /not JSON/);
  assert.throws(() => harnessReply('{"answer": 42}'), /without "ok"/);
  assert.throws(() => harnessReply('{"ok": false, "error": {}}'), /without a message/);
});
