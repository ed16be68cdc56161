/**
 * Real-data workloads against NN Lab's peers (issue 18): the digits fixture ([64,128,64,10], 200 epochs), the
 * 784-wide synthetic set ([784,128,64,10], 5 epochs) and a width sweep on it ([784,W,W,10], W = 32, 128, 512).
 * Contenders, each a whole process that loads the CSV files itself (load included in its wall time):
 *   NN Lab    the built CLI, `nnlab run FILE -e NAME --json --jobs 1` (durationMs is its training time)
 *   numpy     bench/peers.py numpy: the course-style loop, same init, shuffling and Adam (same costs to ~1e-16)
 *   sklearn   bench/peers.py sklearn: MLPClassifier, alpha=0, no early stopping, same layers/epochs/batch/Adam
 * numpy and scikit-learn run when /usr/bin/python3 has them, and are skipped (the row says so) otherwise. Rounds are
 * interleaved (every contender once per workload per round, the order rotating) and medians are reported: the
 * machine is shared. GFLOP/s count the training's matrix products (forward and two backward per layer, 2 flops a
 * multiply-add) over training time only; the reference row is numpy's own 2048² float64 product (both threads).
 *
 * The 784-wide set is generated here from a seed: 10 Gaussian blobs (centres 0.1·randn, unit noise), 20,000
 * training and 2,000 test rows, 4 decimals, ~120 MB of CSV in a temporary directory removed afterwards.
 *
 *   npm run bench -- --only=peers                          every workload, 3 rounds
 *   npm run bench -- --only=peers --workloads=digits,w32   some of: digits, 784, w32, w128, w512
 *   npm run bench -- --only=peers --rounds=1 --contenders=nnlab,numpy
 * --quick: 1 round, digits 20 epochs, the 784-wide workloads 1 epoch. How long the full module takes is dominated by
 * the trainer's speed on the 784-wide sets; on main before the issue-18 kernels one round was ~13 minutes on 2 cores
 * (W=512 alone ~5 minutes for NN Lab).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { estimateRunTime } from '../src/core/nn/runTime';
import { RandomState } from '../src/core/random';
import type { BenchContext, BenchRow } from './api';
import { busyCores, loadLine, machineTicks } from './machine';
import { numpyVersion, PYTHON } from './numpy';

export const title =
  'real data vs numpy and scikit-learn (whole processes, CSV load included; medians of interleaved rounds)';

interface Workload {
  id: string;
  name: string;
  data: 'digits' | 'blobs';
  layers: number[];
  epochs: number;
  batch: number;
}

const WORKLOADS: Workload[] = [
  { id: 'digits', name: 'digits [64,128,64,10]', data: 'digits', layers: [64, 128, 64, 10], epochs: 200, batch: 64 },
  { id: '784', name: '784-wide [784,128,64,10]', data: 'blobs', layers: [784, 128, 64, 10], epochs: 5, batch: 128 },
  { id: 'w32', name: 'width W=32 [784,32,32,10]', data: 'blobs', layers: [784, 32, 32, 10], epochs: 5, batch: 128 },
  {
    id: 'w128',
    name: 'width W=128 [784,128,128,10]',
    data: 'blobs',
    layers: [784, 128, 128, 10],
    epochs: 5,
    batch: 128,
  },
  {
    id: 'w512',
    name: 'width W=512 [784,512,512,10]',
    data: 'blobs',
    layers: [784, 512, 512, 10],
    epochs: 5,
    batch: 128,
  },
];

const LEARNING_RATE = 0.001;
const SEED = 1;
const SHUFFLE_SEED = 10;
const BLOBS = { seed: 18, features: 784, classes: 10, train: 20_000, test: 2_000, centreScale: 0.1 };

type Contender = 'nnlab' | 'numpy' | 'sklearn';
const CONTENDERS: Contender[] = ['nnlab', 'numpy', 'sklearn'];

interface Run {
  wallMs: number;
  trainMs: number;
  testAccuracy: number | null;
  finalCost: number | null;
}

/** Training flops: per example and layer, the forward product and two backward ones, 2 flops per multiply-add. */
export function trainingFlops(layers: readonly number[], examples: number, epochs: number): number {
  let weights = 0;
  for (let l = 1; l < layers.length; l++) weights += layers[l]! * layers[l - 1]!;
  return 6 * weights * examples * epochs;
}

/** Writes the seeded 784-wide blobs as train/test CSV files in `dir`. */
export async function writeBlobs(dir: string): Promise<{ train: string; test: string }> {
  const { seed, features, classes, centreScale } = BLOBS;
  const rng = new RandomState(seed);
  const centres = rng.fillStandardNormal(new Float64Array(classes * features), centreScale);
  const header = `${Array.from({ length: features }, (_, i) => `x${i}`).join(',')},label\n`;
  const row = new Float64Array(features);
  const write = async (path: string, rows: number) => {
    const out = createWriteStream(path);
    out.write(header);
    for (let r = 0; r < rows; r++) {
      const label = rng.interval(classes - 1);
      rng.fillStandardNormal(row);
      const cells = new Array<string>(features);
      for (let f = 0; f < features; f++) cells[f] = (centres[label * features + f]! + row[f]!).toFixed(4);
      if (!out.write(`${cells.join(',')},${label}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
  };
  const paths = { train: join(dir, 'blobs784-train.csv'), test: join(dir, 'blobs784-test.csv') };
  await write(paths.train, BLOBS.train);
  await write(paths.test, BLOBS.test);
  return paths;
}

function experimentFile(dir: string, w: Workload, epochs: number, data: { train: string; test: string }): string {
  const path = join(dir, `${w.id}.nnlab.json`);
  const experiment = {
    data: { dataset: 'csv', path: data.train, test: { path: data.test } },
    model: { layers: w.layers, activation: 'relu', output: 'softmax', init: 'he', seed: SEED },
    train: { optimizer: 'adam', learningRate: LEARNING_RATE, batchSize: w.batch, epochs, shuffleSeed: SHUFFLE_SEED },
  };
  writeFileSync(path, JSON.stringify({ experiments: { [w.id]: experiment } }, null, 2));
  return path;
}

function runNnlab(cli: string, file: string, name: string): Run | string {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'run', file, '-e', name, '--json', '--jobs', '1'], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) return `nnlab run exited ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').pop()}`;
  const result = (
    JSON.parse(r.stdout) as { experiments: Array<{ durationMs: number; testAccuracy: number | null; costs: number[] }> }
  ).experiments[0]!;
  return {
    wallMs,
    trainMs: result.durationMs,
    testAccuracy: result.testAccuracy,
    finalCost: result.costs.at(-1) ?? null,
  };
}

function runPython(
  script: string,
  kind: 'numpy' | 'sklearn',
  w: Workload,
  epochs: number,
  data: { train: string; test: string },
): Run | string {
  const args = [
    script,
    kind,
    data.train,
    data.test,
    w.layers.join(','),
    String(epochs),
    String(w.batch),
    String(LEARNING_RATE),
    String(SEED),
    String(SHUFFLE_SEED),
  ];
  const t0 = performance.now();
  const r = spawnSync(PYTHON, args, { encoding: 'utf8' });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) return `peers.py ${kind} failed: ${r.stderr.trim().split('\n').pop()}`;
  const out = JSON.parse(r.stdout) as { seconds: number; testAccuracy: number; finalCost: number };
  return { wallMs, trainMs: out.seconds * 1000, testAccuracy: out.testAccuracy, finalCost: out.finalCost };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function listFlag(ctx: BenchContext, name: string): string[] | undefined {
  return ctx.argv
    .find((a) => a.startsWith(`--${name}=`))
    ?.slice(name.length + 3)
    .split(',')
    .filter(Boolean);
}

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const cli = join(ctx.root, 'dist', 'cli.js');
  if (!existsSync(cli)) return [{ name: 'peers', ms: null, note: 'dist/cli.js missing: run `npm run build` first' }];
  const picked = listFlag(ctx, 'workloads');
  const unknown = picked?.filter((id) => !WORKLOADS.some((w) => w.id === id)) ?? [];
  if (unknown.length)
    return [
      {
        name: 'peers',
        ms: null,
        note: `unknown workload(s) ${unknown.join(', ')}; known: ${WORKLOADS.map((w) => w.id).join(', ')}`,
      },
    ];
  const workloads = WORKLOADS.filter((w) => !picked || picked.includes(w.id));
  const python = numpyVersion() !== null;
  const sklearn = python && spawnSync(PYTHON, ['-c', 'import sklearn'], { encoding: 'utf8' }).status === 0;
  const wanted = listFlag(ctx, 'contenders') ?? CONTENDERS;
  const contenders = CONTENDERS.filter(
    (c) => wanted.includes(c) && (c === 'nnlab' || (c === 'numpy' ? python : sklearn)),
  );
  const missing = (c: Contender) =>
    !wanted.includes(c)
      ? 'not asked for (--contenders)'
      : `${PYTHON} has no ${c === 'numpy' ? 'numpy' : 'scikit-learn'}`;
  const rounds = Number(listFlag(ctx, 'rounds')?.[0] ?? (ctx.quick ? 1 : 3));
  const epochsOf = (w: Workload) => (ctx.quick ? (w.data === 'digits' ? 20 : 1) : w.epochs);
  const script = join(ctx.root, 'bench', 'peers.py');

  const rows: BenchRow[] = [];
  if (python) {
    ctx.log('peers: float64 matrix-product peak (numpy @ on 2048²)');
    const r = spawnSync(PYTHON, [script, 'peak'], { encoding: 'utf8' });
    const peak = r.status === 0 ? (JSON.parse(r.stdout) as { gflops: number; seconds: number }) : undefined;
    rows.push({
      name: 'reference: numpy @ 2048² float64',
      ms: null,
      baseline: { name: 'numpy @', ms: peak ? peak.seconds * 1000 : null },
      note: peak
        ? `machine peak ${peak.gflops.toFixed(1)} GFLOP/s (best of 5, OpenBLAS threads as set above)`
        : `failed: ${r.stderr.trim()}`,
    });
  }

  const dir = mkdtempSync(join(tmpdir(), 'nnlab-peers-bench-'));
  const started = performance.now();
  const ticks = machineTicks();
  try {
    const digits = {
      train: join(ctx.root, 'bench', 'fixtures', 'digits-train.csv'),
      test: join(ctx.root, 'bench', 'fixtures', 'digits-test.csv'),
    };
    let blobs: { train: string; test: string } | undefined;
    if (workloads.some((w) => w.data === 'blobs')) {
      ctx.log(`peers: writing the 784-wide set (seed ${BLOBS.seed}, ${BLOBS.train} + ${BLOBS.test} rows)`);
      blobs = await writeBlobs(dir);
    }
    const runs = new Map<string, Run[]>();
    const failures = new Map<string, string>();
    for (let round = 0; round < rounds; round++) {
      for (const w of workloads) {
        const data = w.data === 'digits' ? digits : blobs!;
        const epochs = epochsOf(w);
        const file = experimentFile(dir, w, epochs, data);
        // Rotating the order each round: no contender always runs right after the same one.
        const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]!);
        for (const c of order) {
          ctx.log(`peers: round ${round + 1}/${rounds} ${w.id} ${c}`);
          const r = c === 'nnlab' ? runNnlab(cli, file, w.id) : runPython(script, c, w, epochs, data);
          const key = `${w.id}|${c}`;
          if (typeof r === 'string') failures.set(key, r);
          else {
            runs.set(key, [...(runs.get(key) ?? []), r]);
            ctx.log(
              `  wall ${(r.wallMs / 1000).toFixed(2)} s, training ${(r.trainMs / 1000).toFixed(2)} s, test acc ${r.testAccuracy}`,
            );
          }
        }
      }
    }
    const busy = busyCores(ticks, machineTicks(), performance.now() - started);
    const load = `${busy === undefined ? '' : `machine busy ${busy.toFixed(2)} cores on average (ours included), `}${loadLine()} at the end`;

    for (const w of workloads) {
      const epochs = epochsOf(w);
      const examples = w.data === 'digits' ? 1500 : BLOBS.train;
      const gflop = trainingFlops(w.layers, examples, epochs) / 1e9;
      const summary = (c: Contender): { wall: number | null; text: string } => {
        const rs = runs.get(`${w.id}|${c}`);
        if (!rs?.length)
          return {
            wall: null,
            text: `${c}: ${failures.get(`${w.id}|${c}`) ?? (contenders.includes(c) ? 'no run' : `skipped, ${missing(c)}`)}`,
          };
        const train = median(rs.map((r) => r.trainMs));
        const acc = median(rs.map((r) => r.testAccuracy ?? NaN));
        const text =
          `${c}: training ${(train / 1000).toFixed(2)} s = ${(gflop / (train / 1000)).toFixed(2)} GFLOP/s, test acc ${(acc * 100).toFixed(1)}%, ` +
          `final cost ${rs[0]!.finalCost?.toPrecision(6)}`;
        return { wall: median(rs.map((r) => r.wallMs)), text };
      };
      const ours = summary('nnlab');
      // The slow-run warning's estimate of this run, against NN Lab's measured whole-process time.
      const estimate = estimateRunTime({
        model: { layers: w.layers, activation: 'relu', output: 'softmax', keepProb: 1 },
        train: { epochs, batchSize: w.batch },
        samples: examples,
        csv: true,
        test: true,
      }).seconds;
      const estimateText =
        `slow-run estimate ${estimate.toFixed(1)} s` +
        (ours.wall === null ? '' : ` (${(ours.wall / 1000 / estimate).toFixed(2)}× of it measured)`);
      const settings = `${epochs} epochs, batch ${w.batch}, Adam ${LEARNING_RATE}, ${gflop.toFixed(1)} GFLOP of training; ${rounds} round(s); ${load}`;
      for (const peer of ['numpy', 'sklearn'] as const) {
        const theirs = summary(peer);
        rows.push({
          name: w.name,
          ms: ours.wall,
          baseline: { name: peer === 'numpy' ? 'numpy loop' : 'sklearn MLP', ms: theirs.wall },
          note: `${ours.text}; ${theirs.text}; ${estimateText}; ${settings}`,
        });
      }
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
