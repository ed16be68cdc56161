/**
 * exp and log1p on both float64 lanes of a v128, emitted inline into a kernel body. Calling Math.exp and
 * Math.log1p from wasm per lane costs ~17 ns per call in Node 20 (measured: the [2,10,5,1] kernel ran 20.6 µs per
 * 301-example batch with the calls, 10.7 µs without), more than the rest of the step, hence these.
 *
 * Both follow the classic fdlibm designs, written here from the algorithms' descriptions (argument reduction,
 * then a minimax approximation with its published coefficients, and fdlibm's case splits done branch-free with
 * lane masks), so that they round like V8's Math.exp and Math.log1p, which are fdlibm's: in Node 20 they agree to
 * the bit on all of 6 M arguments tried in the ranges the loss uses. The unit tests check ≤ 1 ulp, and equality for
 * nearly all arguments, against Math.
 *
 *   exp(x), for x ≤ 0 (the loss calls it on −|z|): k = round(x/ln2), r = x − k·ln2 in two parts (hi − lo),
 *     c = r − r²·P(r²), exp(r) = 1 − ((lo − r·c/(2 − c)) − hi), scaled by 2^k as two exact factors 2^⌊k/2⌋ and
 *     2^(k−⌊k/2⌋), so that a subnormal result is rounded once. Below −746 the result is 0 (exp rounds to 0 there).
 *   log1p(x), for 0 ≤ x ≤ 1 (the loss calls it on e^−|z|): below ≈ √2 − 1, log(1 + f) with f = x exactly; above,
 *     u = 1 + x = 2·(1 + f) with f = u/2 − 1 (exact) and the rounding error of 1 + x carried as c = (x − (u−1))/u;
 *     log(1 + f) = f − (f²/2 − s·(f²/2 + R(s²))), s = f/(2 + f), plus k·ln2 in two parts.
 */
import { encodeModule, FunctionBody, Simd, Type } from './encoder';

const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.442695040888963387;
/** 1.5·2^52: adding it rounds a float64 below 2^51 in size to an integer, which lands in the low mantissa bits. */
const SHIFTER = 6755399441055744;
const EXP_P = [
  1.66666666666666019037e-1, -2.77777777770155933842e-3, 6.61375632143793436117e-5, -1.6533902205465251539e-6,
  4.13813679705723846039e-8,
];
const LOG_LG = [
  6.66666666666673513e-1, 3.999999999940941908e-1, 2.857142874366239149e-1, 2.222219843214978396e-1,
  1.818357216161805012e-1, 1.531383769920937332e-1, 1.479819860511658591e-1,
];
/** fdlibm's switch point between f = x and u = 1 + x (high word 0x3FDA827A), just above √2 − 1. */
const LOG1P_SPLIT = 0.4142136573791504;
const TWO_M28 = 2 ** -28;
const TWO_M29 = 2 ** -29;

/** Scratch v128 locals shared by the emitters (one set per function body). */
export interface MathScratch {
  f: FunctionBody;
  t: number[];
}

export function mathScratch(f: FunctionBody): MathScratch {
  return { f, t: Array.from({ length: 8 }, () => f.local(Type.v128)) };
}

const mul = (f: FunctionBody) => f.simd(Simd.f64x2Mul);
const add = (f: FunctionBody) => f.simd(Simd.f64x2Add);
const sub = (f: FunctionBody) => f.simd(Simd.f64x2Sub);

/** Horner's rule: c0 + w·(c1 + w·(c2 + …)) with w in local `w`, left on the stack. */
function horner(f: FunctionBody, w: number, cs: number[]): void {
  for (let i = 0; i < cs.length - 1; i++) f.splatConst(cs[i]!).get(w);
  f.splatConst(cs[cs.length - 1]!);
  for (let i = 0; i < cs.length - 1; i++) {
    mul(f);
    add(f);
  }
}

/** out = exp(x) lane by lane, for x ≤ 0 (or NaN). `x` and `out` may be the same local. */
export function emitExp({ f, t }: MathScratch, x: number, out: number): void {
  const [xc, kd, k, hi, lo, r, c, rr] = t as [number, number, number, number, number, number, number, number];
  // x < −746 → −746 (exp rounds to 0 either way; keeps k·ln2 finite); pmax keeps a NaN x.
  f.get(x).splatConst(-746).simd(Simd.f64x2Pmax).set(xc);
  f.get(xc).splatConst(INV_LN2);
  mul(f);
  f.splatConst(SHIFTER);
  add(f);
  f.tee(kd).splatConst(SHIFTER);
  sub(f);
  f.set(k);
  f.get(xc).get(k).splatConst(LN2_HI);
  mul(f);
  sub(f);
  f.set(hi);
  f.get(k).splatConst(LN2_LO);
  mul(f);
  f.set(lo);
  f.get(hi).get(lo);
  sub(f);
  f.tee(r).get(r);
  mul(f);
  f.set(rr);
  // c = r − r²·(P1 + r²·(P2 + …))
  f.get(r).get(rr);
  horner(f, rr, EXP_P);
  mul(f);
  sub(f);
  f.set(c);
  // y = 1 − ((lo − r·c/(2 − c)) − hi)
  f.splatConst(1).get(lo).get(r).get(c);
  mul(f);
  f.splatConst(2).get(c);
  sub(f);
  f.simd(Simd.f64x2Div);
  sub(f);
  f.get(hi);
  sub(f);
  sub(f);
  // k as int64 lanes: the bits of kd minus those of the shifter. Then y·2^k1·2^k2, k1 = k >> 1, k2 = k − k1.
  f.get(kd).splatConst(SHIFTER).simd(Simd.i64x2Sub).set(k);
  f.get(k).i32(1).simd(Simd.i64x2ShrS).set(c);
  f.get(c).i64x2(1023).simd(Simd.i64x2Add).i32(52).simd(Simd.i64x2Shl);
  mul(f);
  f.get(k).get(c).simd(Simd.i64x2Sub).i64x2(1023).simd(Simd.i64x2Add).i32(52).simd(Simd.i64x2Shl);
  mul(f);
  // |x| < 2^−28: 1 + x, as fdlibm (the formula above can differ there by an ulp). bitselect keeps y where |x| ≥ 2^−28.
  f.splatConst(1).get(x);
  add(f);
  f.get(x).simd(Simd.f64x2Abs).splatConst(TWO_M28).simd(Simd.f64x2Ge);
  f.simd(Simd.bitselect).set(out);
}

/** out = log1p(x) lane by lane, for 0 ≤ x ≤ 1. `x` and `out` may be the same local. */
export function emitLog1p({ f, t }: MathScratch, x: number, out: number): void {
  const [u, big, fr, c, kf, s, z, w] = t as [number, number, number, number, number, number, number, number];
  f.splatConst(1).get(x);
  add(f);
  f.set(u);
  f.get(x).splatConst(LOG1P_SPLIT).simd(Simd.f64x2Ge).set(big);
  // f = big ? u/2 − 1 : x;  c = big ? (x − (u − 1))/u : 0;  k = big ? 1 : 0
  f.get(u).splatConst(0.5);
  mul(f);
  f.splatConst(1);
  sub(f);
  f.get(x).get(big).simd(Simd.bitselect).set(fr);
  f.get(x).get(u).splatConst(1);
  sub(f);
  sub(f);
  f.get(u).simd(Simd.f64x2Div).get(big).simd(Simd.and).set(c);
  f.splatConst(1).get(big).simd(Simd.and).set(kf);
  // s = f/(2 + f), z = s²; R = z·(Lg1 + z·(Lg2 + … + z·Lg7)) (one Horner chain, as fdlibm's log1p)
  f.get(fr).splatConst(2).get(fr);
  add(f);
  f.simd(Simd.f64x2Div).tee(s).get(s);
  mul(f);
  f.set(z);
  f.get(z);
  horner(f, z, LOG_LG);
  mul(f);
  f.set(z); // z now holds R
  // hfsq = 0.5·f·f (kept in w)
  f.splatConst(0.5).get(fr);
  mul(f);
  f.get(fr);
  mul(f);
  f.set(w);
  // k·ln2_hi − ((hfsq − (s·(hfsq + R) + (k·ln2_lo + c))) − f)
  f.get(kf).splatConst(LN2_HI);
  mul(f);
  f.get(w).get(s).get(w).get(z);
  add(f);
  mul(f);
  f.get(kf).splatConst(LN2_LO);
  mul(f);
  f.get(c);
  add(f);
  add(f);
  sub(f);
  f.get(fr);
  sub(f);
  sub(f);
  // x < 2^−29: x − x²/2, as fdlibm (for x < 2^−54 that rounds to x); the formula's value is kept where x ≥ 2^−29.
  f.get(x).get(x).get(x);
  mul(f);
  f.splatConst(0.5);
  mul(f);
  sub(f);
  f.get(x).splatConst(TWO_M29).simd(Simd.f64x2Ge);
  f.simd(Simd.bitselect).set(out);
}

/** A module exporting exp and log1p as (f64) → f64 through the emitters above, lane 0 (for tests). */
export function mathTestModule(): Uint8Array {
  const functions = (['exp', 'log1p'] as const).map((name) => {
    const f = new FunctionBody(1);
    const v = f.local(Type.v128);
    const scratch = mathScratch(f);
    f.get(0).simd(Simd.f64x2Splat).set(v);
    (name === 'exp' ? emitExp : emitLog1p)(scratch, v, v);
    f.get(v).lane(Simd.f64x2ExtractLane, 0);
    return { type: 0, body: f, export: name };
  });
  return encodeModule({ types: [{ params: [Type.f64], results: [Type.f64] }], memoryPages: 1, functions });
}
