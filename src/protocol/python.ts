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

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charCodeAt(i)] = i;

const ASCII = new TextDecoder();
const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const PAD = 61; // '='

/**
 * Standard base64 of bytes, written into a byte buffer and decoded once: btoa over a binary string took 0.8 s for
 * the 1 MB batch of a [2,20,20,1] check in Node, this a few milliseconds, and it needs no Node Buffer.
 */
export function toBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(4 * Math.ceil(n / 3));
  let o = 0;
  for (let i = 0; i < n; i += 3) {
    const two = i + 1 < n;
    const three = i + 2 < n;
    const v = (bytes[i]! << 16) | ((two ? bytes[i + 1]! : 0) << 8) | (three ? bytes[i + 2]! : 0);
    out[o++] = CODES[v >> 18]!;
    out[o++] = CODES[(v >> 12) & 63]!;
    out[o++] = two ? CODES[(v >> 6) & 63]! : PAD;
    out[o++] = three ? CODES[v & 63]! : PAD;
  }
  return ASCII.decode(out);
}

/** Bytes of standard base64 (padding optional), or undefined when `text` is not base64. */
export function fromBase64(text: string): Uint8Array | undefined {
  const clean = text.replace(/=+$/, '');
  if (clean.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let at = 0;
  for (let i = 0; i < clean.length; i++) {
    const c = clean.charCodeAt(i);
    const d = c < 128 ? DIGIT[c]! : -1;
    if (d < 0) return undefined;
    acc = (acc << 6) | d;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (acc >> bits) & 255;
    }
  }
  return out;
}

export function encodeF64(values: ArrayLike<number>, shape: number[] = [values.length]): WireF64 {
  // Little-endian, the wire's order, is the byte order of every platform NN Lab runs on.
  return { f64: toBase64(new Uint8Array(Float64Array.from(values as ArrayLike<number>).buffer)), shape };
}

export function decodeF64(value: unknown, what: string): Float64Array {
  const v = value as Partial<WireF64> | null;
  if (typeof v !== 'object' || v === null || typeof v.f64 !== 'string') {
    throw new ModelModuleError(`the Python harness sent a bad reply: ${what} is not a float64 array`);
  }
  const bytes = fromBase64(v.f64);
  if (!bytes) throw new ModelModuleError(`the Python harness sent a bad reply: ${what} is not base64`);
  if (bytes.length % 8 !== 0)
    throw new ModelModuleError(`the Python harness sent a bad reply: ${what} has ${bytes.length} bytes`);
  const out = new Float64Array(bytes.length / 8);
  new Uint8Array(out.buffer).set(bytes);
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
  for (const key of ['type', 'file', 'traceback', 'missing'] as const)
    if (typeof e[key] === 'string') error[key] = e[key];
  for (const key of ['line', 'index'] as const) if (Number.isInteger(e[key])) error[key] = e[key] as number;
  return { ok: false, error };
}
