import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromRows, toRows, transpose, zeros } from '../../src/core/matrix';

test('fromRows/toRows round-trip in numpy row-major order; transpose swaps the index', () => {
  const m = fromRows([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assert.deepEqual([m.rows, m.cols, Array.from(m.data)], [2, 3, [1, 2, 3, 4, 5, 6]]);
  assert.deepEqual(toRows(m), [
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assert.deepEqual(toRows(transpose(m)), [
    [1, 4],
    [2, 5],
    [3, 6],
  ]);
  assert.deepEqual(toRows(zeros(2, 1)), [[0], [0]]);
  assert.deepEqual(toRows(fromRows([])), []);
  assert.throws(() => fromRows([[1, 2], [3]]), /row 1 has 1 values, expected 2/);
});
