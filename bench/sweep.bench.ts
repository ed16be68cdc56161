/**
 * The sweep benchmark of issue 8: a 64-trial grid on moons ([2,5,2,1], 1000 epochs, mini-batches) run by the
 * built CLI with --jobs 1 and with --jobs 2, wall time measured around the whole process (worker start-up
 * included), three rounds each, alternating so both see the same machine load.
 *
 *   npm run bench:sweep      (builds dist/cli.js, dist/worker.js and this file, then runs it)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

const SWEEP = `{
  "defaults": {
    "data": { "dataset": "moons", "samples": 300, "noise": 0.2, "seed": 3 },
    "model": { "layers": [2, 5, 2, 1], "init": "he", "seed": 3 },
    "train": { "epochs": 1000, "shuffleSeed": 10 }
  },
  "experiments": {
    "grid": {
      "sweep": {
        "train.optimizer": ["gd", "momentum", "rmsprop", "adam"],
        "train.learningRate": [0.1, 0.03, 0.01, 0.003, 0.001, 0.0003, 0.0001, 0.00003],
        "train.batchSize": [32, 64]
      }
    }
  }
}`;

const cli = join(__dirname, 'cli.js');
const file = join(mkdtempSync(join(tmpdir(), 'nnlab-sweep-bench-')), 'sweep.nnlab.json');
writeFileSync(file, SWEEP);

function once(jobs: number): { ms: number; trials: number } {
  const started = performance.now();
  const r = spawnSync(process.execPath, [cli, 'run', file, '--json', '--jobs', String(jobs)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = performance.now() - started;
  if (r.status !== 0 && r.status !== 1) throw new Error(`nnlab run failed (${r.status}): ${r.stderr}`);
  return { ms, trials: (JSON.parse(r.stdout) as { experiments: unknown[] }).experiments.length };
}

const rounds = 3;
const times: Record<1 | 2, number[]> = { 1: [], 2: [] };
let trials = 0;
for (let i = 0; i < rounds; i++) {
  for (const jobs of [1, 2] as const) {
    const r = once(jobs);
    times[jobs].push(r.ms);
    trials = r.trials;
  }
}
const best = (xs: number[]) => Math.min(...xs);
const fmt = (xs: number[]) => xs.map((x) => (x / 1000).toFixed(2)).join(', ');
console.log(`sweep bench: ${trials} trials, moons [2,5,2,1], 1000 epochs; ${availableParallelism()} CPUs; ${rounds} rounds`);
console.log(`  --jobs 1: best ${(best(times[1]) / 1000).toFixed(2)} s  (all: ${fmt(times[1])})`);
console.log(`  --jobs 2: best ${(best(times[2]) / 1000).toFixed(2)} s  (all: ${fmt(times[2])})`);
console.log(`  speedup (best/best): ${(best(times[1]) / best(times[2])).toFixed(2)}x  (target >= 1.8x)`);
