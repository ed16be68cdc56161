/**
 * The six course experiments of examples/initialization.nnlab.json and examples/optimization.nnlab.json:
 * NN Lab's trainer (as `nnlab run` calls it) against the course's numpy loops (bench/course_numpy.py) on the same
 * data, and moons-Adam against @tensorflow/tfjs-core's CPU backend. Also the total with the generic kernels only,
 * to show what the generated fixed-shape kernels buy.
 */
import { dirname, join } from 'node:path';
import { loadTrainTest } from '../src/core/datasets';
import { loadExperimentFile } from '../src/core/experiment';
import { trainExperiment } from '../src/core/nn';
import type { Dataset, ExperimentConfig } from '../src/core/types';
import type { BenchContext, BenchRow } from './api';
import { runNumpyCourse } from './numpy';
import { runTfjsAdam } from './tfjs';

export const title = 'course experiments: NN Lab vs numpy (course loops), moons-adam vs tfjs-core cpu';

interface Case {
  name: string;
  config: ExperimentConfig;
  data: { train: Dataset; test?: Dataset };
}

function loadCases(root: string): Case[] {
  const cases: Case[] = [];
  for (const [file, prefix] of [
    ['initialization.nnlab.json', 'circles'],
    ['optimization.nnlab.json', 'moons'],
  ] as const) {
    const loaded = loadExperimentFile(join(root, 'examples', file), { advice: false });
    if (loaded.fileErrors || loaded.experiments.length === 0) throw new Error(`cannot load examples/${file}`);
    for (const config of loaded.experiments) {
      cases.push({ name: `${prefix}-${config.name}`, config, data: loadTrainTest(config.data, dirname(loaded.file)) });
    }
  }
  return cases;
}

const accuracyText = (a: number | null | undefined) => (a === null || a === undefined ? '—' : a.toFixed(5));

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const cases = loadCases(ctx.root);
  const rows: BenchRow[] = [];

  const ours = new Map<string, { ms: number; trainAccuracy: number | null }>();
  let genericTotal = 0;
  for (const c of cases) {
    ctx.log(`NN Lab: ${c.name}`);
    const { result } = trainExperiment(c.config, c.data);
    ours.set(c.name, { ms: result.durationMs, trainAccuracy: result.trainAccuracy });
    genericTotal += trainExperiment(c.config, c.data, {}, { generatedKernels: false }).result.durationMs;
  }

  ctx.log('numpy: bench/course_numpy.py (the six experiments, once each)');
  const circles = cases.find((c) => c.name === 'circles-he')!.data;
  const numpy = runNumpyCourse(ctx.root, {
    circlesTrain: circles.train,
    circlesTest: circles.test!,
    moons: cases.find((c) => c.name === 'moons-adam')!.data.train,
  });
  const numpyRuns = 'skipped' in numpy ? null : new Map(numpy.experiments.map((e) => [e.name, e]));
  const skipped = 'skipped' in numpy ? numpy.skipped : '';

  let oursTotal = 0;
  let numpyTotal = 0;
  for (const c of cases) {
    const mine = ours.get(c.name)!;
    const theirs = numpyRuns?.get(c.name);
    oursTotal += mine.ms;
    numpyTotal += theirs ? theirs.seconds * 1000 : 0;
    rows.push({
      name: c.name,
      ms: mine.ms,
      baseline: { name: 'numpy', ms: theirs ? theirs.seconds * 1000 : null },
      note: theirs
        ? `train acc ${accuracyText(mine.trainAccuracy)} (numpy ${accuracyText(theirs.trainAccuracy)})`
        : `numpy skipped: ${skipped}`,
    });
  }
  rows.push({
    name: 'all six',
    ms: oursTotal,
    baseline: { name: 'numpy', ms: numpyRuns ? numpyTotal : null },
    note: 'target ≥ 10×',
  });
  rows.push({
    name: 'all six, generic kernels',
    ms: genericTotal,
    baseline: { name: 'numpy', ms: numpyRuns ? numpyTotal : null },
    note: 'generatedKernels: false',
  });

  const adam = cases.find((c) => c.name === 'moons-adam')!;
  const epochs = ctx.quick ? 1000 : adam.config.train.epochs;
  ctx.log(`tfjs-core cpu: moons-adam, ${epochs} epochs`);
  const tfjs = await runTfjsAdam(adam.config, adam.data.train, epochs);
  const scale = adam.config.train.epochs / epochs;
  rows.push({
    name: 'moons-adam',
    ms: ours.get('moons-adam')!.ms,
    baseline: { name: `tfjs-cpu ${tfjs.version}`, ms: tfjs.ms * scale },
    note:
      `float32; train acc ${accuracyText(tfjs.trainAccuracy)}` +
      (scale === 1 ? '' : `; tfjs ran ${epochs} epochs, time ×${scale}`) +
      '; target ≤ 1000 ms (2 × the ~0.5 s floor)',
  });
  return rows;
}
