/**
 * The six course experiments of examples/initialization.nnlab.json and examples/optimization.nnlab.json:
 * NN Lab's trainer (as `nnlab run` calls it, test costs included) against the course's numpy loops
 * (bench/course_numpy.py, no test costs) on the same data, and moons-Adam against @tensorflow/tfjs-core's CPU
 * backend. Also the totals with the JS kernels (no WebAssembly) and with the generic kernels only, to show what the
 * WebAssembly SIMD kernels and the generated fixed-shape kernels buy.
 * Every case runs once; wall-clock and CPU times are both reported. Flags: --full (tfjs runs all epochs).
 */
import { dirname, join } from 'node:path';
import { loadTrainTest } from '../src/node/datasets';
import { loadExperimentFile } from '../src/node/experiment';
import { trainExperiment, type TrainOptions } from '../src/core/nn';
import type { Dataset, ExperimentConfig, RunResult } from '../src/core/types';
import type { BenchContext, BenchRow } from './api';
import { runNumpyCourse } from './numpy';
import { runTfjsAdam } from './tfjs';

export const title =
  'course experiments (examples/*.nnlab.json): NN Lab vs the course loops in numpy; moons-adam vs tfjs';

export interface Case {
  name: string;
  config: ExperimentConfig;
  data: { train: Dataset; test?: Dataset };
}

interface Timed {
  result: RunResult;
  ms: number;
  cpuMs: number;
}

export function loadCases(root: string): Case[] {
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

function timed(c: Case, options: TrainOptions): Timed {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const { result } = trainExperiment(c.config, c.data, {}, options);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { result, ms, cpuMs: (used.user + used.system) / 1000 };
}

const acc = (a: number | null | undefined) => (a === null || a === undefined ? '—' : a.toFixed(5));
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const cases = loadCases(ctx.root);
  // Warm-up: V8 compiles the shared code (RandomState, the epoch loop, data generation) once per process, like
  // numpy's import, which the Python side does not time either. It uses the generic kernels only, so the generated
  // ones are compiled inside the measured runs: codegen.ts caches them by source, so the first run of each shape
  // (circles-zeros, moons-gd) pays for compiling and optimizing its kernels and later runs of that shape reuse
  // them, as later runs in one worker or CLI process do.
  for (const c of cases) {
    trainExperiment({ ...c.config, train: { ...c.config.train, epochs: 50 } }, c.data, {}, { generatedKernels: false });
  }
  const ours = new Map<string, Timed>();
  const jsOnly: Timed[] = [];
  const generic: Timed[] = [];
  for (const c of cases) {
    ctx.log(`NN Lab: ${c.name}`);
    ours.set(c.name, timed(c, {}));
    jsOnly.push(timed(c, { wasmKernels: false }));
    generic.push(timed(c, { generatedKernels: false }));
  }

  ctx.log('numpy: bench/course_numpy.py, the six experiments once each');
  const circles = cases.find((c) => c.name === 'circles-he')!.data;
  const numpy = runNumpyCourse(ctx.root, {
    circlesTrain: circles.train,
    circlesTest: circles.test!,
    moons: cases.find((c) => c.name === 'moons-adam')!.data.train,
  });
  const numpyRuns = 'skipped' in numpy ? null : new Map(numpy.experiments.map((e) => [e.name, e]));
  const skipped = 'skipped' in numpy ? `numpy skipped: ${numpy.skipped}` : '';

  const rows: BenchRow[] = [];
  for (const c of cases) {
    const mine = ours.get(c.name)!;
    const theirs = numpyRuns?.get(c.name);
    rows.push({
      name: c.name,
      ms: mine.ms,
      baseline: { name: 'numpy', ms: theirs ? theirs.seconds * 1000 : null },
      cpu: { ms: mine.cpuMs, baselineMs: theirs ? theirs.cpuSeconds * 1000 : null },
      note: theirs ? `train acc ${acc(mine.result.trainAccuracy)} (numpy ${acc(theirs.trainAccuracy)})` : skipped,
    });
  }
  const numpyAll = numpyRuns ? [...numpyRuns.values()] : null;
  const total = (ts: Timed[]): Pick<BenchRow, 'ms' | 'baseline' | 'cpu'> => ({
    ms: sum(ts.map((t) => t.ms)),
    baseline: { name: 'numpy', ms: numpyAll ? sum(numpyAll.map((e) => e.seconds * 1000)) : null },
    cpu: {
      ms: sum(ts.map((t) => t.cpuMs)),
      baselineMs: numpyAll ? sum(numpyAll.map((e) => e.cpuSeconds * 1000)) : null,
    },
  });
  rows.push({ name: 'all six', ...total([...ours.values()]), note: 'target ≥ 10×' });
  rows.push({ name: 'all six, JS kernels', ...total(jsOnly), note: 'wasmKernels: false' });
  rows.push({ name: 'all six, generic kernels', ...total(generic), note: 'generatedKernels: false' });

  const adam = cases.find((c) => c.name === 'moons-adam')!;
  // tfjs needs minutes for all 10000 epochs on this machine: by default it runs 1000 (--quick 200, --full all) and
  // its times are scaled up, which the row says.
  const all = adam.config.train.epochs;
  const epochs = ctx.argv.includes('--full') ? all : Math.min(all, ctx.quick ? 200 : 1000);
  ctx.log(`tfjs-core cpu backend: moons-adam, ${epochs} epochs`);
  const tfjs = await runTfjsAdam(adam.config, adam.data.train, epochs);
  const scale = adam.config.train.epochs / epochs;
  const mine = ours.get('moons-adam')!;
  rows.push({
    name: 'moons-adam',
    ms: mine.ms,
    baseline: { name: `tfjs-cpu ${tfjs.version}`, ms: tfjs.ms * scale },
    cpu: { ms: mine.cpuMs, baselineMs: tfjs.cpuMs * scale },
    note:
      `float32, train acc ${acc(tfjs.trainAccuracy)}` +
      (scale === 1 ? '' : `; ran ${epochs} epochs, times ×${scale}`) +
      '; NN Lab target ≤ 1000 ms',
  });
  return rows;
}
