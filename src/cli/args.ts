/** A small command-line parser: `--flag`, `--opt VALUE`, `--opt=VALUE`, `-e VALUE`, repeatable options and positionals. */
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
    throw new UsageError(args.positionals.length === 0 ? 'missing the experiment FILE' : `expected one FILE, got ${args.positionals.length}`);
  }
  return args.positionals[0]!;
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
