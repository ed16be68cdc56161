/**
 * Gradient checking (issue 3): a full check of the initialization lab's [2,10,5,1] network on its 300 circles
 * examples, and sampled (k entries per tensor) against full on a larger [2,20,20,1] network. Each check costs two
 * forward passes per checked entry, so sampling scales with k·tensors instead of the parameter count.
 */
import { loadDataset } from '../src/node/datasets';
import { checkGradients, networkProblem } from '../src/core/gradcheck';
import { initializeParameters } from '../src/core/nn';
import type { DataConfig, ModelConfig } from '../src/core/types';
import type { BenchContext, BenchRow } from './api';

export const title = 'gradient checking: full and sampled central differences (NN Lab network, 300 examples)';

const CIRCLES: DataConfig = { dataset: 'circles', samples: 300, noise: 0.05, seed: 1, factor: 0.8, classes: 2 };

function model(layers: number[]): ModelConfig {
  return { layers, activation: 'relu', output: 'sigmoid', init: 'he', initScale: 0.01, seed: 3, keepProb: 1 };
}

async function timeCheck(
  layers: number[],
  sample?: number,
): Promise<{ ms: number; entries: number; difference: number; passed: boolean }> {
  const m = model(layers);
  const data = loadDataset(CIRCLES, '.');
  const t0 = performance.now();
  const report = await checkGradients(
    networkProblem(initializeParameters(m), data.X, data.Y, m, { l2: 0 }),
    sample ? { sample } : {},
  );
  const ms = performance.now() - t0;
  return {
    ms,
    entries: report.tensors.reduce((n, t) => n + t.checked, 0),
    difference: report.difference,
    passed: report.passed,
  };
}

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  ctx.log('gradcheck: full [2,10,5,1]');
  const small = await timeCheck([2, 10, 5, 1]);
  rows.push({
    name: 'full check [2,10,5,1], m=300',
    ms: small.ms,
    note: `${small.entries} entries, difference ${small.difference.toExponential(2)}, ${small.passed ? 'passed' : 'FAILED'}`,
  });
  const big = ctx.quick ? [2, 12, 12, 1] : [2, 20, 20, 1];
  const k = 10;
  ctx.log(`gradcheck: sampled vs full ${JSON.stringify(big)}`);
  const sampled = await timeCheck(big, k);
  const full = await timeCheck(big);
  rows.push({
    name: `sampled k=${k}/tensor ${JSON.stringify(big)}, m=300`,
    ms: sampled.ms,
    baseline: { name: `full check (${full.entries} entries)`, ms: full.ms },
    note: `${sampled.entries} entries; difference sampled ${sampled.difference.toExponential(2)}, full ${full.difference.toExponential(2)}${ctx.quick ? ' (--quick: smaller net)' : ''}`,
  });
  return rows;
}
