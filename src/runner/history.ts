/**
 * Run history on disk: one JSON file per finished run at `<runsDir>/<file-stem>/<experiment>/<time>.json`.
 * Writes are atomic (a temp file in the same folder, then rename), so a reader never sees half a run. Reading is
 * defensive: a corrupt or hand-edited file is skipped with a warning, never thrown. Node only, no vscode.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { RUN_STATUSES, type ExperimentConfig, type RunResult } from '../core/types';

/** Bumped when the record's shape changes incompatibly. */
export const RUN_RECORD_FORMAT = 1;

export interface RunRecord {
  format: typeof RUN_RECORD_FORMAT;
  nnlabVersion: string;
  /** The experiment file's path as given when the run started (absolute in the editor). */
  file: string;
  experiment: string;
  /** ISO 8601 time the run finished. */
  finishedAt: string;
  config: ExperimentConfig;
  result: RunResult;
}

/** A run file found on disk, with the record it holds. */
export interface StoredRun {
  path: string;
  stem: string;
  experiment: string;
  record: RunRecord;
}

export interface RunListing {
  runs: StoredRun[];
  /** One line per skipped file: its path and why. */
  warnings: string[];
}

/** `optimization.nnlab.json` → `optimization`; other names lose their last extension. */
export function fileStem(filePath: string): string {
  const name = basename(filePath);
  if (name.endsWith('.nnlab.json')) return name.slice(0, -'.nnlab.json'.length);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/**
 * A name safe as one path segment on every OS. Sweep trials are named like `adam[learningRate=0.001]`, which is
 * kept readable; path separators, `:` and control characters become `_`.
 */
export function safeSegment(name: string): string {
  const cleaned = name.replace(/[\\/:*?"<>|\x00-\x1f]/g, '_').replace(/^\.+/, '_');
  return cleaned.length ? cleaned.slice(0, 120) : '_';
}

/** The ISO time with `:` replaced (Windows forbids it in names); sorts the same way as the ISO string. */
export function timeSegment(date: Date): string {
  return date.toISOString().replace(/:/g, '-');
}

export function runFilePath(runsDir: string, filePath: string, experiment: string, finished: Date): string {
  return join(runsDir, safeSegment(fileStem(filePath)), safeSegment(experiment), `${timeSegment(finished)}.json`);
}

let tempCounter = 0;

/** Writes the record atomically and returns its path. */
export async function writeRun(runsDir: string, record: RunRecord): Promise<string> {
  const target = runFilePath(runsDir, record.file, record.experiment, new Date(record.finishedAt));
  await mkdir(join(target, '..'), { recursive: true });
  const temp = `${target}.${process.pid}.${++tempCounter}.tmp`;
  try {
    await writeFile(temp, JSON.stringify(record));
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return target;
}

/** Turns parsed JSON into a RunRecord, or says what is wrong with it. */
export function checkRunRecord(value: unknown): RunRecord | string {
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const r = value as Record<string, unknown>;
  if (r.format !== RUN_RECORD_FORMAT) return `unknown format ${JSON.stringify(r.format)}`;
  for (const key of ['nnlabVersion', 'file', 'experiment', 'finishedAt'] as const) {
    if (typeof r[key] !== 'string') return `"${key}" is not a string`;
  }
  if (Number.isNaN(Date.parse(r.finishedAt as string))) return '"finishedAt" is not a date';
  if (typeof r.config !== 'object' || r.config === null) return '"config" is missing';
  const result = r.result as Record<string, unknown> | null | undefined;
  if (typeof result !== 'object' || result === null) return '"result" is missing';
  if (!(RUN_STATUSES as readonly unknown[]).includes(result.status)) {
    return `"result.status" is ${JSON.stringify(result.status)}`;
  }
  if (!Array.isArray(result.costs) || !result.costs.every((c) => typeof c === 'number' || c === null)) {
    return '"result.costs" is not a list of numbers';
  }
  if (typeof result.durationMs !== 'number') return '"result.durationMs" is not a number';
  return value as RunRecord;
}

export async function readRun(path: string): Promise<RunRecord | string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return (err as Error).message;
  }
  try {
    return checkRunRecord(JSON.parse(text));
  } catch (err) {
    return `invalid JSON (${(err as Error).message})`;
  }
}

async function dirs(path: string): Promise<string[]> {
  try {
    return (await readdir(path, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
}

/** Every readable run under runsDir (optionally of one file stem), newest first within an experiment. */
export async function listRuns(runsDir: string, stem?: string): Promise<RunListing> {
  const listing: RunListing = { runs: [], warnings: [] };
  const stems = stem === undefined ? await dirs(runsDir) : [safeSegment(stem)];
  for (const s of stems.sort()) {
    for (const experimentDir of (await dirs(join(runsDir, s))).sort()) {
      const dir = join(runsDir, s, experimentDir);
      let names: string[];
      try {
        names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort().reverse();
      } catch {
        continue;
      }
      for (const name of names) {
        const path = join(dir, name);
        const record = await readRun(path);
        if (typeof record === 'string') listing.warnings.push(`${path}: ${record}`);
        else listing.runs.push({ path, stem: s, experiment: record.experiment, record });
      }
    }
  }
  return listing;
}

/** The newest readable run of each experiment of one experiment file. */
export async function latestRuns(runsDir: string, filePath: string): Promise<{ latest: Map<string, StoredRun>; warnings: string[] }> {
  const { runs, warnings } = await listRuns(runsDir, fileStem(filePath));
  const latest = new Map<string, StoredRun>();
  for (const run of runs) {
    const seen = latest.get(run.experiment);
    if (!seen || run.record.finishedAt > seen.record.finishedAt) latest.set(run.experiment, run);
  }
  return { latest, warnings };
}
