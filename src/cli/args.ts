/** A small command-line parser: `--flag`, `--opt VALUE`, `--opt=VALUE`, `-e VALUE`, repeatable options and positionals. */
import { availableParallelism } from 'node:os';
import type { DataAccess } from '../core/datasets/access';
import { DEFAULT_DATA_MAX_MB, DEFAULT_WORKER_MEMORY_MB } from '../core/limits';
import { UsageError } from './io';

export interface OptionSpec {
  /** Long name without dashes. */
  name: string;
  short?: string;
  /** Takes a value. */
  value?: boolean;
  /** May be given more than once (values collect in order). */
  repeat?: boolean;
}

export interface ParsedArgs {
  positionals: string[];
  flags: Set<string>;
  values: Map<string, string[]>;
}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const parsed: ParsedArgs = { positionals: [], flags: new Set(), values: new Map() };
  const byName = new Map<string, OptionSpec>();
  for (const s of specs) {
    byName.set(`--${s.name}`, s);
    if (s.short) byName.set(`-${s.short}`, s);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      parsed.positionals.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const key = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = byName.get(key);
    if (!spec) throw new UsageError(`unknown option ${key}`);
    if (!spec.value) {
      if (eq > 0) throw new UsageError(`${key} takes no value`);
      parsed.flags.add(spec.name);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`${key} needs a value`);
    const list = parsed.values.get(spec.name) ?? [];
    if (list.length && !spec.repeat) throw new UsageError(`${key} given more than once`);
    list.push(value);
    parsed.values.set(spec.name, list);
  }
  return parsed;
}

/** The one FILE every command takes. */
export function oneFile(args: ParsedArgs): string {
  if (args.positionals.length !== 1) {
    throw new UsageError(
      args.positionals.length === 0
        ? 'missing the experiment FILE'
        : `expected one FILE, got ${args.positionals.length}`,
    );
  }
  return args.positionals[0]!;
}

/** `--worker-memory MB` and `--max-data-mb MB`: the two limits every command that trains or reads data takes. */
export const LIMIT_OPTIONS: readonly OptionSpec[] = [
  { name: 'worker-memory', value: true },
  { name: 'max-data-mb', value: true },
];

export const LIMIT_USAGE = `      --worker-memory MB a worker thread's JavaScript heap (default ${DEFAULT_WORKER_MEMORY_MB}); a run that needs more fails alone
      --max-data-mb MB   the largest data file read (default ${DEFAULT_DATA_MAX_MB})`;

export interface Limits {
  workerMemoryMb: number;
  dataAccess: DataAccess;
}

export function limitsOf(args: ParsedArgs): Limits {
  const memory = positiveNumber(args.values.get('worker-memory')?.[0], '--worker-memory', true);
  if (memory !== undefined && memory < 16)
    throw new UsageError(`--worker-memory must be at least 16 (MB), got ${memory}`);
  const dataMb = positiveNumber(args.values.get('max-data-mb')?.[0], '--max-data-mb');
  return {
    workerMemoryMb: memory ?? DEFAULT_WORKER_MEMORY_MB,
    dataAccess: { maxBytes: (dataMb ?? DEFAULT_DATA_MAX_MB) * 2 ** 20 },
  };
}

/**
 * `--jobs N`: threads beyond this many only share the cores, and each one costs a thread's start-up and memory, so
 * a larger N is a mistake (1e9 once meant minutes and gigabytes of threads before the first run).
 */
export const MAX_JOBS = 256;

export function jobsOf(text: string | undefined, fallback: number): number {
  const jobs = positiveNumber(text, '--jobs', true) ?? fallback;
  if (jobs > MAX_JOBS) {
    throw new UsageError(
      `--jobs ${text} is more threads than NN Lab starts (at most ${MAX_JOBS}; this machine has ${availableParallelism()} CPUs, and runs beyond that only share them)`,
    );
  }
  return jobs;
}

/** An option's value as a positive number (an integer when `integer`), or undefined when it was not given. */
export function positiveNumber(text: string | undefined, flag: string, integer = false): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!(v > 0) || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw new UsageError(`${flag} must be a positive ${integer ? 'integer' : 'number'}, got ${text}`);
  }
  return v;
}
