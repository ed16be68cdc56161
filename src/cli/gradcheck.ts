/**
 * `nnlab gradcheck FILE [-e NAME]… [--json] [--epsilon E] [--threshold T] [--sample K] [--timeout S]`:
 * gradient-check the chosen experiments (their model module, or NN Lab's own network) and print a table that names
 * the failing tensors first, or one JSON document (--json). Exit codes: 0 every check passed, 1 some check failed
 * or could not run, 2 the file is invalid (or a bad command line).
 */
import { dirname } from 'node:path';
import type { ExperimentEntry } from '../core/experiment';
import { didYouMean, suggest } from '../core/experiment/suggest';
import { DEFAULT_EPSILON, DEFAULT_THRESHOLD, reportToJson, type GradcheckJson } from '../core/gradcheck';
import { runGradcheck, type GradcheckRunOptions } from '../runner/gradcheck';
import { datasetShape, loadExperimentFile } from '../node/experiment';
import { LIMIT_OPTIONS, LIMIT_USAGE, limitsOf, oneFile, parseArgs, positiveNumber } from './args';
import { formatDiagnostic } from './format';
import type { CliIO, Command } from './io';

const USAGE = `Usage: nnlab gradcheck FILE [-e NAME]... [--json] [--epsilon E] [--threshold T] [--sample K] [--timeout S]
                       [--python PATH] [--worker-memory MB] [--max-data-mb MB]

Check the backward pass of each experiment in FILE against central differences: its model.module (your own
forward/backward in JavaScript or Python, see docs/model-modules.md and docs/python.md) or NN Lab's network with
the experiment's data and initial weights.

Options:
  -e, --experiment NAME  check only this experiment (repeatable; default: all)
      --json             print one JSON document with every report to stdout
      --epsilon E        the perturbation (default ${DEFAULT_EPSILON})
      --threshold T      pass when the difference is at most T (default ${DEFAULT_THRESHOLD})
      --sample K         check K entries per parameter (seeded) instead of all of them
      --timeout S        stop a model module after S seconds (default 30)
      --python PATH      the interpreter for Python model modules (.py; default python3; docs/python.md)
${LIMIT_USAGE}
  -h, --help             show this help

Exit codes: 0 all checks pass, 1 some check fails or cannot run, 2 the file is invalid.`;

interface Options {
  file: string;
  only: string[];
  json: boolean;
  check: GradcheckRunOptions;
}

function parseOptions(argv: string[]): Options | 'help' {
  const args = parseArgs(argv, [
    { name: 'experiment', short: 'e', value: true, repeat: true },
    { name: 'json' },
    { name: 'epsilon', value: true },
    { name: 'threshold', value: true },
    { name: 'sample', value: true },
    { name: 'timeout', value: true },
    { name: 'python', value: true },
    ...LIMIT_OPTIONS,
    { name: 'help', short: 'h' },
  ]);
  if (args.flags.has('help')) return 'help';
  const file = oneFile(args);
  const value = (name: string) => args.values.get(name)?.[0];
  const check: GradcheckRunOptions = {};
  const epsilon = positiveNumber(value('epsilon'), '--epsilon');
  const threshold = positiveNumber(value('threshold'), '--threshold');
  const sample = positiveNumber(value('sample'), '--sample', true);
  const timeout = positiveNumber(value('timeout'), '--timeout');
  if (epsilon !== undefined) check.epsilon = epsilon;
  if (threshold !== undefined) check.threshold = threshold;
  if (sample !== undefined) check.sample = sample;
  if (timeout !== undefined) check.timeoutMs = timeout * 1000;
  const python = value('python');
  if (python !== undefined) check.python = python;
  const limits = limitsOf(args);
  check.memoryMb = limits.workerMemoryMb;
  check.dataAccess = limits.dataAccess;
  return { file, only: args.values.get('experiment') ?? [], json: args.flags.has('json'), check };
}

/** A check that could not run (invalid experiment, broken module): reported with its reason, never passed. */
interface FailedCheck {
  name: string;
  passed: false;
  error: string;
  epsilon: number;
  threshold: number;
  difference: null;
  parameters: [];
}

type Outcome = GradcheckJson | FailedCheck;

function failed(name: string, error: string, check: GradcheckRunOptions): FailedCheck {
  const epsilon = check.epsilon ?? DEFAULT_EPSILON;
  const threshold = check.threshold ?? DEFAULT_THRESHOLD;
  return { name, passed: false, error, epsilon, threshold, difference: null, parameters: [] };
}

const sci = (x: number | null) => (x === null ? '–' : x === 0 ? '0' : x.toExponential(3));
const num = (x: number | null) => (x === null ? 'non-finite' : Number(x.toPrecision(6)).toString());

/** One block per experiment: the verdict line, then failing tensors first (each with its worst entry), then the rest. */
export function formatReports(outcomes: readonly Outcome[]): string {
  const out: string[] = [];
  for (const o of outcomes) {
    if ('error' in o) {
      out.push(`${o.name}: ERROR: ${o.error}`, '');
      continue;
    }
    out.push(`${o.name}: ${o.passed ? 'passed' : 'FAILED'}: ${o.message}`);
    const ordered = [...o.parameters.filter((p) => !p.passed), ...o.parameters.filter((p) => p.passed)];
    const rows = [['', 'tensor', 'shape', 'difference', 'worst entry: analytic vs numeric (relative error)']];
    for (const p of ordered) {
      const w = p.worst[0];
      const worst = w
        ? `${p.name}[${w.index.join(',')}]: ${num(w.analytic)} vs ${num(w.numeric)} (${sci(w.relativeError)})${w.kink ? ' kink' : ''}`
        : '';
      rows.push([
        p.passed ? 'ok' : 'FAIL',
        p.name,
        `${p.shape[0]}×${p.shape[1]}`,
        sci(p.difference),
        p.passed ? (p.kinks ? `${p.kinks} kink(s) left out` : '') : worst,
      ]);
    }
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    for (const r of rows)
      out.push(
        `  ${r
          .map((cell, c) => cell.padEnd(widths[c]!))
          .join('  ')
          .trimEnd()}`,
      );
    const noisy = ordered.filter((p) => p.passed && p.difference > o.threshold).map((p) => p.name);
    if (noisy.length) {
      out.push(
        `  (${noisy.join(', ')}: own ratio above ${o.threshold} from rounding noise, but a share of the overall difference below it)`,
      );
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function select(entries: ExperimentEntry[], only: string[]): ExperimentEntry[] | string {
  const names = entries.map((e) => e.name);
  const unknown = only.find((n) => !names.includes(n));
  if (unknown !== undefined) {
    return `unknown experiment ${JSON.stringify(unknown)}${didYouMean(suggest(unknown, names))} (experiments: ${names.join(', ') || 'none'})`;
  }
  return only.length ? entries.filter((e) => only.includes(e.name)) : entries;
}

async function gradcheck(argv: string[], io: CliIO): Promise<number> {
  const options = parseOptions(argv);
  if (options === 'help') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const access = options.check.dataAccess ?? {};
  const loaded = loadExperimentFile(options.file, {
    dataShape: (data, baseDir) => datasetShape(data, baseDir, access),
    ...(options.check.memoryMb === undefined ? {} : { workerMemoryMb: options.check.memoryMb }),
  });
  for (const d of loaded.diagnostics) io.stderr(`${formatDiagnostic(options.file, d)}\n`);
  if (loaded.fileErrors) return 2;
  const selected = select(loaded.entries, options.only);
  if (typeof selected === 'string' || selected.length === 0) {
    io.stderr(`nnlab gradcheck: ${typeof selected === 'string' ? selected : `${options.file} has no experiments`}\n`);
    return 2;
  }
  const baseDir = dirname(loaded.file);
  const outcomes: Outcome[] = [];
  // One at a time: each check is short, and a module's worker should not compete with another's time limit.
  for (const entry of selected) {
    if (!entry.config) {
      const first = entry.diagnostics.find((d) => d.severity === 'error');
      outcomes.push(
        failed(
          entry.name,
          first ? `${first.line}:${first.column}: ${first.message}` : 'the experiment is invalid',
          options.check,
        ),
      );
      continue;
    }
    try {
      outcomes.push(reportToJson(entry.name, await runGradcheck(entry.config, baseDir, options.check)));
    } catch (e) {
      outcomes.push(failed(entry.name, e instanceof Error ? e.message : String(e), options.check));
    }
  }
  io.stdout(options.json ? `${JSON.stringify({ experiments: outcomes })}\n` : formatReports(outcomes));
  return outcomes.every((o) => o.passed) ? 0 : 1;
}

export const gradcheckCommand: Command = {
  name: 'gradcheck',
  summary: 'check backward passes against central differences, naming the wrong tensors',
  usage: USAGE,
  run: gradcheck,
};
