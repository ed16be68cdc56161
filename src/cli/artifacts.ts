/**
 * `nnlab run --out DIR`: the results as files. DIR/index.json lists the runs; DIR/<experiment>/result.json holds
 * the same object `--json` prints for that experiment. Further per-run files (the charts' cost.svg and
 * boundary.svg) come from the writers in RUN_ARTIFACT_WRITERS, so adding one is a single line here.
 *
 * Durability: every file is written atomically (runner/atomicFile.ts). The old index.json is removed before the
 * first run file changes and the new one is written last, so an index.json, when there is one, always describes
 * the result.json files beside it; a killed run leaves no index and only temp files, which the next run removes.
 * A comparison of runs of one network on one data set also gets DIR/paths.svg, their optimizer paths
 * (docs/network-view.md), named in index.json as "paths".
 * Concurrency: two processes writing into one DIR take turns (runner/dirLock.ts); the second waits while the first
 * writes, then writes its own runs and index.json.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { chartRunFromResult } from '../charts/runs';
import { LIGHT_THEME } from '../charts/theme';
import { loadTrainTest } from '../node/datasets';
import { comparablePaths, optimizerPaths } from '../core/inspect/landscape';
import type { BoundaryGrid } from '../protocol/charts';
import type { ExperimentConfig, RunResult } from '../core/types';
import { cleanTempFiles, writeFileAtomic } from '../runner/atomicFile';
import { lockDir } from '../runner/dirLock';
import { uniqueSegments } from '../runner/safeNames';

/** Everything a writer may need about one finished run. */
export interface FinishedRun {
  /** Absent for an experiment that did not validate. */
  config?: ExperimentConfig;
  result: RunResult;
  /** The decision boundary over the data, for two-feature runs that finished. */
  boundary?: BoundaryGrid;
  /** The experiment file's folder (CSV paths resolve against it). */
  baseDir: string;
}

/** Writes extra files for one run into its own folder; returns the file names it wrote. */
export type RunArtifactWriter = (runDir: string, run: FinishedRun) => Promise<string[]>;

const writeResultJson: RunArtifactWriter = async (runDir, run) => {
  await writeFileAtomic(join(runDir, 'result.json'), `${JSON.stringify(run.result, null, 2)}\n`);
  return ['result.json'];
};

/** dist/cli-charts.js, built next to dist/cli.js (charts.ts says why it is a bundle of its own). */
function loadChartRenderer(): typeof import('./charts') {
  const bundled = join(__dirname, 'cli-charts.js');
  if (!existsSync(bundled)) throw new Error(`${bundled} is missing: run \`npm run build\` to draw the --out charts`);
  // A computed path, so esbuild leaves this require to Node instead of bundling vega into dist/cli.js.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the computed path above
  return require(bundled) as typeof import('./charts');
}

/** cost.svg and (two-feature data) boundary.svg, rendered headless from the panel's own chart specs. */
const writeChartSvgs: RunArtifactWriter = async (runDir, run) => {
  const extras = { ...(run.config ? { config: run.config } : {}), ...(run.boundary ? { boundary: run.boundary } : {}) };
  const { runChartFiles } = loadChartRenderer();
  const files = await runChartFiles(chartRunFromResult(run.result.name, run.result, extras));
  for (const file of files) await writeFileAtomic(join(runDir, file.name), file.svg);
  return files.map((f) => f.name);
};

/** The per-run writers, in order. */
export const RUN_ARTIFACT_WRITERS: RunArtifactWriter[] = [writeResultJson, writeChartSvgs];

export interface IndexEntry {
  name: string;
  status: RunResult['status'];
  /** The run's folder, relative to DIR. */
  dir: string;
  files: string[];
  finalCost: number | null;
  trainAccuracy: number | null;
  testAccuracy: number | null;
  durationMs: number;
  error?: string;
  sweep?: Record<string, unknown>;
}

export interface OutDirOptions {
  /** Told when another process is writing into DIR and this one waits for it (its pid). */
  onWait?: (pid: number) => void;
}

export async function writeOutDir(
  dir: string,
  file: string,
  runs: readonly FinishedRun[],
  options: OutDirOptions = {},
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const lock = await lockDir(dir, options.onWait ? { onWait: options.onWait } : {});
  try {
    await cleanTempFiles(dir);
    await rm(join(dir, 'index.json'), { force: true });
    const segments = uniqueSegments(runs.map((run) => run.result.name));
    const entries: IndexEntry[] = [];
    for (const [i, run] of runs.entries()) entries.push(await writeRunDir(dir, segments[i]!, run));
    const paths = await writePathsSvg(dir, runs);
    await writeFileAtomic(
      join(dir, 'index.json'),
      `${JSON.stringify({ file, experiments: entries, ...(paths ? { paths } : {}) }, null, 2)}\n`,
      { durableName: true },
    );
  } finally {
    await lock.release();
  }
}

/**
 * paths.svg when two or more runs that finished share a network and data (625 forward passes, here on the CLI's
 * thread: nothing else waits on it). Returns its name, or undefined when the runs are not comparable.
 */
async function writePathsSvg(dir: string, runs: readonly FinishedRun[]): Promise<string | undefined> {
  const comparable = runs.flatMap((run) => {
    const snapshots = run.result.status === 'ok' ? run.result.inspection?.snapshots : undefined;
    return run.config && snapshots
      ? [{ run, config: run.config, model: run.config.model, data: run.config.data, snapshots }]
      : [];
  });
  if (!comparablePaths(comparable)) return undefined;
  const first = comparable[0]!;
  let train;
  try {
    train = loadTrainTest(first.config.data, first.run.baseDir).train;
  } catch {
    // The runs loaded it under the command's own limits (--max-data-mb); the picture is not worth failing --out.
    return undefined;
  }
  const paths = optimizerPaths(
    comparable.map((c) => ({ name: c.run.result.name, snapshots: c.snapshots })),
    first.model,
    train,
  );
  const { renderSvg, pathsSpec } = loadChartRenderer();
  await writeFileAtomic(
    join(dir, 'paths.svg'),
    await renderSvg(pathsSpec({ paths, theme: LIGHT_THEME, runNames: comparable.map((c) => c.run.result.name) })),
  );
  return 'paths.svg';
}

async function writeRunDir(dir: string, segment: string, run: FinishedRun): Promise<IndexEntry> {
  const runDir = join(dir, segment);
  await mkdir(runDir, { recursive: true });
  await cleanTempFiles(runDir);
  const files: string[] = [];
  for (const writer of RUN_ARTIFACT_WRITERS) files.push(...(await writer(runDir, run)));
  const r = run.result;
  const entry: IndexEntry = {
    name: r.name,
    status: r.status,
    dir: segment,
    files,
    finalCost: r.costs.length ? r.costs[r.costs.length - 1]! : null,
    trainAccuracy: r.trainAccuracy,
    testAccuracy: r.testAccuracy,
    durationMs: r.durationMs,
  };
  if (r.error !== undefined) entry.error = r.error;
  if (r.sweep !== undefined) entry.sweep = r.sweep;
  return entry;
}
