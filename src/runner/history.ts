/**
 * Run history on disk: one JSON file per finished run at
 * `<runsDir>/<file-stem>~<hash>/<experiment>/<ISO time>~<tag>.json`. A run belongs to its experiment file by the
 * file's workspace-relative path (two `opt.nnlab.json` in two folders have two histories; the hash in the folder
 * name is of that path). Writes are atomic (atomicFile.ts), so a reader never sees half a run. Reading is
 * defensive: a corrupt, partial or hand-edited file is skipped with a warning, never thrown, and never shown with
 * a field missing. Node only, no vscode.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import type { ExperimentConfig, RunResult } from '../core/types';
import { cleanTempFiles, isTempFile, writeFileAtomic } from './atomicFile';
import { withSchemaDefaults } from '../core/experiment/defaults';
import { checkRecordFields, RUN_RECORD_FORMAT } from './historyRecord';
import { cutToBytes, safeSegment, SEGMENT_MAX_BYTES, shortHash, uniqueTimeSegment } from './safeNames';

export { safeSegment } from './safeNames';

export { RUN_RECORD_FORMAT } from './historyRecord';

export interface RunRecord {
  format: typeof RUN_RECORD_FORMAT;
  nnlabVersion: string;
  /** The experiment file's path as given when the run started (absolute in the editor). */
  file: string;
  /** The history key: the file's path relative to its workspace folder, `/`-separated (see historyKey). */
  workspaceFile: string;
  experiment: string;
  /** ISO 8601 time the run finished. */
  finishedAt: string;
  config: ExperimentConfig;
  result: RunResult;
}

/** A run file found on disk, with the record it holds. */
export interface StoredRun {
  path: string;
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
 * The key runs of `filePath` are stored under: its path relative to `root` (the workspace folder) with `/`
 * separators, so it is the same on every OS and survives moving the workspace; a file outside `root` keeps its
 * absolute path.
 */
export function historyKey(root: string, filePath: string): string {
  const rel = relative(root, filePath);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return filePath.split(sep).join('/');
  return rel.split(sep).join('/');
}

/** `a/opt.nnlab.json` → `opt~1a2b3c4d`: readable, and distinct from `b/opt.nnlab.json`'s folder. */
export function fileSegment(key: string): string {
  const hash = shortHash(key);
  return `${cutToBytes(safeSegment(fileStem(key)), SEGMENT_MAX_BYTES - hash.length - 1)}~${hash}`;
}

export function runFilePath(runsDir: string, key: string, experiment: string, finished: Date): string {
  return join(runsDir, fileSegment(key), safeSegment(experiment), `${uniqueTimeSegment(finished)}.json`);
}

/** Writes the record atomically and returns its path (unique even for two runs finishing in one millisecond). */
export async function writeRun(runsDir: string, record: RunRecord): Promise<string> {
  const target = runFilePath(runsDir, record.workspaceFile, record.experiment, new Date(record.finishedAt));
  await writeFileAtomic(target, JSON.stringify(record), { durableName: true });
  return target;
}

/**
 * v1's records (format 1) had no `workspaceFile` and lived in `<runsDir>/<file-stem>/…`. They are read where they
 * are, never rewritten: `legacyKey` says which history key a v1 record's `file` belongs to (undefined: not this
 * listing's), and the record is shown as a format-2 record with that key.
 */
export type LegacyKey = (file: string) => string | undefined;

const LEGACY_FORMAT = 1;

function upgradeLegacy(
  value: Record<string, unknown>,
  legacyKey: LegacyKey | undefined,
): Record<string, unknown> | string {
  if (value.format !== LEGACY_FORMAT) return value;
  if (typeof value.file !== 'string' || value.file === '') return 'a v1 run file without "file"';
  const key = legacyKey?.(value.file);
  if (key === undefined)
    return `a v1 run file (format 1) of ${value.file}, read only where its workspace folder is known`;
  return { ...value, format: RUN_RECORD_FORMAT, workspaceFile: key };
}

/** Turns parsed JSON into a RunRecord, or says what is wrong with it. */
export function checkRunRecord(value: unknown, legacyKey?: LegacyKey): RunRecord | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const upgraded = upgradeLegacy(value as Record<string, unknown>, legacyKey);
  if (typeof upgraded === 'string') return upgraded;
  const problem = checkRecordFields(upgraded);
  if (problem) return problem;
  const record = upgraded as unknown as RunRecord;
  return { ...record, config: withSchemaDefaults(record.config) };
}

export async function readRun(path: string, legacyKey?: LegacyKey): Promise<RunRecord | string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return (err as Error).message;
  }
  try {
    return checkRunRecord(JSON.parse(text), legacyKey);
  } catch (err) {
    return `invalid JSON (${(err as Error).message})`;
  }
}

/** v1 keys: a v1 record's `file` (absolute in the editor) made relative to the workspace folder `root`. */
export function legacyKeyUnder(root: string): LegacyKey {
  return (file) => (isAbsolute(file) ? historyKey(root, file) : file.split(sep).join('/'));
}

async function dirs(path: string): Promise<string[]> {
  try {
    return (await readdir(path, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
}

/** The runs in one experiment's folder, newest first; a killed writer's temp files are skipped and removed. */
async function readExperimentDir(dir: string, listing: RunListing, legacyKey: LegacyKey | undefined): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  if (names.some(isTempFile)) await cleanTempFiles(dir);
  for (const name of names
    .filter((n) => n.endsWith('.json') && !isTempFile(n))
    .sort()
    .reverse()) {
    const path = join(dir, name);
    const record = await readRun(path, legacyKey);
    if (typeof record === 'string') listing.warnings.push(`${path}: ${record}`);
    else listing.runs.push({ path, experiment: record.experiment, record });
  }
}

/**
 * Every readable run under runsDir (optionally of one history key), newest first within an experiment. `root` is
 * the workspace folder the keys are relative to, for v1's records (see LegacyKey); without it they are skipped
 * with a warning.
 */
export async function listRuns(runsDir: string, key?: string, root?: string): Promise<RunListing> {
  const listing: RunListing = { runs: [], warnings: [] };
  // A key's runs: its own folder, and the folder v1 kept the same file stem's runs in.
  const folders = key === undefined ? await dirs(runsDir) : [fileSegment(key), safeSegment(fileStem(key))];
  const legacyKey = root === undefined ? undefined : legacyKeyUnder(root);
  for (const folder of folders.sort()) {
    for (const experimentDir of (await dirs(join(runsDir, folder))).sort()) {
      await readExperimentDir(join(runsDir, folder, experimentDir), listing, legacyKey);
    }
  }
  if (key !== undefined) listing.runs = listing.runs.filter((r) => r.record.workspaceFile === key);
  return listing;
}

/** The newest readable run of each experiment of the experiment file with this history key. */
export async function latestRuns(
  runsDir: string,
  key: string,
  root?: string,
): Promise<{ latest: Map<string, StoredRun>; warnings: string[] }> {
  const { runs, warnings } = await listRuns(runsDir, key, root);
  const latest = new Map<string, StoredRun>();
  for (const run of runs) {
    const seen = latest.get(run.experiment);
    if (!seen || run.record.finishedAt > seen.record.finishedAt) latest.set(run.experiment, run);
  }
  return { latest, warnings };
}
