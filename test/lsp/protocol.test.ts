/** The client-side guards of src/protocol/lsp.ts: lens arguments and settings are untrusted input. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareArgsFrom, DEFAULT_SETTINGS, experimentArgsFrom, settingsFrom } from '../../src/protocol/lsp';

test('experimentArgsFrom and compareArgsFrom accept the typed shapes and reject anything else', () => {
  assert.deepEqual(experimentArgsFrom({ uri: 'file:///a', experiment: 'adam', extra: 1 }), {
    uri: 'file:///a',
    experiment: 'adam',
  });
  assert.throws(() => experimentArgsFrom({ uri: 'file:///a' }), /experiment: string/);
  assert.throws(() => experimentArgsFrom('adam'), /uri: string/);
  assert.deepEqual(compareArgsFrom({ uri: 'u', experiments: ['a', 'b'] }), { uri: 'u', experiments: ['a', 'b'] });
  assert.throws(() => compareArgsFrom({ uri: 'u', experiments: ['a', 1] }), /experiments: string\[\]/);
});

test('settingsFrom keeps the previous value for anything missing or mistyped', () => {
  assert.deepEqual(settingsFrom(undefined), DEFAULT_SETTINGS);
  assert.deepEqual(settingsFrom({ codeLens: { enabled: false } }), {
    codeLens: { enabled: false },
    data: { maxFileMb: 512 },
    workerMemoryMb: 1024,
  });
  const off = { codeLens: { enabled: false }, data: { maxFileMb: 64 }, workerMemoryMb: 100 };
  assert.deepEqual(settingsFrom({ codeLens: { enabled: 'no' } }, off), off);
  assert.deepEqual(settingsFrom({ codeLens: null, data: { maxFileMb: -1 } }, off), off);
  assert.deepEqual(settingsFrom({ data: { maxFileMb: 2 } }, off), {
    codeLens: { enabled: false },
    data: { maxFileMb: 2 },
    workerMemoryMb: 100,
  });
});
