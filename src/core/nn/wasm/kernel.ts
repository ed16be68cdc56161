/**
 * A WebAssembly form of the generated kernels (codegen.ts): the same unrolled forward and backward pass of a fixed
 * shape, with two examples per loop step in the two float64 lanes of a v128 (f64x2 SIMD), assembled at run time by
 * encoder.ts. Every operation is the JS kernel's, in the same order, lane by lane (wasm has no fused multiply-add
 * outside relaxed SIMD, so mul + add round as in JS); exp and log1p (math.ts) round like V8's Math.exp and
 * Math.log1p; gradient entries receive lane 0's term then lane 1's, the JS kernel's example order; the loss takes
 * the same TwoSum-compensated sum. So the results are those of the JS kernels, to the bit in every test so far.
 *
 * Several passes over the batch's pairs instead of one, each a loop over buffer B (per pair: y, z_L, e, log1p e,
 * every hidden z): forward; e = exp(−|z_L|); log1p(e); loss and dz; backward. exp and log1p are long dependency
 * chains (with divisions) and each pair's backward pass waited on them; in short loops whose iterations are
 * independent the CPU overlaps several pairs' chains instead. Measured per 301-example [2,10,5,1] batch: one fused
 * pass 15.6 µs, three passes (output in one) 13.4 µs (10.5 once gradient pairs were summed as v128, accumulateTwo),
 * exp split off 8.9 µs, log1p split off too ~8.7 µs. Tried without a measurable gain (within noise), so left out:
 * exp and log1p constants loaded from memory instead of v128.const, p = (z ≥ 0 ? 1 : e)/(1 + e) with one division
 * per lane (the same value), and lane-transposed activation pairs in the weight-gradient sums.
 *
 * Supported: sigmoid output, relu / leaky_relu / linear hidden layers, no dropout, up to MAX_PARAMETERS. Anything
 * else returns null and the caller keeps the JS kernels; so does a missing WebAssembly or a module it refuses.
 * Measured per 301-example batch in Node 20 (CPU time, shared machine): [2,10,5,1] relu 8.7–9.0 µs vs 15.5–16.3 µs
 * for the generated JS kernel, [2,5,2,1] 4.6–4.7 vs 8.0–8.2 µs.
 */
import type { ParameterLayout } from '../params';
import { LEAKY_SLOPE } from '../activations';
import { encodeModule, FunctionBody, Op, Simd, Type } from './encoder';
import { emitExp, emitLog1p, mathScratch } from './math';
import { sharedModule } from './modules';

export type WasmGradients = (
  P: Float64Array,
  G: Float64Array,
  idx: Int32Array,
  from: number,
  to: number,
  invM: number,
) => number;

export interface WasmShape {
  layout: ParameterLayout;
  activation: string;
  output: string;
}

/**
 * The slice of the WebAssembly JS API used here. The project's lib (ES2022, no DOM) declares no WebAssembly
 * values, and an environment may lack it: looked up on globalThis, undefined means "use the JS kernels".
 */
interface WasmApi {
  Memory: new (d: { initial: number }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}
const wasmApi = (): WasmApi | undefined => (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

const SUPPORTED = new Set(['relu', 'leaky_relu', 'linear']);

/**
 * The largest network (parameter count) given a wasm kernel. The code is unrolled like codegen.ts's, so it grows
 * with the parameter count, and so do V8's compile and tier-up times: measured, [2,40,40,1] (1801 parameters) took
 * 21 ms of CPU to its first result and then ran 380 µs per 301-example batch (the generic JS kernels: 1840 µs), while
 * [2,60,60,1] (3900) still ran ~3.5 ms per batch after 50 batches. Larger networks keep the JS kernels.
 */
export const MAX_PARAMETERS = 2000;

interface Offsets {
  P: number;
  G: number;
  idx: number;
  X: number;
  Y: number;
  B: number;
  end: number;
}

function offsets(size: number, n0: number, hidden: number, M: number): Offsets {
  const align = (x: number) => Math.ceil(x / 16) * 16;
  const P = 0;
  const G = align(size * 8);
  const idx = align(G + size * 8);
  const X = align(idx + M * 4);
  const Y = align(X + n0 * M * 8);
  const B = align(Y + M * 8);
  return { P, G, idx, X, Y, B, end: B + Math.ceil(M / 2) * (4 + hidden) * 16 };
}

/** Builds the function body; locals are allocated as the code needs them. */
function kernelBody(shape: WasmShape, M: number, o: Offsets, withGradients: boolean): FunctionBody {
  const { layout, activation } = shape;
  const { slots, layers } = layout;
  const L = slots.length;
  // Parameters: from, to (i32), invM (f64).
  const f = new FunctionBody(3);
  const [FROM, TO, INVM] = [0, 1, 2];
  const j = f.local(Type.i32);
  const e = [f.local(Type.i32), f.local(Type.i32)];
  const loss = f.local(Type.f64);
  const comp = f.local(Type.f64);
  const zero = f.local(Type.v128); // never written: v128 locals start at zero
  const tmp = f.local(Type.v128);
  const tmp2 = f.local(Type.v128);
  const mask = f.local(Type.v128);
  const v = f.local(Type.f64);
  const t = f.local(Type.f64);
  const r = f.local(Type.f64);
  const yv = f.local(Type.v128);
  const ev = f.local(Type.v128);
  const lg = f.local(Type.v128);
  const invM = f.local(Type.v128);
  const math = mathScratch(f);
  const x = Array.from({ length: layers[0]! }, () => f.local(Type.v128));
  const z: number[][] = [[]];
  const a: number[][] = [x];
  const d: number[][] = [[]];
  for (let l = 1; l <= L; l++) {
    z.push(Array.from({ length: layers[l]! }, () => f.local(Type.v128)));
    a.push(l < L ? Array.from({ length: layers[l]! }, () => f.local(Type.v128)) : []);
    d.push(Array.from({ length: layers[l]! }, () => f.local(Type.v128)));
  }
  const splatP = (k: number) => f.i32(0).simdMem(Simd.load64Splat, 3, o.P + k * 8);

  /**
   * G[k] += tmp: lane 0, then lane 1, the JS kernel's example order. (One partial sum per lane, added at the end,
   * measured ~20% faster on the kernel alone but only ~2% on the course, and it changes the rounding: circles-random's
   * cost at iteration 14000 moved by 8e-6 relative.)
   */
  const accumulate = (k: number) => {
    f.i32(0)
      .i32(0)
      .mem(Op.f64Load, 3, o.G + k * 8);
    f.get(tmp).lane(Simd.f64x2ExtractLane, 0).op(Op.f64Add);
    f.get(tmp).lane(Simd.f64x2ExtractLane, 1).op(Op.f64Add);
    f.mem(Op.f64Store, 3, o.G + k * 8);
  };

  /**
   * G[k] += tmp and G[k+1] += tmp2 as one v128: (G[k], G[k+1]) + (tmp₀, tmp2₀), then + (tmp₁, tmp2₁), each entry
   * still receiving lane 0's term first. Half the memory operations and no lane extraction: with the row-wise
   * weight gradients paired this way, ~15% off the [2,10,5,1] kernel (measured).
   */
  const accumulateTwo = (k: number) => {
    f.i32(0)
      .i32(0)
      .simdMem(Simd.load, 3, o.G + k * 8);
    f.get(tmp).get(tmp2).shuffle([0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]).simd(Simd.f64x2Add);
    f.get(tmp).get(tmp2).shuffle([8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31]).simd(Simd.f64x2Add);
    f.simdMem(Simd.store, 3, o.G + k * 8);
  };

  // Per pair, the buffer B keeps y, z_L (then dz), e, log1p(e) and every hidden z.
  const hiddenSlot: number[][] = [[]];
  let slot = 4;
  for (let l = 1; l < L; l++) hiddenSlot.push(Array.from({ length: layers[l]! }, () => o.B + 16 * slot++));
  const stride = slot * 16;
  const Y_SLOT = o.B;
  const Z_SLOT = o.B + 16;
  const E_SLOT = o.B + 32;
  const LG_SLOT = o.B + 48;
  const q = f.local(Type.i32);

  /** The pair's examples: e0 = idx[j], e1 = idx[j + 1], or e0 again when j is the batch's last (odd) example. */
  const loadExamples = () => {
    f.get(j).i32(2).op(Op.i32Shl).mem(Op.i32Load, 2, o.idx).i32(3).op(Op.i32Shl).set(e[0]!);
    f.get(j)
      .i32(2)
      .op(Op.i32Shl)
      .mem(Op.i32Load, 2, o.idx + 4)
      .i32(3)
      .op(Op.i32Shl);
    f.get(e[0]!).get(j).i32(1).op(Op.i32Add).get(TO).op(Op.i32LtS).op(Op.select).set(e[1]!);
    for (let k = 0; k < layers[0]!; k++) {
      f.get(e[0]!)
        .mem(Op.f64Load, 3, o.X + k * M * 8)
        .simd(Simd.f64x2Splat);
      f.get(e[1]!)
        .mem(Op.f64Load, 3, o.X + k * M * 8)
        .lane(Simd.f64x2ReplaceLane, 1)
        .set(x[k]!);
    }
  };

  // The forward pass, z = (Σ_k w·a_k) + b in ascending k, then the activation; z and y stored.
  const forwardPass = () => {
    loadExamples();
    f.get(q);
    f.get(e[0]!).mem(Op.f64Load, 3, o.Y).simd(Simd.f64x2Splat);
    f.get(e[1]!).mem(Op.f64Load, 3, o.Y).lane(Simd.f64x2ReplaceLane, 1);
    f.simdMem(Simd.store, 4, Y_SLOT);
    for (let l = 1; l <= L; l++) {
      const s = slots[l - 1]!;
      for (let i = 0; i < s.rows; i++) {
        for (let k = 0; k < s.cols; k++) {
          splatP(s.w + i * s.cols + k)
            .get(a[l - 1]![k]!)
            .simd(Simd.f64x2Mul);
          if (k > 0) f.simd(Simd.f64x2Add);
        }
        splatP(s.b + i)
          .simd(Simd.f64x2Add)
          .set(z[l]![i]!);
        if (withGradients || l === L)
          f.get(q)
            .get(z[l]![i]!)
            .simdMem(Simd.store, 4, l < L ? hiddenSlot[l]![i]! : Z_SLOT);
        if (l < L) activationForward(z[l]![i]!, a[l]![i]!);
      }
    }
  };

  // The output (sigmoid, one unit), as loss.ts's template on both lanes, in three passes (see the header):
  // e = exp(−|z|); log1p(e); v = (z > 0 ? z : 0) − z·y + log1p(e), p = z ≥ 0 ? 1/(1+e) : e/(1+e), dz = invM·(p − y).
  const expPass = () => {
    f.get(q).get(q).simdMem(Simd.load, 4, Z_SLOT).simd(Simd.f64x2Abs).simd(Simd.f64x2Neg).set(ev);
    emitExp(math, ev, ev);
    f.get(ev).simdMem(Simd.store, 4, E_SLOT);
  };

  const log1pPass = () => {
    f.get(q).get(q).simdMem(Simd.load, 4, E_SLOT).set(ev);
    emitLog1p(math, ev, lg);
    f.get(lg).simdMem(Simd.store, 4, LG_SLOT);
  };

  const outputPass = (pair: boolean) => {
    const zL = z[L]![0]!;
    f.get(q).simdMem(Simd.load, 4, Z_SLOT).set(zL);
    f.get(q).simdMem(Simd.load, 4, Y_SLOT).set(yv);
    f.get(q).simdMem(Simd.load, 4, E_SLOT).set(ev);
    f.get(q).simdMem(Simd.load, 4, LG_SLOT).set(lg);
    f.get(zero).get(zL).simd(Simd.f64x2Pmax).get(zL).get(yv).simd(Simd.f64x2Mul).simd(Simd.f64x2Sub);
    f.get(lg).simd(Simd.f64x2Add).set(tmp);
    // The loss sum takes lane 0, then lane 1: the examples' order (TwoSum, as loss.ts).
    for (const lane of pair ? [0, 1] : [0]) {
      f.get(tmp).lane(Simd.f64x2ExtractLane, lane).set(v);
      f.get(loss).get(v).op(Op.f64Add).set(t);
      f.get(t).get(loss).op(Op.f64Sub).set(r);
      f.get(comp).get(loss).get(t).get(r).op(Op.f64Sub).op(Op.f64Sub);
      f.get(v).get(r).op(Op.f64Sub).op(Op.f64Add).op(Op.f64Add).set(comp);
      f.get(t).set(loss);
    }
    if (!withGradients) return;
    f.get(q).get(invM);
    f.splatConst(1).get(ev).simd(Simd.f64x2Add).set(lg); // lg now holds 1 + e
    f.splatConst(1).get(lg).simd(Simd.f64x2Div);
    f.get(ev).get(lg).simd(Simd.f64x2Div);
    f.get(zL).get(zero).simd(Simd.f64x2Ge).simd(Simd.bitselect);
    f.get(yv).simd(Simd.f64x2Sub).simd(Simd.f64x2Mul);
    // A batch's odd last example leaves lane 1 at 0: every gradient term it feeds is then ±0, which adds nothing.
    if (!pair) f.i64x2Lanes(-1, 0).simd(Simd.and);
    f.simdMem(Simd.store, 4, Z_SLOT);
  };

  // The backward pass from the stored z (activations recomputed) and dz.
  const backwardPass = () => {
    loadExamples();
    for (let l = 1; l < L; l++) {
      for (let i = 0; i < layers[l]!; i++) {
        f.get(q).simdMem(Simd.load, 4, hiddenSlot[l]![i]!).set(z[l]![i]!);
        activationForward(z[l]![i]!, a[l]![i]!);
      }
    }
    f.get(q).simdMem(Simd.load, 4, Z_SLOT).set(d[L]![0]!);
    const out = slots[L - 1]!;
    f.get(d[L]![0]!).set(tmp);
    accumulate(out.b);
    for (let h = L - 1; h >= 1; h--) {
      for (let u = 0; u < layers[h]!; u++) unitBlock(h, u);
    }
    if (L === 1) {
      for (let k = 0; k < out.cols; k++) {
        f.get(d[1]![0]!).get(x[k]!).simd(Simd.f64x2Mul).set(tmp);
        accumulate(out.w + k);
      }
    }
  };

  /** for (j = from, q = 0; j < to (or j + 1 < to); j += 2, q += stride) body */
  const pairLoop = (fullPairsOnly: boolean, body: () => void) => {
    f.get(FROM).set(j).i32(0).set(q);
    f.begin(Op.block).begin(Op.loop);
    f.get(j);
    if (fullPairsOnly) f.i32(1).op(Op.i32Add);
    f.get(TO).op(Op.i32GeS).op(Op.brIf).code.u32(1);
    body();
    f.get(j).i32(2).op(Op.i32Add).set(j).get(q).i32(stride).op(Op.i32Add).set(q).op(Op.br).code.u32(0);
    f.op(Op.end).op(Op.end);
  };

  function activationForward(zi: number, ai: number): void {
    if (activation === 'relu') {
      // pmax(0, z) = 0 < z ? z : 0, the JS template's (z > 0 ? z : 0) exactly (NaN → 0 included).
      f.get(zero).get(zi).simd(Simd.f64x2Pmax).set(ai);
    } else if (activation === 'leaky_relu') {
      f.get(zi).splatConst(LEAKY_SLOPE).get(zi).simd(Simd.f64x2Mul);
      f.get(zi).get(zero).simd(Simd.f64x2Gt).simd(Simd.bitselect).set(ai);
    } else {
      f.get(zi).set(ai);
    }
  }

  // Same structure as codegen.ts's unitBlock: delta, incoming weights and bias, and the output layer's column u.
  function unitBlock(h: number, u: number): void {
    const own = slots[h - 1]!;
    const next = slots[h]!;
    const du = d[h]![u]!;
    const sum = () => {
      for (let i = 0; i < next.rows; i++) {
        splatP(next.w + i * next.cols + u)
          .get(d[h + 1]![i]!)
          .simd(Simd.f64x2Mul);
        if (i > 0) f.simd(Simd.f64x2Add);
      }
    };
    const body = () => {
      let k = 0;
      for (; k + 1 < own.cols; k += 2) {
        f.get(du)
          .get(a[h - 1]![k]!)
          .simd(Simd.f64x2Mul)
          .set(tmp);
        f.get(du)
          .get(a[h - 1]![k + 1]!)
          .simd(Simd.f64x2Mul)
          .set(tmp2);
        accumulateTwo(own.w + u * own.cols + k);
      }
      if (k < own.cols) {
        f.get(du)
          .get(a[h - 1]![k]!)
          .simd(Simd.f64x2Mul)
          .set(tmp);
        accumulate(own.w + u * own.cols + k);
      }
      f.get(du).set(tmp);
      accumulate(own.b + u);
      if (h + 1 === L) {
        for (let i = 0; i < next.rows; i++) {
          f.get(d[L]![i]!).get(a[h]![u]!).simd(Simd.f64x2Mul).set(tmp);
          accumulate(next.w + i * next.cols + u);
        }
      }
    };
    if (activation === 'relu') {
      // Skip the block when the unit is dead in both lanes; a lane dead alone gets delta +0 (its terms add ±0).
      // (Measured: always running the block with a masked delta, branch-free, was ~5% slower on the course.)
      // As in the JS kernel, the delta's sum is formed only for a live unit.
      f.get(z[h]![u]!).get(zero).simd(Simd.f64x2Gt).tee(mask).simd(Simd.anyTrue);
      f.begin(Op.if);
      sum();
      f.get(mask).simd(Simd.and).set(du);
      body();
      f.op(Op.else).get(zero).set(du).op(Op.end);
    } else {
      sum();
      if (activation === 'leaky_relu') {
        f.splatConst(1).splatConst(LEAKY_SLOPE).get(z[h]![u]!).get(zero).simd(Simd.f64x2Gt).simd(Simd.bitselect);
        f.simd(Simd.f64x2Mul);
      }
      f.set(du);
      body();
    }
  }

  f.get(INVM).simd(Simd.f64x2Splat).set(invM);
  pairLoop(false, forwardPass);
  pairLoop(false, expPass);
  pairLoop(false, log1pPass);
  pairLoop(true, () => outputPass(true));
  f.get(j).get(TO).op(Op.i32LtS).begin(Op.if);
  outputPass(false);
  f.op(Op.end);
  if (withGradients) pairLoop(false, backwardPass);
  f.get(loss).get(comp).op(Op.f64Add);
  return f;
}

/** The module's bytes for this shape and set size: the gradient kernel, or the loss-only one. */
function kernelModule(shape: WasmShape, M: number, withGradients: boolean): { bytes: Uint8Array; o: Offsets } {
  const layers = shape.layout.layers;
  const hidden = layers.slice(1, -1).reduce((sum, n) => sum + n, 0);
  const o = offsets(shape.layout.size, layers[0]!, hidden, M);
  const body = kernelBody(shape, M, o, withGradients);
  const bytes = encodeModule({
    types: [{ params: [Type.i32, Type.i32, Type.f64], results: [Type.f64] }],
    memoryPages: pages(o),
    functions: [{ type: 0, body, export: 'kernel' }],
  });
  return { bytes, o };
}

const pages = (o: Offsets) => Math.ceil(o.end / 65536);

export function wasmSupported(shape: WasmShape, keepProb: number): boolean {
  return (
    wasmApi() !== undefined &&
    keepProb === 1 &&
    shape.layout.size <= MAX_PARAMETERS &&
    shape.output === 'sigmoid' &&
    SUPPORTED.has(shape.activation) &&
    shape.layout.layers[shape.layout.layers.length - 1] === 1
  );
}

interface Bound {
  fn: (from: number, to: number, invM: number) => number;
  mP: Float64Array;
  mG: Float64Array;
  mIdx: Int32Array;
}

/** The module cache's key of a kernel: its shape, set size and kind. */
export function wasmModuleKey(shape: WasmShape, M: number, withGradients: boolean): string {
  return `${shape.layout.layers.join(',')}|${shape.activation}|${M}|${withGradients}`;
}

/** An instance of the (cached) module with X and Y copied into its memory. Throws if WebAssembly refuses it. */
function instantiate(shape: WasmShape, X: Float64Array, Y: Float64Array, M: number, withGradients: boolean): Bound {
  const wasm = wasmApi()!;
  const layers = shape.layout.layers;
  // Compiled modules are cached by shape and set size (modules.ts, shared with the other worker threads): V8 first
  // runs a new module's code from its baseline compiler (Liftoff) and optimizes it (TurboFan) once hot, and runs of
  // the same shape (the course's three circles runs, its three moons runs, sweeps) should share that work. Each run
  // gets its own instance and memory.
  const key = wasmModuleKey(shape, M, withGradients);
  const { module, meta } = sharedModule(key, () => {
    const { bytes, o } = kernelModule(shape, M, withGradients);
    return { module: new wasm.Module(bytes), meta: { ...o } };
  });
  const o = meta as unknown as Offsets;
  const memory = new wasm.Memory({ initial: pages(o) });
  const instance = new wasm.Instance(module, { m: { memory } });
  const buf = memory.buffer;
  const n0 = layers[0]!;
  new Float64Array(buf, o.X, n0 * M).set(X.subarray(0, n0 * M));
  new Float64Array(buf, o.Y, M).set(Y.subarray(0, M));
  return {
    fn: instance.exports.kernel as Bound['fn'],
    mP: new Float64Array(buf, o.P, shape.layout.size),
    mG: new Float64Array(buf, o.G, shape.layout.size),
    mIdx: new Int32Array(buf, o.idx, M),
  };
}

/**
 * The wasm gradient kernel bound to one data set (X: n0 × M row-major, Y: M), copied into the module's memory
 * once; called like codegen.ts's GeneratedGradients. Null when unsupported or when WebAssembly refuses the module.
 */
export function wasmGradients(
  shape: WasmShape,
  keepProb: number,
  X: Float64Array,
  Y: Float64Array,
  M: number,
): WasmGradients | null {
  if (!wasmSupported(shape, keepProb)) return null;
  let bound: Bound;
  try {
    bound = instantiate(shape, X, Y, M, true);
  } catch {
    return null;
  }
  const { fn, mP, mG, mIdx } = bound;
  return (P, G, idx, from, to, invM) => {
    mP.set(P);
    mG.fill(0);
    // The batch's indices, at the same positions (from … to−1) as in idx.
    for (let i = from; i < to; i++) mIdx[i] = idx[i]!;
    const loss = fn(from, to, invM);
    G.set(mG);
    return loss;
  };
}

/** The wasm loss kernel over all M examples of one data set, in order (codegen.ts's GeneratedLoss), or null. */
export function wasmLoss(
  shape: WasmShape,
  X: Float64Array,
  Y: Float64Array,
  M: number,
): ((P: Float64Array) => number) | null {
  if (!wasmSupported(shape, 1)) return null;
  let bound: Bound;
  try {
    bound = instantiate(shape, X, Y, M, false);
  } catch {
    return null;
  }
  const { fn, mP, mIdx } = bound;
  for (let i = 0; i < M; i++) mIdx[i] = i;
  return (P) => {
    mP.set(P);
    return fn(0, M, 0);
  };
}
