/** checkGradients with evaluateBatch (how Python modules answer): the same report as one evaluate per θ′. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkGradients, type CheckProblem } from '../../src/core/gradcheck/check';
import { networkProblem } from '../../src/core/gradcheck/network';
import { initializeParameters } from '../../src/core/nn';
import { loadDataset } from '../../src/node/datasets';
import type { ModelConfig } from '../../src/core/types';

const model: ModelConfig = {
  layers: [2, 20, 20, 1],
  activation: 'relu',
  output: 'sigmoid',
  init: 'he',
  initScale: 0.01,
  seed: 3,
  keepProb: 1,
};
const data = loadDataset({ dataset: 'moons', samples: 60, noise: 0.2, seed: 3 } as never, '.');

function batched(problem: CheckProblem, calls: number[]): CheckProblem {
  return {
    ...problem,
    evaluate: () => assert.fail('evaluate is not called when evaluateBatch is given'),
    evaluateBatch: async (thetas) => {
      calls.push(thetas.length);
      return thetas.map((t) => {
        const r = problem.evaluate(t) as { cost: number; kinkInputs?: Float64Array };
        return r.kinkInputs ? { cost: r.cost, kinkInputs: r.kinkInputs.slice() } : r;
      });
    },
  };
}

test('a batched check gives the sequential report to the bit, in batches of 128 entries (256 θ′)', async () => {
  const problem = () => networkProblem(initializeParameters(model), data.X, data.Y, model, { l2: 0 });
  const sequential = await checkGradients(problem());
  const calls: number[] = [];
  const viaBatches = await checkGradients(batched(problem(), calls));
  assert.deepEqual(viaBatches, sequential);
  // 501 parameters: three full batches and one of 117 entries.
  assert.deepEqual(calls, [256, 256, 256, 234]);
  assert.ok(sequential.tensors.some((t) => t.kinkCount > 0) || sequential.passed);
});

test('a batched, sampled check picks the same entries as the sequential one', async () => {
  const problem = () => networkProblem(initializeParameters(model), data.X, data.Y, model, { l2: 0.1 });
  const options = { sample: 3, sampleSeed: 7 };
  assert.deepEqual(await checkGradients(batched(problem(), []), options), await checkGradients(problem(), options));
});
