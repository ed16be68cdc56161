/**
 * Python model modules (issue 16): a full gradient check through the Python harness against the same check of a JS
 * module in its worker, interleaved round by round (medians), whole checks including process or worker start-up:
 * the course's [4,5,3,1] network (m = 3) and [2,20,20,1] on 300 moons (1,002 perturbed forward passes each).
 * Uses Debian's /usr/bin/python3 with numpy; skipped, with the reason, without it.
 */
import { join } from 'node:path';
import { loadExperimentFile } from '../src/node/experiment';
import type { ExperimentConfig } from '../src/core/types';
import { runGradcheck } from '../src/runner/gradcheck';
import type { BenchContext, BenchRow } from './api';
import { numpyVersion, PYTHON } from './numpy';

export const title = 'Python model modules: full gradient check through the harness vs the same check of a JS module';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const pairs = [
    { name: "full check [4,5,3,1], m=3 (the course's)", js: 'course-js', py: 'course-py' },
    { name: 'full check [2,20,20,1], m=300 moons', js: 'wide-js', py: 'wide-py' },
  ];
  const numpy = numpyVersion();
  if (!numpy) return pairs.map((p) => ({ name: p.name, ms: null, note: `skipped: no numpy for ${PYTHON}` }));
  const file = join(ctx.root, 'bench', 'modules', 'python-vs-js.nnlab.json');
  const loaded = loadExperimentFile(file);
  const config = (name: string): ExperimentConfig => loaded.experiments.find((e) => e.name === name)!;
  const baseDir = join(ctx.root, 'bench', 'modules');
  const rounds = ctx.quick ? 1 : 5;
  const times = new Map<string, number[]>();
  const notes = new Map<string, string>();
  for (let r = 0; r < rounds; r++) {
    for (const p of pairs) {
      // Alternate which goes first, so neither always meets the other's leftovers.
      for (const name of r % 2 === 0 ? [p.js, p.py] : [p.py, p.js]) {
        ctx.log(`python: ${name} round ${r + 1}/${rounds}`);
        const t0 = performance.now();
        const report = await runGradcheck(config(name), baseDir, { python: PYTHON });
        times.set(name, [...(times.get(name) ?? []), performance.now() - t0]);
        notes.set(
          name,
          `${report.tensors.reduce((n, t) => n + t.checked, 0)} entries, difference ${report.difference.toExponential(2)}`,
        );
      }
    }
  }
  return pairs.map((p) => ({
    name: `${p.name}: Python (numpy ${numpy})`,
    ms: median(times.get(p.py)!),
    baseline: { name: 'JS module', ms: median(times.get(p.js)!) },
    note: `median of ${rounds}, interleaved; Python ${notes.get(p.py)}; JS ${notes.get(p.js)}${ctx.quick ? ' (--quick: 1 round)' : ''}`,
  }));
}
