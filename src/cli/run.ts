/**
 * `nnlab run FILE [-e NAME]… [--json] [--out DIR] [--jobs N]`: validate an experiment file, run the chosen
 * experiments and report them as a table (default), one JSON document on stdout (--json) and/or files (--out).
 *
 * Exit codes: 0 every run finished ok (or, for sweep trials, was pruned); 1 some experiment was invalid, failed or
 * diverged; 2 nothing could run (unreadable or invalid file, unknown -e name, bad command line).
 */
import { dirname } from 'node:path';
import type { ExperimentEntry } from '../core/experiment';
import { Pruner } from '../core/sweep/prune';
import { formatPath } from '../core/experiment/diagnostics';
import { suggest, didYouMean } from '../core/experiment/suggest';
import type { RunResult } from '../core/types';
import { keepCsvData } from '../node/datasets';
import { datasetShape, loadExperimentFile } from '../node/experiment';
import { jobsOf, LIMIT_OPTIONS, LIMIT_USAGE, limitsOf, oneFile, parseArgs, positiveNumber, type Limits } from './args';
import { writeOutDir, type FinishedRun } from './artifacts';
import { defaultJobs, executeRuns, startPool, type RunTask } from './execute';
import { partialResult } from '../runner/results';
import { formatDiagnostic } from './format';
import type { CliIO, Command } from './io';
import { ProgressBar } from './progress';
import { formatTable } from './table';
import { MAX_THREADS } from '../protocol/worker';

export const EXIT_OK = 0;
export const EXIT_RUN_FAILED = 1;
export const EXIT_INVALID = 2;

const USAGE = `Usage: nnlab run FILE [-e NAME]... [--json] [--out DIR] [--jobs N] [--threads N] [--worker-memory MB]
                 [--max-data-mb MB]

Validate the experiment file FILE (*.nnlab.json) and train its experiments.

Options:
  -e, --experiment NAME  run only this experiment or sweep trial (repeatable; default: all)
      --json             print one JSON document with every result to stdout
      --out DIR          write DIR/index.json and DIR/<experiment>/ (result.json, cost.svg, boundary.svg)
  -j, --jobs N           experiments to train in parallel on worker threads (default: the CPU count; never
                         more than there are runs)
  -t, --threads N        threads per run for large networks' matrix products, same results for any N
                         (default: the CPU count shared by the runs training at once)
${LIMIT_USAGE}
  -h, --help             show this help

Exit codes: 0 all runs ok, 1 some experiment invalid, failed or diverged, 2 the file is invalid.`;

interface RunOptions {
  file: string;
  only: string[];
  json: boolean;
  out?: string;
  jobs: number;
  threads?: number;
  limits: Limits;
}

function parseRunOptions(argv: string[]): RunOptions | 'help' {
  const args = parseArgs(argv, [
    { name: 'experiment', short: 'e', value: true, repeat: true },
    { name: 'json' },
    { name: 'out', value: true },
    { name: 'jobs', short: 'j', value: true },
    { name: 'threads', short: 't', value: true },
    ...LIMIT_OPTIONS,
    { name: 'help', short: 'h' },
  ]);
  if (args.flags.has('help')) return 'help';
  const file = oneFile(args);
  const jobs = jobsOf(args.values.get('jobs')?.[0], defaultJobs());
  const options: RunOptions = {
    file,
    only: args.values.get('experiment') ?? [],
    json: args.flags.has('json'),
    jobs,
    limits: limitsOf(args),
  };
  const threads = positiveNumber(args.values.get('threads')?.[0], '--threads', true);
  if (threads !== undefined) options.threads = Math.min(threads, MAX_THREADS);
  const out = args.values.get('out')?.[0];
  if (out !== undefined) options.out = out;
  return options;
}

/** What -e picked: whole experiments (all trials of a sweep) or single trials by their `NAME[…]` names. */
interface Selection {
  entry: ExperimentEntry;
  /** For a sweep picked by trial names: those trials' names; absent means all. */
  trials?: string[];
}

/** The entries named by -e, in file order, or a message naming the unknown ones. */
function select(entries: ExperimentEntry[], only: string[]): Selection[] | string {
  if (only.length === 0) return entries.map((entry) => ({ entry }));
  const names = entries.map((e) => e.name);
  const trialOwner = new Map<string, string>();
  for (const e of entries) for (const t of e.sweep?.trials ?? []) trialOwner.set(t.name, e.name);
  const unknown = only.filter((n) => !names.includes(n) && !trialOwner.has(n));
  if (unknown.length) {
    const name = unknown[0]!;
    return `unknown experiment ${JSON.stringify(name)}${didYouMean(suggest(name, names))} (experiments: ${names.join(', ') || 'none'})`;
  }
  const picked: Selection[] = [];
  for (const entry of entries) {
    if (only.includes(entry.name)) picked.push({ entry });
    else {
      const trials = (entry.sweep?.trials ?? []).filter((t) => only.includes(t.name)).map((t) => t.name);
      if (trials.length) picked.push({ entry, trials });
    }
  }
  return picked;
}

/** One row of the report, in file order: a run (by task index) or an experiment that did not validate. */
type Row = { task: number } | { invalid: ExperimentEntry };

/** The runs of the selection, in order; a pruned sweep's chosen trials share one Pruner. */
function plan(selected: Selection[], baseDir: string): { tasks: RunTask[]; rows: Row[] } {
  const tasks: RunTask[] = [];
  const rows: Row[] = [];
  const add = (task: RunTask) => rows.push({ task: tasks.push(task) - 1 });
  for (const { entry, trials } of selected) {
    if (entry.config) add({ config: entry.config, baseDir });
    else if (!entry.sweep) rows.push({ invalid: entry });
    if (!entry.sweep) continue;
    const chosen = entry.sweep.trials.filter((t) => !trials || trials.includes(t.name));
    const settings = entry.sweep.definition.prune;
    const pruner = settings && new Pruner(settings, chosen.length);
    chosen.forEach((t, i) =>
      add({ config: t.config, baseDir, sweep: t.values, ...(pruner ? { prune: { pruner, trial: i } } : {}) }),
    );
  }
  return { tasks, rows };
}

/** An experiment's problem as --json and result.json carry it: what stderr prints, field by field. */
export interface ResultDiagnostic {
  line: number;
  column: number;
  severity: 'error' | 'warning';
  message: string;
  /** The JSON path as stderr prints it after "at". */
  path: string;
}

/**
 * Why an experiment that did not validate cannot run: `error` is its first error with its position, and
 * `diagnostics` every problem of that experiment, in file order (the same text and positions as stderr).
 */
function invalidResult(entry: ExperimentEntry): RunResult & { diagnostics: ResultDiagnostic[] } {
  const sorted = [...entry.diagnostics].sort((a, b) => a.offset - b.offset);
  const first = sorted.find((d) => d.severity === 'error');
  const message = first
    ? `${first.line}:${first.column}: ${first.message} [at ${formatPath(first.path)}]`
    : 'the experiment is invalid';
  const diagnostics = sorted.map((d) => ({
    line: d.line,
    column: d.column,
    severity: d.severity,
    message: d.message,
    path: formatPath(d.path),
  }));
  return { ...partialResult({ name: entry.name, costs: [], durationMs: 0 }, 'error', message), diagnostics };
}

async function run(argv: string[], io: CliIO): Promise<number> {
  const options = parseRunOptions(argv);
  if (options === 'help') {
    io.stdout(`${USAGE}\n`);
    return EXIT_OK;
  }
  // Positions are printed against the path as the user typed it, like compilers do, so terminals link them.
  // Worker threads boot while the file is read, validated and expanded (tens to hundreds of ms each).
  const pool = startPool(options.jobs, options.limits.workerMemoryMb);
  try {
    return await runLoaded(options, io, pool);
  } finally {
    // Every path that does not reach executeRuns (an invalid file, an unknown -e) still ends the threads.
    await pool?.dispose();
  }
}

async function runLoaded(options: RunOptions, io: CliIO, pool: ReturnType<typeof startPool>): Promise<number> {
  const shown = options.file;
  const access = options.limits.dataAccess;
  // Validation reads each CSV file in full; keep what it read for the runs that train in this thread.
  keepCsvData();
  const loaded = loadExperimentFile(options.file, {
    dataShape: (data, baseDir) => datasetShape(data, baseDir, access),
    workerMemoryMb: options.limits.workerMemoryMb,
  });
  for (const d of loaded.diagnostics) io.stderr(`${formatDiagnostic(shown, d)}\n`);
  if (loaded.fileErrors) return EXIT_INVALID;
  const selected = select(loaded.entries, options.only);
  if (typeof selected === 'string') {
    io.stderr(`nnlab run: ${selected}\n`);
    return EXIT_INVALID;
  }
  if (selected.length === 0) {
    io.stderr(`nnlab run: ${shown} has no experiments\n`);
    return EXIT_INVALID;
  }
  const baseDir = dirname(loaded.file);
  const { tasks, rows } = plan(selected, baseDir);
  if (tasks.length === 0) return EXIT_INVALID;
  const bar = new ProgressBar(
    io,
    tasks.map((t) => t.config.name),
    tasks.map((t) => t.config.train.epochs),
  );
  const outcomes = await executeRuns(
    tasks,
    options.jobs,
    {
      onStart: (i) => bar.start(i),
      onEpoch: (i, epoch, cost) => bar.epoch(i, epoch, cost),
      onStatus: (i, status) => bar.status(i, status),
      onDone: (i) => bar.finish(i),
    },
    {
      boundary: options.out !== undefined,
      progress: bar.enabled,
      dataAccess: access,
      workerMemoryMb: options.limits.workerMemoryMb,
      ...(pool ? { pool } : {}),
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
    },
  );
  bar.clear();
  const finished: FinishedRun[] = rows.map((row) =>
    'invalid' in row
      ? { result: invalidResult(row.invalid), baseDir }
      : { config: tasks[row.task]!.config, baseDir, ...outcomes[row.task]! },
  );
  const results = finished.map((f) => f.result);
  if (options.json) io.stdout(`${JSON.stringify({ experiments: results })}\n`);
  else io.stdout(formatTable(results));
  if (options.out) {
    const onWait = (pid: number) =>
      io.stderr(`nnlab run: waiting for another nnlab (pid ${pid}) writing ${options.out}\n`);
    await writeOutDir(options.out, shown, finished, { onWait });
  }
  // A pruned trial is a sweep working as asked, not a failure.
  return results.every((r) => r.status === 'ok' || r.status === 'pruned') ? EXIT_OK : EXIT_RUN_FAILED;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'validate an experiment file and train its experiments',
  usage: USAGE,
  run,
};
