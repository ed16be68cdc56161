/**
 * Runs bench/course_numpy.py (the course's loops in numpy) with Debian's /usr/bin/python3 on the same data the
 * trainer uses, and returns its per-experiment seconds. Skipped, with the reason, when that interpreter or its numpy
 * is missing. numpy's speed depends on OpenBLAS's settings, so they are reported with the results.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toRows } from '../src/core/matrix';
import type { Dataset } from '../src/core/types';

export const PYTHON = '/usr/bin/python3';

export interface NumpyRun {
  name: string;
  seconds: number;
  cpuSeconds: number;
  costs: Array<number | null>;
  trainAccuracy: number;
  testAccuracy?: number;
}

export type NumpyResult = { numpy: string; experiments: NumpyRun[] } | { skipped: string };

export function openblasSetting(): string {
  const vars = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE', 'OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS'];
  return vars.map((v) => `${v}=${process.env[v] ?? '(unset)'}`).join(' ');
}

export function numpyVersion(): string | null {
  if (!existsSync(PYTHON)) return null;
  const r = spawnSync(PYTHON, ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const asJson = (d: Dataset) => ({ X: toRows(d.X), Y: toRows(d.Y) });

/** `only` limits the run to some of the six experiment names (circles-zeros … moons-adam). */
export function runNumpyCourse(
  root: string,
  data: { circlesTrain: Dataset; circlesTest: Dataset; moons: Dataset },
  only?: string[],
): NumpyResult {
  if (numpyVersion() === null) return { skipped: `${PYTHON} with numpy not found` };
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-bench-'));
  try {
    const file = join(dir, 'data.json');
    writeFileSync(
      file,
      JSON.stringify({
        circles: { train: asJson(data.circlesTrain), test: asJson(data.circlesTest) },
        moons: { train: asJson(data.moons) },
      }),
    );
    const args = [join(root, 'bench', 'course_numpy.py'), file, ...(only ? [only.join(',')] : [])];
    const r = spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) return { skipped: `course_numpy.py failed: ${r.stderr.trim().split('\n').pop()}` };
    return JSON.parse(r.stdout) as NumpyResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
