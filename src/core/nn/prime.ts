/**
 * Priming a freshly generated kernel: one call on a small synthetic problem, made before any real data reaches it,
 * so that every branch of its code has run once when V8 optimizes it.
 *
 * Why: V8 compiles code that has never run (no type feedback) as a deoptimization exit. Under relu, a kernel whose
 * first real batches leave a unit dead everywhere (an all-zero init does, for every unit) is optimized without the
 * unit's backward block; the first live unit then throws the optimized code away, and the kernel is interpreted
 * and optimized all over again. Measured on the course's circles runs sharing one cached kernel: the run after
 * circles-zeros (circles-random) took ~430–490 ms of CPU instead of ~300 ms. Two calls: one with every unit live
 * and positive outputs, one with every unit dead and negative outputs, over every label. It is deterministic and
 * touches nothing outside its own buffers.
 */
import type { OutputActivation } from '../types';
import type { GeneratedGradients, GeneratedLoss } from './codegen';
import type { ParameterLayout } from './params';

/** An odd number of examples, so that the paired loop's remainder runs too. */
const EXAMPLES = 9;

interface Problem {
  X: Float64Array;
  Y: Float64Array;
  idx: Int32Array;
}

// A small LCG: values spread over (−1, 1), the same every time.
function lcg(): () => number {
  let state = 12345;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2147483648 - 1;
  };
}

function problem(layout: ParameterLayout, output: OutputActivation): Problem {
  const next = lcg();
  const X = Float64Array.from({ length: layout.layers[0]! * EXAMPLES }, next);
  const classes = output === 'sigmoid' ? 2 : layout.layers[layout.layers.length - 1]!;
  const Y = Float64Array.from({ length: EXAMPLES }, (_, j) => j % classes);
  const idx = Int32Array.from({ length: EXAMPLES }, (_, j) => j);
  return { X, Y, idx };
}

/**
 * Parameters whose biases decide every sign: weights below 1/(10·fan_in) in size, so |W·a| < 0.11 for the
 * activations these inputs produce, and biases `sign`·(1 + small), so that every unit is live (sign +1) or every
 * unit is dead and every output negative (sign −1). The bias steps keep softmax logits in varying order.
 */
function parameters(layout: ParameterLayout, sign: number): Float64Array {
  const next = lcg();
  const P = new Float64Array(layout.size);
  for (const s of layout.slots) {
    for (let t = 0; t < s.rows * s.cols; t++) P[s.w + t] = next() / (10 * s.cols);
    for (let i = 0; i < s.rows; i++) P[s.b + i] = sign * (1 + 0.01 * i);
  }
  return P;
}

/**
 * V8 allocates a function's feedback vector lazily, after several calls (8 in the V8 of Node 20) or a stretch of
 * bytecode, and the calls before that record nothing: both cases run that many times over.
 */
const SIGNS = [1, -1, 1, -1, 1, -1, 1, -1, 1, -1];

export function primeGradients(fn: GeneratedGradients, layout: ParameterLayout, output: OutputActivation): void {
  const { X, Y, idx } = problem(layout, output);
  const G = new Float64Array(layout.size);
  for (const sign of SIGNS) fn(parameters(layout, sign), G, X, Y, EXAMPLES, idx, 0, EXAMPLES, 1 / EXAMPLES);
}

export function primeLoss(fn: GeneratedLoss, layout: ParameterLayout, output: OutputActivation): void {
  const { X, Y } = problem(layout, output);
  for (const sign of SIGNS) fn(parameters(layout, sign), X, Y, EXAMPLES);
}
