/**
 * The matrix products of a training step as one WebAssembly SIMD module, for any layer sizes (the sizes are
 * arguments, unlike kernel.ts's unrolled course kernels): C = A·B over rows r0 … r1−1 of C, with a fused epilogue.
 *
 *   forward   Z_l = W_l·H_{l−1} + b_l, and A_l = g(Z_l) for relu / leaky_relu / linear
 *   weights   dW_l = dZ_l·H_{l−1}ᵀ (H_{l−1}ᵀ given as a b × n_{l−1} matrix, so the product runs along its rows)
 *   back      dZ_{l−1} = (W_lᵀ·dZ_l) ⊙ g′(Z_{l−1}), or just W_lᵀ·dZ_l (dropout finishes it in JS)
 *
 * Bit for bit the generic kernels' (network.ts) arithmetic: every element of C is its own sum, started at +0 and
 * taking its terms in ascending order as mul then add (no fused multiply-add), then the same epilogue operations.
 * Tiling only decides which elements are computed side by side, never the order within one, so any tile shape and
 * any split of the rows between threads gives the same bits.
 *
 * Register tiling: ROWS rows of C × LANES v128 (2·LANES columns) per tile, the ROWS·LANES accumulators held in
 * locals across the whole sum; per step LANES loads of B's row, ROWS splat loads of A, and 2·ROWS·LANES
 * arithmetic operations. Edges: a 1-row tile, a 1-v128 tile and a scalar f64 column for odd widths, so no padding
 * is needed anywhere and a 1-example batch works like any other.
 *
 * Relaxed-SIMD fused multiply-add is not used: it rounds once where the generic kernels (and numpy's course
 * reference in plain numpy loops) round twice, and would change every trained number; Node 20 also has it only
 * behind a flag.
 */
import { LEAKY_SLOPE } from '../activations';
import { encodeModule, FunctionBody, Op, Simd, Type } from './encoder';
import { UPDATE_TYPE, updateBody } from './updates';

/** Rows of C per register tile. */
export const ROWS = 4;
/** v128s (two columns each) of C per register tile. */
export const LANES = 2;

/** Parameters of every exported product: byte addresses and strides, row range, sizes, epilogue. */
const PARAMS = ['a', 'ai', 'at', 'b', 'ldb', 'c', 'ldc', 'r0', 'r1', 'n', 'k', 'e1', 'e2', 'kind'] as const;
const P = Object.fromEntries(PARAMS.map((name, i) => [name, i])) as Record<(typeof PARAMS)[number], number>;

/** Epilogue kinds of `forward` (what A_l gets) and `back` (which g′). */
export const enum Forward {
  none = 0,
  relu = 1,
  leaky = 2,
  linear = 3,
}
export const enum Back {
  none = 0,
  relu = 1,
  leaky = 2,
  linear = 3,
  tanh = 4,
  sigmoid = 5,
}

type Width = 'v128' | 'f64';

interface Tile {
  f: FunctionBody;
  rows: number;
  lanes: number;
  width: Width;
  /** acc[r][v]: the accumulator of row r, v128 (or f64) v. */
  acc: number[][];
  /** rowC[r]: byte address of C's row r at the tile's first column. */
  rowC: number[];
  /** The tile's first row of C. */
  i: number;
}

type Epilogue = (tile: Tile, store: (value: () => void, r: number, v: number, base?: number) => void) => void;

/** Pushes C's epilogue companion address e + (row address − c) for row r, used by forward's A and back's Z, A. */
function companion(t: Tile, e: number, r: number): void {
  t.f.get(t.rowC[r]!).get(e).op(Op.i32Add).get(P.c).op(Op.i32Sub);
}

function load(t: Tile, r: number, v: number, e: number): void {
  companion(t, e, r);
  if (t.width === 'v128') t.f.simdMem(Simd.load, 3, v * 16);
  else t.f.mem(Op.f64Load, 3, 0);
}

function constant(t: Tile, x: number): void {
  if (t.width === 'v128') t.f.splatConst(x);
  else t.f.code.byte(Op.f64Const).f64(x);
}

function arith(t: Tile, op: 'add' | 'mul' | 'sub'): void {
  const ops = {
    add: [Simd.f64x2Add, Op.f64Add],
    mul: [Simd.f64x2Mul, Op.f64Mul],
    sub: [Simd.f64x2Sub, Op.f64Sub],
  } as const;
  if (t.width === 'v128') t.f.simd(ops[op][0]);
  else t.f.op(ops[op][1]);
}

/** Pushes (z > 0 ? x : y) given pushers for x and y, z loaded from the address pushed by zAt. */
function selectPositive(t: Tile, x: () => void, y: () => void, z: () => void): void {
  x();
  y();
  z();
  if (t.width === 'v128') {
    t.f.splatConst(0).simd(Simd.f64x2Gt).simd(Simd.bitselect);
  } else {
    t.f.code.byte(Op.f64Const).f64(0);
    t.f.op(Op.f64Gt).op(Op.select);
  }
}

/** Z = acc + bias; store Z; A = g(Z) for the forward kinds done here. */
const forwardEpilogue: Epilogue = (t, store) => {
  const { f } = t;
  const z = t.acc; // reused: acc becomes z
  for (let r = 0; r < t.rows; r++) {
    for (let v = 0; v < t.lanes; v++) {
      f.get(z[r]![v]!);
      // bias[i + r], splat
      f.get(t.i).i32(3).op(Op.i32Shl).get(P.e1).op(Op.i32Add);
      if (t.width === 'v128') f.simdMem(Simd.load64Splat, 3, r * 8);
      else f.mem(Op.f64Load, 3, r * 8);
      arith(t, 'add');
      f.set(z[r]![v]!);
      store(() => f.get(z[r]![v]!), r, v);
    }
  }
  const activation = (kind: Forward, value: (zr: number) => void) => {
    f.get(P.kind).i32(kind).op(Op.i32Eq).begin(Op.if);
    for (let r = 0; r < t.rows; r++) {
      for (let v = 0; v < t.lanes; v++) {
        store(() => value(z[r]![v]!), r, v, P.e2);
      }
    }
    f.op(Op.end);
  };
  const zero = () => constant(t, 0);
  activation(Forward.relu, (zr) =>
    selectPositive(
      t,
      () => f.get(zr),
      zero,
      () => f.get(zr),
    ),
  );
  activation(Forward.leaky, (zr) =>
    selectPositive(
      t,
      () => f.get(zr),
      () => (constant(t, LEAKY_SLOPE), f.get(zr), arith(t, 'mul')),
      () => f.get(zr),
    ),
  );
  activation(Forward.linear, (zr) => f.get(zr));
};

/** dZ = acc · g′(Z, A), Z at e1 and A at e2 laid out like C; kind none stores acc. */
const backEpilogue: Epilogue = (t, store) => {
  const { f } = t;
  const derivative = (kind: Back, factor: (r: number, v: number) => void) => {
    f.get(P.kind).i32(kind).op(Op.i32Eq).begin(Op.if);
    for (let r = 0; r < t.rows; r++) {
      for (let v = 0; v < t.lanes; v++) store(() => (f.get(t.acc[r]![v]!), factor(r, v), arith(t, 'mul')), r, v);
    }
    f.op(Op.else);
  };
  const z = (r: number, v: number) => () => load(t, r, v, P.e1);
  const a = (r: number, v: number) => load(t, r, v, P.e2);
  derivative(Back.relu, (r, v) =>
    selectPositive(
      t,
      () => constant(t, 1),
      () => constant(t, 0),
      z(r, v),
    ),
  );
  derivative(Back.leaky, (r, v) =>
    selectPositive(
      t,
      () => constant(t, 1),
      () => constant(t, LEAKY_SLOPE),
      z(r, v),
    ),
  );
  derivative(Back.linear, () => constant(t, 1));
  // tanh: 1 − a·a; sigmoid: a·(1 − a), as activations.ts.
  derivative(Back.tanh, (r, v) => (constant(t, 1), a(r, v), a(r, v), arith(t, 'mul'), arith(t, 'sub')));
  derivative(Back.sigmoid, (r, v) => (a(r, v), constant(t, 1), a(r, v), arith(t, 'sub'), arith(t, 'mul')));
  for (let r = 0; r < t.rows; r++) for (let v = 0; v < t.lanes; v++) store(() => f.get(t.acc[r]![v]!), r, v);
  for (let kind = 0; kind < 5; kind++) f.op(Op.end);
};

const plainEpilogue: Epilogue = (t, store) => {
  for (let r = 0; r < t.rows; r++) for (let v = 0; v < t.lanes; v++) store(() => t.f.get(t.acc[r]![v]!), r, v);
};

/**
 * One exported product: for rows i of [r0, r1) and columns j of [0, n), C[i, j] = epilogue(Σ_{t<k} A(i, t)·B[t, j]),
 * A(i, t) the f64 at a + i·ai + t·at, B's row t at b + t·ldb, C's row i at c + i·ldc (bytes).
 */
function productBody(epilogue: Epilogue): FunctionBody {
  const f = new FunctionBody(PARAMS.length);
  const i = f.local(Type.i32);
  const j = f.local(Type.i32);
  const t = f.local(Type.i32);
  const pb = f.local(Type.i32);
  const pa = Array.from({ length: ROWS }, () => f.local(Type.i32));
  const rowC = Array.from({ length: ROWS }, () => f.local(Type.i32));
  const vacc = Array.from({ length: ROWS }, () => Array.from({ length: LANES }, () => f.local(Type.v128)));
  const sacc = Array.from({ length: ROWS }, () => [f.local(Type.f64)]);
  const vb = Array.from({ length: LANES }, () => f.local(Type.v128));
  const sb = f.local(Type.f64);
  const splat = f.local(Type.v128);
  const sa = f.local(Type.f64);

  const whileLoop = (cond: () => void, body: () => void) => whileIn(f, cond, body);

  const tile = (rows: number, lanes: number, width: Width) => {
    const acc = width === 'v128' ? vacc.map((row) => row.slice(0, lanes)) : sacc;
    // Row pointers into A, B's column pointer, zeroed accumulators.
    f.get(P.a).get(i).get(P.ai).op(Op.i32Mul).op(Op.i32Add).set(pa[0]!);
    for (let r = 1; r < rows; r++)
      f.get(pa[r - 1]!)
        .get(P.ai)
        .op(Op.i32Add)
        .set(pa[r]!);
    f.get(P.b).get(j).i32(3).op(Op.i32Shl).op(Op.i32Add).set(pb);
    for (let r = 0; r < rows; r++) {
      for (const local of acc[r]!) {
        if (width === 'v128') f.splatConst(0).set(local);
        else {
          f.code.byte(Op.f64Const).f64(0);
          f.set(local);
        }
      }
    }
    f.get(P.k).set(t);
    whileLoop(
      () => f.get(t),
      () => {
        for (let v = 0; v < acc[0]!.length; v++) {
          if (width === 'v128')
            f.get(pb)
              .simdMem(Simd.load, 3, v * 16)
              .set(vb[v]!);
          else f.get(pb).mem(Op.f64Load, 3, 0).set(sb);
        }
        for (let r = 0; r < rows; r++) {
          if (width === 'v128') f.get(pa[r]!).simdMem(Simd.load64Splat, 3, 0).set(splat);
          else f.get(pa[r]!).mem(Op.f64Load, 3, 0).set(sa);
          acc[r]!.forEach((local, v) => {
            f.get(local)
              .get(width === 'v128' ? splat : sa)
              .get(width === 'v128' ? vb[v]! : sb);
            if (width === 'v128') f.simd(Simd.f64x2Mul).simd(Simd.f64x2Add);
            else f.op(Op.f64Mul).op(Op.f64Add);
            f.set(local);
          });
          f.get(pa[r]!).get(P.at).op(Op.i32Add).set(pa[r]!);
        }
        f.get(pb).get(P.ldb).op(Op.i32Add).set(pb);
        f.get(t).i32(1).op(Op.i32Sub).set(t);
      },
    );
    f.get(P.c).get(i).get(P.ldc).op(Op.i32Mul).op(Op.i32Add).get(j).i32(3).op(Op.i32Shl).op(Op.i32Add).set(rowC[0]!);
    for (let r = 1; r < rows; r++)
      f.get(rowC[r - 1]!)
        .get(P.ldc)
        .op(Op.i32Add)
        .set(rowC[r]!);
    const lanesHere = acc[0]!.length;
    const context: Tile = { f, rows, lanes: lanesHere, width, acc, rowC, i };
    epilogue(context, (value, r, v, base) => {
      if (base === undefined) f.get(rowC[r]!);
      else companion(context, base, r);
      value();
      if (width === 'v128') f.simdMem(Simd.store, 3, v * 16);
      else f.mem(Op.f64Store, 3, 0);
    });
  };

  const columns = (rows: number) => {
    f.i32(0).set(j);
    whileLoop(
      () =>
        f
          .get(j)
          .i32(2 * LANES)
          .op(Op.i32Add)
          .get(P.n)
          .op(Op.i32LeS),
      () => (
        tile(rows, LANES, 'v128'),
        f
          .get(j)
          .i32(2 * LANES)
          .op(Op.i32Add)
          .set(j)
      ),
    );
    if (LANES > 1) {
      whileLoop(
        () => f.get(j).i32(2).op(Op.i32Add).get(P.n).op(Op.i32LeS),
        () => (tile(rows, 1, 'v128'), f.get(j).i32(2).op(Op.i32Add).set(j)),
      );
    }
    f.get(j).get(P.n).op(Op.i32LtS).begin(Op.if);
    tile(rows, 1, 'f64');
    f.op(Op.end);
  };

  f.get(P.r0).set(i);
  whileLoop(
    () => f.get(i).i32(ROWS).op(Op.i32Add).get(P.r1).op(Op.i32LeS),
    () => (columns(ROWS), f.get(i).i32(ROWS).op(Op.i32Add).set(i)),
  );
  whileLoop(
    () => f.get(i).get(P.r1).op(Op.i32LtS),
    () => (columns(1), f.get(i).i32(1).op(Op.i32Add).set(i)),
  );
  return f;
}

export const PRODUCTS = ['forward', 'weights', 'back'] as const;
export type ProductName = (typeof PRODUCTS)[number];

/** while (cond) { body } in `f`: cond pushes an i32 that is true to continue. */
function whileIn(f: FunctionBody, cond: () => void, body: () => void): void {
  f.begin(Op.block).begin(Op.loop);
  cond();
  f.op(Op.i32Eqz).op(Op.brIf).code.u32(1);
  body();
  f.op(Op.br).code.u32(0);
  f.op(Op.end).op(Op.end);
}

/**
 * transpose(src, rows, cols, dst): dst (cols × rows) = srcᵀ, src rows × cols, f64, byte addresses. In wasm rather
 * than JS because a JS loop over doubles that V8 has not optimized (yet, or again) boxes every value it moves. In
 * TRANSPOSE_BLOCK² blocks: row by row, every value of a src row went to another dst row, so each store missed the
 * cache once dst outgrew it (measured: a 128 × 784 batch's transpose took 4% of a 784-wide run).
 */
const TRANSPOSE_BLOCK = 8;

function transposeBody(): FunctionBody {
  const f = new FunctionBody(4);
  const [SRC, ROWS_, COLS, DST] = [0, 1, 2, 3];
  const [k0, j0, k, j, kEnd, jEnd, from, to, step] = Array.from({ length: 9 }, () => f.local(Type.i32));
  /** Pushes min(local + TRANSPOSE_BLOCK, bound). */
  const blockEnd = (start: number, bound: number) => {
    f.get(start).i32(TRANSPOSE_BLOCK).op(Op.i32Add).get(bound);
    f.get(start).i32(TRANSPOSE_BLOCK).op(Op.i32Add).get(bound).op(Op.i32LtS).op(Op.select);
  };
  f.get(ROWS_).i32(3).op(Op.i32Shl).set(step);
  f.i32(0).set(k0);
  whileIn(
    f,
    () => f.get(k0).get(ROWS_).op(Op.i32LtS),
    () => {
      blockEnd(k0, ROWS_);
      f.set(kEnd);
      f.i32(0).set(j0);
      whileIn(
        f,
        () => f.get(j0).get(COLS).op(Op.i32LtS),
        () => {
          blockEnd(j0, COLS);
          f.set(jEnd);
          f.get(k0).set(k);
          whileIn(
            f,
            () => f.get(k).get(kEnd).op(Op.i32LtS),
            () => {
              f.get(SRC)
                .get(k)
                .get(COLS)
                .op(Op.i32Mul)
                .get(j0)
                .op(Op.i32Add)
                .i32(3)
                .op(Op.i32Shl)
                .op(Op.i32Add)
                .set(from);
              f.get(DST)
                .get(j0)
                .get(ROWS_)
                .op(Op.i32Mul)
                .get(k)
                .op(Op.i32Add)
                .i32(3)
                .op(Op.i32Shl)
                .op(Op.i32Add)
                .set(to);
              f.get(j0).set(j);
              whileIn(
                f,
                () => f.get(j).get(jEnd).op(Op.i32LtS),
                () => {
                  f.get(to).get(from).mem(Op.f64Load, 3, 0).mem(Op.f64Store, 3, 0);
                  f.get(from).i32(8).op(Op.i32Add).set(from);
                  f.get(to).get(step).op(Op.i32Add).set(to);
                  f.get(j).i32(1).op(Op.i32Add).set(j);
                },
              );
              f.get(k).i32(1).op(Op.i32Add).set(k);
            },
          );
          f.get(j0).i32(TRANSPOSE_BLOCK).op(Op.i32Add).set(j0);
        },
      );
      f.get(k0).i32(TRANSPOSE_BLOCK).op(Op.i32Add).set(k0);
    },
  );
  return f;
}

/** rowSums(src, rows, n, dst): dst[i] = Σ_j src[i, j], each sum from +0 in ascending j (the bias gradients). */
function rowSumsBody(): FunctionBody {
  const f = new FunctionBody(4);
  const [SRC, ROWS_, N, DST] = [0, 1, 2, 3];
  const i = f.local(Type.i32);
  const j = f.local(Type.i32);
  const at = f.local(Type.i32);
  const sum = f.local(Type.f64);
  f.get(SRC).set(at);
  f.i32(0).set(i);
  whileIn(
    f,
    () => f.get(i).get(ROWS_).op(Op.i32LtS),
    () => {
      f.code.byte(Op.f64Const).f64(0);
      f.set(sum);
      f.i32(0).set(j);
      whileIn(
        f,
        () => f.get(j).get(N).op(Op.i32LtS),
        () => {
          f.get(sum).get(at).mem(Op.f64Load, 3, 0).op(Op.f64Add).set(sum);
          f.get(at).i32(8).op(Op.i32Add).set(at);
          f.get(j).i32(1).op(Op.i32Add).set(j);
        },
      );
      f.get(DST).get(i).i32(3).op(Op.i32Shl).op(Op.i32Add).get(sum).mem(Op.f64Store, 3, 0);
      f.get(i).i32(1).op(Op.i32Add).set(i);
    },
  );
  return f;
}

/** Helpers exported beside the products, each (i32 × 4) → (). */
export const HELPERS = ['transpose', 'rowSums'] as const;
export type HelperName = (typeof HELPERS)[number];
export type Helper = (src: number, rows: number, cols: number, dst: number) => void;

/**
 * The module's bytes. `sharedMaxPages` makes it import a shared memory of that many pages at most (for threads);
 * otherwise it imports an ordinary memory.
 */
export function productsModule(memoryPages: number, sharedMaxPages?: number): Uint8Array {
  const epilogues: Record<ProductName, Epilogue> = {
    forward: forwardEpilogue,
    weights: plainEpilogue,
    back: backEpilogue,
  };
  const helpers: Record<HelperName, () => FunctionBody> = { transpose: transposeBody, rowSums: rowSumsBody };
  return encodeModule({
    types: [
      { params: PARAMS.map(() => Type.i32), results: [] },
      { params: [Type.i32, Type.i32, Type.i32, Type.i32], results: [] },
      UPDATE_TYPE,
    ],
    memoryPages,
    ...(sharedMaxPages === undefined ? {} : { sharedMaxPages }),
    functions: [
      ...PRODUCTS.map((name) => ({ type: 0, body: productBody(epilogues[name]), export: name })),
      ...HELPERS.map((name) => ({ type: 1, body: helpers[name](), export: name })),
      { type: 2, body: updateBody(), export: 'update' },
    ],
  });
}

export type Product = (
  a: number,
  ai: number,
  at: number,
  b: number,
  ldb: number,
  c: number,
  ldc: number,
  r0: number,
  r1: number,
  n: number,
  k: number,
  e1: number,
  e2: number,
  kind: number,
) => void;
