/**
 * What seeing inside a run costs: the six course experiments trained with the inspection (snapshots, per-layer
 * signals, diagnoses: src/core/inspect) against without, in the same process, interleaved (off/on, then on/off in
 * the next round) so a machine that speeds up or slows down during the run moves both alike. Medians of the rounds;
 * CPU time beside wall time because the machine may be shared. The target: under 5% more training time.
 */
import { flatten, parameterLayout, trainExperiment } from '../src/core/nn';
import { InspectionRecorder } from '../src/core/inspect';
import type { BenchContext, BenchRow } from './api';
import { loadCases, type Case } from './course.bench';

export const title =
  'inspection overhead: course experiments with snapshots + signals + diagnoses vs without (medians, interleaved)';

function once(c: Case, inspect: boolean): { ms: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const recorder = inspect ? new InspectionRecorder(c.config.model, c.config.train.epochs, c.data.train) : undefined;
  const { result, parameters } = trainExperiment(c.config, c.data, recorder ? { probe: recorder } : {});
  if (recorder) recorder.finish(result.costs.length, flatten(parameterLayout(c.config.model.layers), parameters));
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export function run(ctx: BenchContext): BenchRow[] {
  const rounds = ctx.quick ? 3 : 7;
  const rows: BenchRow[] = [];
  const totals = { on: [] as number[], off: [] as number[], onCpu: [] as number[], offCpu: [] as number[] };
  const cases = loadCases(ctx.root);
  for (const c of cases) once(c, true); // warm-up: kernels generated and compiled, probe code optimized
  for (let r = 0; r < rounds; r++) {
    totals.on.push(0);
    totals.off.push(0);
    totals.onCpu.push(0);
    totals.offCpu.push(0);
  }
  for (const c of cases) {
    ctx.log(`inspect: ${c.name}`);
    const on: number[] = [];
    const off: number[] = [];
    const onCpu: number[] = [];
    const offCpu: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 ? [true, false] : [false, true];
      for (const inspect of order) {
        const t = once(c, inspect);
        (inspect ? on : off).push(t.ms);
        (inspect ? onCpu : offCpu).push(t.cpuMs);
        totals[inspect ? 'on' : 'off'][r]! += t.ms;
        totals[inspect ? 'onCpu' : 'offCpu'][r]! += t.cpuMs;
      }
    }
    const pct = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)}%`;
    rows.push({
      name: c.name,
      ms: median(on),
      baseline: { name: 'not inspected', ms: median(off) },
      cpu: { ms: median(onCpu), baselineMs: median(offCpu) },
      note: `overhead ${pct(median(on), median(off))} wall, ${pct(median(onCpu), median(offCpu))} cpu; ${rounds} rounds`,
    });
  }
  const ratio = totals.on.map((t, r) => t / totals.off[r]!);
  rows.push({
    name: 'all six',
    ms: median(totals.on),
    baseline: { name: 'not inspected', ms: median(totals.off) },
    cpu: { ms: median(totals.onCpu), baselineMs: median(totals.offCpu) },
    note: `median of per-round ratios ${median(ratio).toFixed(4)} (min ${Math.min(...ratio).toFixed(4)}, max ${Math.max(...ratio).toFixed(4)})`,
  });
  return rows;
}
