/**
 * The optimizers' parameter updates (optimizers.ts) as one WebAssembly function over buffers in the tiled kernels'
 * memory, two parameters per f64x2 operation. Every value is computed with the same operations in the same order as
 * optimizers.ts's JS loops (mul, add, sub, div and sqrt are exactly rounded in both), so the bits are the same; the
 * gain is the SIMD width and no copy of P and G in and out of the kernel's memory around each step.
 *
 *   update(rule, n, p, g, v, s, lr, β1, 1−β1, β2, 1−β2, ε, c1, c2)
 *
 * p, g, v, s are byte addresses of n doubles; β1 is momentum's β or RMSProp's ρ; c1, c2 are Adam's bias corrections
 * (1 − β1^t, 1 − β2^t) for this step.
 */
import type { UpdateRule } from '../optimizers';
import { FunctionBody, Op, Simd, Type } from './encoder';

export const UPDATE_CODE: Record<UpdateRule, number> = { gd: 0, momentum: 1, nesterov: 2, rmsprop: 3, adam: 4 };

export type Update = (
  rule: number,
  n: number,
  p: number,
  g: number,
  v: number,
  s: number,
  lr: number,
  beta1: number,
  oneMinusBeta1: number,
  beta2: number,
  oneMinusBeta2: number,
  epsilon: number,
  c1: number,
  c2: number,
) => void;

const POINTERS = ['p', 'g', 'v', 's'] as const;
const SCALARS = ['lr', 'b1', 'ob1', 'b2', 'ob2', 'eps', 'c1', 'c2'] as const;
type Scalar = (typeof SCALARS)[number];
type Pointer = (typeof POINTERS)[number];

export const UPDATE_TYPE = {
  params: [Type.i32, Type.i32, ...POINTERS.map(() => Type.i32), ...SCALARS.map(() => Type.f64)],
  results: [],
};

/**
 * Each rule as optimizers.ts's loop writes it, one assignment per line in postfix (a pointer's name loads its value,
 * a scalar's name pushes it); a later line reads the value an earlier one stored, as the JS loop does.
 */
const RULES: Record<UpdateRule, Array<[Pointer, string]>> = {
  gd: [['p', 'p lr g * -']],
  momentum: [
    ['v', 'b1 v * ob1 g * +'],
    ['p', 'p lr v * -'],
  ],
  nesterov: [
    ['v', 'b1 v * ob1 g * +'],
    ['p', 'p lr b1 v * ob1 g * + * -'],
  ],
  rmsprop: [
    ['s', 'b1 s * ob1 g g * * +'],
    ['p', 'p lr g * s sqrt eps + / -'],
  ],
  adam: [
    ['v', 'b1 v * ob1 g * +'],
    ['s', 'b2 s * ob2 g g * * +'],
    ['p', 'p lr v c1 / * s c2 / sqrt eps + / -'],
  ],
};

const OPERATORS = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', sqrt: 'sqrt' } as const;

export function updateBody(): FunctionBody {
  const f = new FunctionBody(2 + POINTERS.length + SCALARS.length);
  const RULE = 0;
  const N = 1;
  const param = (name: Scalar) => 2 + POINTERS.length + SCALARS.indexOf(name);
  const left = f.local(Type.i32);
  const cursor = Object.fromEntries(POINTERS.map((name) => [name, f.local(Type.i32)])) as Record<Pointer, number>;
  const splat = Object.fromEntries(SCALARS.map((name) => [name, f.local(Type.v128)])) as Record<Scalar, number>;
  for (const name of SCALARS) f.get(param(name)).simd(Simd.f64x2Splat).set(splat[name]);

  const ops = {
    v128: { add: Simd.f64x2Add, sub: Simd.f64x2Sub, mul: Simd.f64x2Mul, div: Simd.f64x2Div, sqrt: Simd.f64x2Sqrt },
    f64: { add: Op.f64Add, sub: Op.f64Sub, mul: Op.f64Mul, div: Op.f64Div, sqrt: Op.f64Sqrt },
  } as const;
  /** One assignment of a rule at one width. */
  const assign = (width: 'v128' | 'f64', target: Pointer, program: string) => {
    f.get(cursor[target]);
    for (const token of program.split(' ')) {
      if (token in OPERATORS) {
        const op = OPERATORS[token as keyof typeof OPERATORS];
        if (width === 'v128') f.simd(ops.v128[op]);
        else f.op(ops.f64[op]);
      } else if ((POINTERS as readonly string[]).includes(token)) {
        f.get(cursor[token as Pointer]);
        if (width === 'v128') f.simdMem(Simd.load, 3, 0);
        else f.mem(Op.f64Load, 3, 0);
      } else {
        f.get(width === 'v128' ? splat[token as Scalar] : param(token as Scalar));
      }
    }
    if (width === 'v128') f.simdMem(Simd.store, 3, 0);
    else f.mem(Op.f64Store, 3, 0);
  };

  /** while (left ≥ step) { rule at this width; advance every cursor by step doubles }. */
  const sweep = (rule: UpdateRule, width: 'v128' | 'f64') => {
    const step = width === 'v128' ? 2 : 1;
    f.begin(Op.block).begin(Op.loop);
    f.get(left).i32(step).op(Op.i32LtS).op(Op.brIf).code.u32(1);
    for (const [target, program] of RULES[rule]) assign(width, target, program);
    for (const name of POINTERS)
      f.get(cursor[name])
        .i32(8 * step)
        .op(Op.i32Add)
        .set(cursor[name]);
    f.get(left).i32(step).op(Op.i32Sub).set(left);
    f.op(Op.br).code.u32(0);
    f.op(Op.end).op(Op.end);
  };

  f.get(N).set(left);
  POINTERS.forEach((name, i) => f.get(2 + i).set(cursor[name]));
  for (const rule of Object.keys(RULES) as UpdateRule[]) {
    f.get(RULE).i32(UPDATE_CODE[rule]).op(Op.i32Eq).begin(Op.if);
    sweep(rule, 'v128');
    sweep(rule, 'f64');
    f.op(Op.end);
  }
  return f;
}
