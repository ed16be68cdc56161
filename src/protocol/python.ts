/**
 * The line protocol between NN Lab and its Python harness (python/nnlab_harness.py; docs/python.md): one JSON
 * request per line on the harness's stdin, one JSON reply per line on its stdout, in order. Float64 arrays cross as
 * the base64 of their little-endian IEEE 754 bytes, so every value, -0, subnormals, NaN and ±∞ included, arrives bit
 * for bit (JSON numbers would lose -0 and cannot carry NaN or ∞). Replies come from a process that runs user code,
 * so each one goes through `harnessReply` before it is used.
 */
import { ModelModuleError } from '../core/gradcheck/moduleErrors';

/** A float64 array on the wire. */
export interface WireF64 {
  f64: string;
  shape: number[];
}

const CHUNK = 0x8000;

export function encodeF64(values: ArrayLike<number>, shape: number[] = [values.length]): WireF64 {
  // Little-endian, the wire's order, is the byte order of every platform NN Lab runs on.
  const bytes = new Uint8Array(Float64Array.from(values as ArrayLike<number>).buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return { f64: btoa(binary), shape };
}

export function decodeF64(value: unknown, what: string): Float64Array {
  const v = value as Partial<WireF64> | null;
  if (typeof v !== 'object' || v === null || typeof v.f64 !== 'string') {
    throw new ModelModuleError(`the Python harness sent a bad reply: ${what} is not a float64 array`);
  }
  let binary: string;
  try {
    binary = atob(v.f64);
  } catch {
    throw new ModelModuleError(`the Python harness sent a bad reply: ${what} is not base64`);
  }
  if (binary.length % 8 !== 0) throw new ModelModuleError(`the Python harness sent a bad reply: ${what} has ${binary.length} bytes`);
  const out = new Float64Array(binary.length / 8);
  const bytes = new Uint8Array(out.buffer);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return out;
}

export interface FunctionNames {
  forward?: string;
  backward?: string;
  setup?: string;
}

export type HarnessRequest =
  | { op: 'hello' }
  | { op: 'echo'; values: WireF64 }
  | {
      op: 'load';
      file: string;
      functions: FunctionNames;
      fallback: { params: Array<{ name: string; value: WireF64 }>; X: WireF64; Y: WireF64 } | { error: string } | null;
    }
  | { op: 'costs'; thetas: WireF64 };

/** What the harness says went wrong: a contract break, or an exception in the learner's code (with where). */
export interface HarnessError {
  phase: string;
  message: string;
  type?: string;
  file?: string;
  line?: number;
  traceback?: string;
  /** Which θ of a `costs` batch failed. */
  index?: number;
  /** Set by `hello` when numpy cannot be imported. */
  missing?: string;
}

export type HarnessReply = { ok: true; [key: string]: unknown } | { ok: false; error: HarnessError };

/** Checks one reply line; anything else means the process is not (or no longer) speaking the protocol. */
export function harnessReply(line: string): HarnessReply {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new ModelModuleError(`the Python harness wrote a line that is not JSON: ${line.slice(0, 200)}`);
  }
  const v = value as Record<string, unknown> | null;
  if (typeof v !== 'object' || v === null || typeof v.ok !== 'boolean') {
    throw new ModelModuleError(`the Python harness sent a reply without "ok": ${line.slice(0, 200)}`);
  }
  if (v.ok) return v as HarnessReply;
  const e = v.error as Record<string, unknown> | null;
  if (typeof e !== 'object' || e === null || typeof e.message !== 'string' || typeof e.phase !== 'string') {
    throw new ModelModuleError(`the Python harness sent a failure without a message: ${line.slice(0, 200)}`);
  }
  const error: HarnessError = { phase: e.phase, message: e.message };
  for (const key of ['type', 'file', 'traceback', 'missing'] as const) if (typeof e[key] === 'string') error[key] = e[key];
  for (const key of ['line', 'index'] as const) if (Number.isInteger(e[key])) error[key] = e[key] as number;
  return { ok: false, error };
}
