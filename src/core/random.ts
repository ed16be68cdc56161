/**
 * numpy's legacy `RandomState` (MT19937 + the legacy distributions), bit for bit.
 *
 * Every seeded number in NN Lab comes from here so that a run reproduces the course's numpy output:
 * the same seed gives the same data, the same initial weights and the same mini-batch order.
 * Uniform and integer draws are exact. Gaussians use the polar method with a cached second value, exactly
 * like numpy's `legacy_gauss`, with a correctly rounded log (accurateLog below) in place of V8's Math.log: they
 * then differ from numpy only where glibc's log is itself off by an ulp (measured: 0.035% of 1e6 gaussians,
 * at most 3 ulp; docs/datasets.md).
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** The full generator state, as numpy's `get_state()` returns it (key, pos, has_gauss, cached_gaussian). */
export interface RandomStateSnapshot {
  key: number[];
  pos: number;
  hasGauss: boolean;
  gauss: number;
}

export class RandomState {
  private readonly key = new Uint32Array(N);
  private pos = N;
  private hasGauss = false;
  private gauss = 0;

  constructor(seed = 0) {
    this.seed(seed);
  }

  /** `np.random.seed(n)`: init_genrand, and drop any cached gaussian. */
  seed(seed: number): void {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`Seed must be an integer between 0 and 2**32 - 1, got ${seed}`);
    }
    let s = seed >>> 0;
    for (let i = 0; i < N; i++) {
      this.key[i] = s;
      s = (Math.imul(1812433253, (s ^ (s >>> 30)) >>> 0) + i + 1) >>> 0;
    }
    this.pos = N;
    this.hasGauss = false;
    this.gauss = 0;
  }

  getState(): RandomStateSnapshot {
    return { key: Array.from(this.key), pos: this.pos, hasGauss: this.hasGauss, gauss: this.gauss };
  }

  setState(state: RandomStateSnapshot): void {
    if (state.key.length !== N) throw new RangeError(`state.key must have ${N} words, got ${state.key.length}`);
    this.key.set(state.key.map((k) => k >>> 0));
    this.pos = state.pos;
    this.hasGauss = state.hasGauss;
    this.gauss = state.gauss;
  }

  /** One tempered 32-bit output of MT19937. */
  nextUint32(): number {
    if (this.pos >= N) this.generate();
    let y = this.key[this.pos++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  // The twist picks MATRIX_A with a mask instead of a branch: the low bit is random, so a branch mispredicts
  // half the time, and per-epoch reseeding makes this loop hot.
  private generate(): void {
    const key = this.key;
    let i = 0;
    for (; i < N - M; i++) {
      const y = (key[i]! & UPPER_MASK) | (key[i + 1]! & LOWER_MASK);
      key[i] = key[i + M]! ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    for (; i < N - 1; i++) {
      const y = (key[i]! & UPPER_MASK) | (key[i + 1]! & LOWER_MASK);
      key[i] = key[i + M - N]! ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    const y = (key[N - 1]! & UPPER_MASK) | (key[0]! & LOWER_MASK);
    key[N - 1] = key[M - 1]! ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    this.pos = 0;
  }

  /** `random_sample()`: a 53-bit double in [0, 1), (a>>5)·2^26 + (b>>6) over 2^53. */
  randomSample(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

  /** `standard_normal()` with numpy's legacy polar method; every second call returns the cached value. */
  standardNormal(): number {
    if (this.hasGauss) {
      const cached = this.gauss;
      this.hasGauss = false;
      this.gauss = 0;
      return cached;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2.0 * this.randomSample() - 1.0;
      x2 = 2.0 * this.randomSample() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 === 0.0);
    const f = Math.sqrt((-2.0 * accurateLog(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /** `normal(loc, scale)`: loc + scale·gauss, as numpy's legacy_normal computes it. */
  normal(loc = 0, scale = 1): number {
    return loc + scale * this.standardNormal();
  }

  /** `np.random.rand(r, c)`: an r×c matrix in row-major order, as rows. */
  rand(rows: number, cols: number): number[][] {
    return this.fillRows(rows, cols, () => this.randomSample());
  }

  /** `np.random.randn(r, c)`: an r×c standard-normal matrix in row-major order, as rows. */
  randn(rows: number, cols: number): number[][] {
    return this.fillRows(rows, cols, () => this.standardNormal());
  }

  /** Fills `out` with standard normals in order (row-major when `out` is a matrix's data). */
  fillStandardNormal(out: Float64Array, scale = 1): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = this.standardNormal() * scale;
    return out;
  }

  /** `normal(loc, scale, size=n)` into a new array. */
  normalArray(loc: number, scale: number, size: number): Float64Array {
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) out[i] = this.normal(loc, scale);
    return out;
  }

  /** numpy's `random_interval(max)`: uniform in [0, max] by masked rejection. */
  interval(max: number): number {
    if (max === 0) return 0;
    if (max > 0xffffffff) throw new RangeError('interval above 2**32 - 1 is not supported');
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do {
      value = (this.nextUint32() & mask) >>> 0;
    } while (value > max);
    return value;
  }

  /** `shuffle(array)`: Fisher–Yates from the end, in place, exactly as numpy's legacy `_shuffle_raw`. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i >= 1; i--) {
      const j = this.interval(i);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** `permutation(n)`: a shuffled arange(n). */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  /** `randint(low, high)`: integers in [low, high) with the masked rejection numpy's legacy path uses. */
  randint(low: number, high?: number, size?: number): Int32Array | number {
    if (high === undefined) {
      high = low;
      low = 0;
    }
    if (!(high > low)) throw new RangeError(`low >= high (${low} >= ${high})`);
    const range = high - 1 - low;
    if (size === undefined) return low + this.interval(range);
    const out = new Int32Array(size);
    for (let i = 0; i < size; i++) out[i] = low + this.interval(range);
    return out;
  }

  private fillRows(rows: number, cols: number, draw: () => number): number[][] {
    const out: number[][] = [];
    for (let r = 0; r < rows; r++) {
      const row = new Array<number>(cols);
      for (let c = 0; c < cols; c++) row[c] = draw();
      out.push(row);
    }
    return out;
  }
}

// ---- A correctly rounded (in practice) natural log for the polar method ----
// V8's Math.log (fdlibm) is faithful but not correctly rounded; glibc's log, which numpy calls, nearly always is.
// Evaluating log in double-double and rounding once makes the gaussians agree with numpy far more often
// (the measured rates are in docs/datasets.md). Module-level scratch keeps the evaluation allocation-free.

const SPLIT = 134217729; // 2^27 + 1, Dekker's splitter
const LN2_HI = 6.9314718036912381649e-1; // 32 significant bits, so k·LN2_HI is exact
const LN2_LO = 1.90821492927058770002e-10;
const SQRT2 = Math.SQRT2;
const THIRD_HI = 1 / 3;
const THIRD_LO = 1.850371707708594e-17; // 1/3 − THIRD_HI
const FIFTH_HI = 1 / 5;
const FIFTH_LO = -1.1102230246251566e-17; // 1/5 − FIFTH_HI
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer); // little-endian: words[1] holds sign, exponent and top mantissa

let lo = 0; // the low part of the last double-double result

/** hi + lo = a · b exactly (Dekker). */
function twoProd(a: number, b: number): number {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  lo = ah * bh - p + ah * bl + al * bh + al * bl;
  return p;
}

/** (ah, al) · (bh, bl) in double-double. */
function ddMul(ah: number, al: number, bh: number, bl: number): number {
  const p = twoProd(ah, bh);
  const e = lo + (ah * bl + al * bh);
  const hi = p + e;
  lo = e - (hi - p);
  return hi;
}

/** (ah, al) + (bh, bl) in double-double. */
function ddAdd(ah: number, al: number, bh: number, bl: number): number {
  const s = ah + bh;
  const v = s - ah;
  const e = ah - (s - v) + (bh - v) + al + bl;
  const hi = s + e;
  lo = e - (hi - s);
  return hi;
}

/**
 * ln(x) for finite x > 0, with an error far below half an ulp before the final rounding.
 * x = m·2^k with m in [√½, √2); ln m = 2·atanh(s), s = (m − 1)/(m + 1), |s| ≤ 0.172, summed in double-double.
 */
export function accurateLog(x: number): number {
  if (!(x > 0) || x === Number.POSITIVE_INFINITY) return Math.log(x);
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54: bring subnormals into the normal range
    k = -54;
  }
  bits[0] = x;
  k += (words[1]! >>> 20) - 1023;
  words[1] = (words[1]! & 0x000fffff) | 0x3ff00000;
  let m = bits[0]!;
  if (m > SQRT2) {
    m *= 0.5;
    k += 1;
  }
  // s = (m − 1)/(m + 1): m − 1 is exact (Sterbenz); m + 1 and the quotient are carried in double-double.
  const f = m - 1;
  const dh = m + 1;
  const dl = m - (dh - 1);
  const sh = f / dh;
  const p = twoProd(sh, dh);
  const sl = (f - p - lo - sh * dl) / dh;
  const th = ddMul(sh, sl, sh, sl);
  const tl = lo;
  // Tail 1/7 + t/9 + t²/11 + … in plain double: it is scaled by t³ ≤ 2.6e-5, so its rounding cannot show.
  let tail = 1 / 31;
  for (let n = 29; n >= 7; n -= 2) tail = 1 / n + th * tail;
  let h = ddMul(th, tl, tail, 0);
  h = ddAdd(FIFTH_HI, FIFTH_LO, h, lo);
  h = ddMul(th, tl, h, lo);
  h = ddAdd(THIRD_HI, THIRD_LO, h, lo);
  h = ddMul(th, tl, h, lo);
  h = ddAdd(1, 0, h, lo);
  h = ddMul(2 * sh, 2 * sl, h, lo); // ln m
  const lnm = lo;
  // k·ln2 + ln m, rounded once.
  return ddAdd(k * LN2_HI, k * LN2_LO, h, lnm);
}
