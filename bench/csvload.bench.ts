/**
 * CSV loading against numpy.loadtxt (issue 18's loading targets: ≥ 3× faster, peak RSS ≤ 1.5× the float64 data).
 * The file is the peers bench's seeded 784-wide training set (20,000 rows × 785 columns, 4 decimals, ~118 MB).
 * Each contender is a whole process that loads the file and nothing else, in interleaved rounds (the order
 * alternating), medians reported:
 *   NN Lab   node dist/bench-csv-load.js FILE   (the loader training uses, into the course's features × m layout)
 *   numpy    peers.py loadtxt FILE              (np.loadtxt(FILE, delimiter=",", skiprows=1))
 * Rows/s is from each process's own load time; wall includes starting the runtime. Peak RSS is the process's
 * ru_maxrss, against the data's own float64 size (rows × columns × 8 bytes).
 *
 *   npm run bench -- --only=csvload [--rounds=N]      (default 5 rounds; --quick 1)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext, BenchRow } from './api';
import { busyCores, loadLine, machineTicks } from './machine';
import { numpyVersion, PYTHON } from './numpy';
import { writeBlobs } from './peers.bench';

export const title = 'CSV loading vs numpy.loadtxt (20,000 × 785 file; whole processes, interleaved, medians)';

interface Load {
  wallMs: number;
  seconds: number;
  rows: number;
  columns: number;
  maxRssBytes: number;
}

function timed(command: string, args: string[]): Load | string {
  const t0 = performance.now();
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) return `${args[0]} exited ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').pop()}`;
  return { wallMs, ...(JSON.parse(r.stdout) as Omit<Load, 'wallMs'>) };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const child = join(ctx.root, 'dist', 'bench-csv-load.js');
  if (!existsSync(child))
    return [{ name: 'csv load', ms: null, note: 'dist/bench-csv-load.js missing: run `npm run build` first' }];
  const python = numpyVersion() !== null;
  const rounds = Number(
    ctx.argv.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? (ctx.quick ? 1 : 5),
  );
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-csvload-bench-'));
  try {
    ctx.log('csvload: writing the 784-wide set');
    const { train } = await writeBlobs(dir);
    const script = join(ctx.root, 'bench', 'peers.py');
    const runs: Record<'nnlab' | 'numpy', Load[]> = { nnlab: [], numpy: [] };
    const failures: string[] = [];
    const started = performance.now();
    const ticks = machineTicks();
    for (let round = 0; round < rounds; round++) {
      const order: Array<'nnlab' | 'numpy'> = round % 2 ? ['numpy', 'nnlab'] : ['nnlab', 'numpy'];
      for (const who of order) {
        if (who === 'numpy' && !python) continue;
        const r = who === 'nnlab' ? timed(process.execPath, [child, train]) : timed(PYTHON, [script, 'loadtxt', train]);
        if (typeof r === 'string') failures.push(`${who}: ${r}`);
        else {
          runs[who].push(r);
          ctx.log(
            `csvload: round ${round + 1}/${rounds} ${who}: wall ${(r.wallMs / 1000).toFixed(2)} s, load ${r.seconds.toFixed(2)} s, peak ${(r.maxRssBytes / 2 ** 20).toFixed(0)} MiB`,
          );
        }
      }
    }
    const busy = busyCores(ticks, machineTicks(), performance.now() - started);
    const summary = (loads: Load[]): string => {
      if (!loads.length) return 'no run';
      const { rows, columns } = loads[0]!;
      const dataBytes = rows * columns * 8;
      const seconds = median(loads.map((l) => l.seconds));
      const rss = median(loads.map((l) => l.maxRssBytes));
      return (
        `load ${seconds.toFixed(2)} s = ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s, ` +
        `peak RSS ${(rss / 2 ** 20).toFixed(0)} MiB = ${(rss / dataBytes).toFixed(2)}× the ${(dataBytes / 2 ** 20).toFixed(0)} MiB of float64 data`
      );
    };
    const load = `${busy === undefined ? '' : `machine busy ${busy.toFixed(2)} cores on average (ours included), `}${loadLine()} at the end`;
    return [
      {
        name: 'load 20,000 × 785 CSV',
        ms: runs.nnlab.length ? median(runs.nnlab.map((r) => r.wallMs)) : null,
        baseline: { name: 'numpy.loadtxt', ms: runs.numpy.length ? median(runs.numpy.map((r) => r.wallMs)) : null },
        note:
          `NN Lab: ${summary(runs.nnlab)}; numpy: ${python ? summary(runs.numpy) : `skipped, ${PYTHON} has no numpy`}; ` +
          `${rounds} round(s); ${load}${failures.length ? `; failures: ${failures.join('; ')}` : ''}`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
