/**
 * The editor's runner, measured without an editor: the worker pool as the extension host drives it.
 * - the largest event-loop delay on the main thread while 4 runs train at once (target < 10 ms);
 * - cancel latency: from cancel() to the worker thread's exit (target < 200 ms);
 * - 50 runs queued at once on 2 workers: wall time, and no thread alive afterwards.
 * The in-host suite (test/e2e/host/extension-runtime.test.ts) measures the first two inside VS Code as well.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { resolveExperimentText } from '../src/core/experiment';
import { datasetShape, moduleExists } from '../src/node/experiment';
import type { ExperimentConfig } from '../src/core/types';
import { WorkerPool } from '../src/runner/pool';
import type { BenchContext, BenchRow } from './api';

export const title = 'Editor runner (worker pool, event loop, cancel)';

function optimizationConfigs(root: string): Map<string, ExperimentConfig> {
  const dir = join(root, 'examples');
  const text = readFileSync(join(dir, 'optimization.nnlab.json'), 'utf8');
  const resolved = resolveExperimentText(text, { baseDir: dir, dataShape: datasetShape, moduleExists, advice: false });
  return new Map(resolved.experiments.map((c) => [c.name, c]));
}

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const workerPath = join(ctx.root, 'dist', 'worker.js');
  const configs = optimizationConfigs(ctx.root);
  const baseDir = join(ctx.root, 'examples');
  const epochs = ctx.quick ? 2000 : 10_000;
  const job = (name: string, over: Partial<ExperimentConfig['train']> = {}) => {
    const c = configs.get(name)!;
    return {
      kind: 'train' as const,
      config: { ...c, train: { ...c.train, epochs, ...over } },
      baseDir,
      allowModules: false,
    };
  };
  const rows: BenchRow[] = [];

  // 1. Four runs at once: the host only receives ≤ 20 progress messages a second per run.
  {
    const pool = new WorkerPool({ size: 4, idleMs: 0, createWorker: () => new Worker(workerPath) });
    const h = monitorEventLoopDelay({ resolution: 1 });
    let messages = 0;
    const t0 = performance.now();
    h.enable();
    await Promise.all(
      ['gd', 'momentum', 'adam', 'adam'].map((n) => pool.submit(job(n), { onProgress: () => messages++ }).done),
    );
    h.disable();
    const wall = performance.now() - t0;
    await pool.dispose();
    ctx.log(`4 runs: wall ${wall.toFixed(0)} ms, ${messages} progress messages`);
    rows.push({
      name: 'max event-loop delay, 4 runs training',
      ms: h.max / 1e6,
      note: `p99 ${(h.percentile(99) / 1e6).toFixed(2)} ms, mean ${(h.mean / 1e6).toFixed(2)} ms; 4 × ${epochs} epochs in ${wall.toFixed(0)} ms; ${messages} progress messages`,
    });
  }

  // 2. Cancel latency: a run that would take minutes, cancelled once it trains.
  {
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      let exited!: () => void;
      const exit = new Promise<void>((r) => (exited = r));
      const pool = new WorkerPool({
        size: 1,
        createWorker: () => {
          const w = new Worker(workerPath);
          w.on('exit', () => exited());
          return w;
        },
      });
      let trained!: () => void;
      const training = new Promise<void>((r) => (trained = r));
      const handle = pool.submit(job('adam', { epochs: 10_000_000 }), { onProgress: () => trained() });
      await training;
      const t0 = performance.now();
      handle.cancel();
      await exit;
      latencies.push(performance.now() - t0);
      await pool.dispose();
    }
    latencies.sort((a, b) => a - b);
    rows.push({
      name: 'cancel → worker thread exited (median of 5)',
      ms: latencies[2]!,
      note: `max ${latencies[4]!.toFixed(1)} ms`,
    });
  }

  // 3. Fifty runs queued at once.
  {
    let spawned = 0;
    let alive = 0;
    const pool = new WorkerPool({
      size: 2,
      idleMs: 0,
      createWorker: () => {
        spawned++;
        alive++;
        const w = new Worker(workerPath);
        w.on('exit', () => alive--);
        return w;
      },
    });
    const t0 = performance.now();
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () => pool.submit(job('adam', { epochs: 200 })).done),
    );
    const wall = performance.now() - t0;
    while (alive > 0) await new Promise((r) => setTimeout(r, 5));
    const ok = outcomes.filter((o) => o.kind === 'train' && o.result.status === 'ok').length;
    rows.push({
      name: '50 queued runs on 2 workers (200 epochs each)',
      ms: wall,
      note: `${ok}/50 ok; ${spawned} threads spawned, ${alive} alive afterwards`,
    });
  }
  return rows;
}
