// The boundary grid: cell order, extent and probabilities against a model whose answer is known in closed form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boundaryGrid, parametersFromRows } from '../../src/charts/boundary';
import type { Dataset, ModelConfig } from '../../src/core/types';

const model = (layers: number[], output: 'sigmoid' | 'softmax'): ModelConfig => ({
  layers,
  activation: 'relu',
  output,
  init: 'zeros',
  initScale: 0.01,
  seed: 1,
  keepProb: 1,
});

const data: Dataset = {
  X: { rows: 2, cols: 3, data: Float64Array.from([0, 1, 2, -1, 0, 1]) },
  Y: { rows: 1, cols: 3, data: Float64Array.from([0, 1, 1]) },
  classes: 2,
};

test('binary: 100×100 cells over the data plus 10%, P = sigmoid(2·x₁ − x₂) in cell order', () => {
  const params = parametersFromRows({ W1: [[2, -1]], b1: [[0]] });
  const g = boundaryGrid(params, model([2, 1], 'sigmoid'), data);
  assert.equal(g.p.length, 10000);
  assert.deepEqual([g.x.min, g.x.max, g.y.min, g.y.max], [-0.2, 2.2, -1.2, 1.2]);
  for (const [i, j] of [
    [0, 0],
    [99, 0],
    [37, 81],
  ] as const) {
    const x = g.x.min + ((g.x.max - g.x.min) * i) / 99;
    const y = g.y.min + ((g.y.max - g.y.min) * j) / 99;
    assert.ok(Math.abs(g.p[j * 100 + i]! - 1 / (1 + Math.exp(-(2 * x - y)))) < 1e-12);
  }
  assert.deepEqual(g.train, { x: [0, 1, 2], y: [-1, 0, 1], label: [0, 1, 1] });
  assert.equal(g.cls, undefined);
});

test('multi-class: arg-max class and its probability per cell', () => {
  // Logits (x₁, x₂, 0): class 0 wins where x₁ is largest, class 1 where x₂ is, class 2 where both are negative.
  const params = parametersFromRows({
    W1: [
      [1, 0],
      [0, 1],
      [0, 0],
    ],
    b1: [[0], [0], [0]],
  });
  const g = boundaryGrid(params, model([2, 3], 'softmax'), { ...data, classes: 3 }, undefined, { cells: 20 });
  assert.equal(g.classes, 3);
  assert.equal(g.cls!.length, 400);
  assert.equal(g.cls![0], 2, 'bottom-left corner: both logits negative');
  assert.equal(g.cls![19], 0, 'bottom-right: x₁ large, x₂ negative');
  assert.ok(g.p.every((p) => p >= 1 / 3 && p <= 1));
});

test('more than two features is refused with a clear error', () => {
  const wide: Dataset = { ...data, X: { rows: 3, cols: 1, data: Float64Array.from([1, 2, 3]) } };
  assert.throws(() => boundaryGrid(new Map(), model([3, 1], 'sigmoid'), wide), /needs 2 features, the data has 3/);
});
