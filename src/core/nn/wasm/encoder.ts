/**
 * A minimal WebAssembly binary encoder: just enough of the module format (types, imports, one memory import,
 * functions, exports, code) and of the instruction set for the generated training kernels in kernel.ts. No
 * toolchain is available to the extension, and the kernels are specialised per layer sizes like codegen.ts, so
 * the module is assembled at run time. Written from the WebAssembly core specification's binary format
 * (sections 5.x) and the fixed-width SIMD proposal's opcode table.
 */

export const enum Type {
  i32 = 0x7f,
  f64 = 0x7c,
  v128 = 0x7b,
}

/** Opcodes used by kernel.ts (single byte). */
export const enum Op {
  block = 0x02,
  loop = 0x03,
  if = 0x04,
  else = 0x05,
  end = 0x0b,
  br = 0x0c,
  brIf = 0x0d,
  call = 0x10,
  localGet = 0x20,
  localSet = 0x21,
  localTee = 0x22,
  i32Load = 0x28,
  f64Load = 0x2b,
  f64Store = 0x39,
  i32Store = 0x36,
  i32Const = 0x41,
  f64Const = 0x44,
  i32Eqz = 0x45,
  i32Eq = 0x46,
  i32GeS = 0x4e,
  i32LtS = 0x48,
  i32GtS = 0x4a,
  i32LeS = 0x4c,
  f64Gt = 0x64,
  f64Ge = 0x66,
  i32Add = 0x6a,
  i32Sub = 0x6b,
  i32Mul = 0x6c,
  i32Shl = 0x74,
  f64Abs = 0x99,
  f64Neg = 0x9a,
  f64Add = 0xa0,
  f64Sub = 0xa1,
  f64Mul = 0xa2,
  f64Div = 0xa3,
  f64Sqrt = 0x9f,
  select = 0x1b,
}

/** SIMD opcodes (after the 0xfd prefix, LEB128-encoded). */
export const enum Simd {
  load = 0x00,
  load64Splat = 0x0a,
  store = 0x0b,
  const = 0x0c,
  f64x2Splat = 0x14,
  f64x2ExtractLane = 0x21,
  f64x2ReplaceLane = 0x22,
  f64x2Lt = 0x49,
  f64x2Gt = 0x4a,
  f64x2Ge = 0x4c,
  and = 0x4e,
  bitselect = 0x52,
  anyTrue = 0x53,
  i64x2Shl = 0xcb,
  i64x2ShrS = 0xcc,
  i64x2Add = 0xce,
  i64x2Sub = 0xd1,
  f64x2Abs = 0xec,
  f64x2Neg = 0xed,
  f64x2Add = 0xf0,
  f64x2Sub = 0xf1,
  f64x2Mul = 0xf2,
  f64x2Div = 0xf3,
  f64x2Sqrt = 0xef,
  f64x2Pmax = 0xf7,
}

/** A growing byte buffer with the format's integer encodings. */
export class Bytes {
  private buf = new Uint8Array(1024);
  length = 0;

  byte(b: number): this {
    if (this.length === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = b;
    return this;
  }

  bytes(bs: ArrayLike<number>): this {
    for (let i = 0; i < bs.length; i++) this.byte(bs[i]!);
    return this;
  }

  /** Unsigned LEB128. */
  u32(n: number): this {
    do {
      let b = n & 0x7f;
      n >>>= 7;
      if (n !== 0) b |= 0x80;
      this.byte(b);
    } while (n !== 0);
    return this;
  }

  /** Signed LEB128 (i32 range). */
  s32(n: number): this {
    for (;;) {
      const b = n & 0x7f;
      n >>= 7;
      const done = (n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  f64(x: number): this {
    const v = new DataView(new ArrayBuffer(8));
    v.setFloat64(0, x, true);
    for (let i = 0; i < 8; i++) this.byte(v.getUint8(i));
    return this;
  }

  name(s: string): this {
    const utf8 = new TextEncoder().encode(s);
    return this.u32(utf8.length).bytes(utf8);
  }

  /** A length-prefixed copy of another buffer (section and function bodies). */
  sized(inner: Bytes): this {
    return this.u32(inner.length).bytes(inner.view());
  }

  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** One function body: locals declared by type, instructions appended through the helpers. */
export class FunctionBody {
  readonly code = new Bytes();
  private readonly locals: Type[] = [];

  constructor(private readonly paramCount: number) {}

  /** A new local of this type; returns its index. */
  local(type: Type): number {
    this.locals.push(type);
    return this.paramCount + this.locals.length - 1;
  }

  op(o: Op): this {
    this.code.byte(o);
    return this;
  }

  simd(o: Simd): this {
    this.code.byte(0xfd).u32(o);
    return this;
  }

  get(i: number): this {
    this.code.byte(Op.localGet).u32(i);
    return this;
  }

  set(i: number): this {
    this.code.byte(Op.localSet).u32(i);
    return this;
  }

  tee(i: number): this {
    this.code.byte(Op.localTee).u32(i);
    return this;
  }

  i32(n: number): this {
    this.code.byte(Op.i32Const).s32(n);
    return this;
  }

  /** Both lanes = c. */
  splatConst(c: number): this {
    return this.f64x2(c, c);
  }

  /** A v128 constant with these two float64 lanes. */
  f64x2(lane0: number, lane1: number): this {
    this.code.byte(0xfd).u32(Simd.const).f64(lane0).f64(lane1);
    return this;
  }

  /** A v128 constant with n in both int64 lanes (|n| < 2^31). */
  i64x2(n: number): this {
    return this.i64x2Lanes(n, n);
  }

  /** A v128 constant with these two int64 lanes (each in int32 range). */
  i64x2Lanes(lane0: number, lane1: number): this {
    this.code.byte(0xfd).u32(Simd.const);
    for (const n of [lane0, lane1]) {
      for (let b = 0; b < 4; b++) this.code.byte((n >> (8 * b)) & 0xff);
      for (let b = 0; b < 4; b++) this.code.byte(n < 0 ? 0xff : 0);
    }
    return this;
  }

  /** i8x16.shuffle: byte i of the result is byte lanes[i] of the two operands (0–15 first, 16–31 second). */
  shuffle(lanes: number[]): this {
    this.code.byte(0xfd).u32(0x0d).bytes(lanes);
    return this;
  }

  /** A memory access with its alignment hint (log2 bytes) and constant offset. */
  mem(o: Op, align: number, offset: number): this {
    this.code.byte(o).u32(align).u32(offset);
    return this;
  }

  simdMem(o: Simd, align: number, offset: number): this {
    this.code.byte(0xfd).u32(o).u32(align).u32(offset);
    return this;
  }

  lane(o: Simd, lane: number): this {
    this.code.byte(0xfd).u32(o).byte(lane);
    return this;
  }

  /** Block, loop or if with the empty block type. */
  begin(o: Op.block | Op.loop | Op.if): this {
    this.code.byte(o).byte(0x40);
    return this;
  }

  encode(): Bytes {
    const out = new Bytes();
    // Locals in runs of equal type, in declaration order (indices must match local()).
    const runs: Array<[number, Type]> = [];
    for (const t of this.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    out.u32(runs.length);
    for (const [n, t] of runs) out.u32(n).byte(t);
    out.bytes(this.code.view()).byte(Op.end);
    return new Bytes().sized(out);
  }
}

export interface FuncType {
  params: Type[];
  results: Type[];
}

export interface ModuleSpec {
  types: FuncType[];
  /** Imported memory "m"."memory", with this many 64 KiB pages at least. */
  memoryPages: number;
  /** Import a shared memory (threads) of at most this many pages; unshared and unbounded when absent. */
  sharedMaxPages?: number;
  functions: Array<{ type: number; body: FunctionBody; export: string }>;
}

function section(out: Bytes, id: number, content: Bytes): void {
  out.byte(id).sized(content);
}

export function encodeModule(spec: ModuleSpec): Uint8Array {
  const out = new Bytes().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const types = new Bytes().u32(spec.types.length);
  for (const t of spec.types) {
    types.byte(0x60).u32(t.params.length).bytes(t.params).u32(t.results.length).bytes(t.results);
  }
  section(out, 1, types);
  const imports = new Bytes().u32(1);
  imports.name('m').name('memory').byte(0x02);
  if (spec.sharedMaxPages === undefined) imports.byte(0x00).u32(spec.memoryPages);
  else imports.byte(0x03).u32(spec.memoryPages).u32(spec.sharedMaxPages);
  section(out, 2, imports);
  const funcs = new Bytes().u32(spec.functions.length);
  for (const f of spec.functions) funcs.u32(f.type);
  section(out, 3, funcs);
  const exports = new Bytes().u32(spec.functions.length);
  spec.functions.forEach((f, i) => exports.name(f.export).byte(0x00).u32(i));
  section(out, 7, exports);
  const code = new Bytes().u32(spec.functions.length);
  for (const f of spec.functions) code.bytes(f.body.encode().view());
  section(out, 10, code);
  return out.view().slice();
}
