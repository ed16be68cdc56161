/**
 * Kernels generated for one fixed network shape: the whole forward and backward pass of one example is unrolled
 * into straight-line code over local variables (the parameters, loaded once per batch), looping only over the
 * examples of a batch. For the course's tiny networks this is 2.5–3× faster than the generic layer loops (measured):
 * no buffer traffic, no inner loops of length 2 or 5.
 *
 * The code computes exactly what network.ts computes, in the same order of operations (each sum in ascending
 * index order from 0, (p − y)·invM, the same activation and output templates), so the two paths agree bit for bit
 * while activations are finite (unitBlock states the one exception); a unit test checks that. Under relu the
 * backward pass skips dead units (z ≤ 0), exactly: ~25–40% off the course's circles runs (measured, CPU time).
 * Generation needs `new Function`, so callers fall back to the generic kernels where it is unavailable (a strict
 * CSP) or the network is too large to unroll (the generators return null). Kernels are cached by source and primed
 * (prime.ts) before first use.
 */
import type { OutputActivation } from '../types';
import type { ActivationFns } from './activations';
import { outputCode } from './loss';
import type { ParameterLayout } from './params';
import { primeGradients, primeLoss } from './prime';

/** Loss summed over examples idx[from … to−1] of X (n0 × M) and Y; G receives the gradient of that sum × invM. */
export type GeneratedGradients = (
  P: Float64Array,
  G: Float64Array,
  X: Float64Array,
  Y: Float64Array,
  M: number,
  idx: Int32Array,
  from: number,
  to: number,
  invM: number,
) => number;

/** Loss summed over all M examples of X and Y, in order. */
export type GeneratedLoss = (P: Float64Array, X: Float64Array, Y: Float64Array, M: number) => number;

/**
 * The longest kernel source generated. V8 does not optimize functions beyond a bytecode size limit, and an
 * unoptimized unrolled kernel is ~10× slower than the generic one: measured on [2,16,16,1], 63 k characters of
 * source ran 9× slower than generic while 44 k characters ([2,14,12,1]) still ran optimized.
 */
export const MAX_SOURCE_LENGTH = 40_000;

/**
 * Two-example interleaving pays only for small networks: 11–15% faster on the course's [2,10,5,1] and [2,5,2,1]
 * (17 k characters paired), but slower from about [2,10,10,1] on, where register pressure wins.
 */
export const MAX_PAIRED_SOURCE_LENGTH = 20_000;

/**
 * Lower bounds of the source's length per parameter, so the size can be checked before a source is built: every
 * weight is written at least once in the forward pass (and twice more with gradients). Measured 72–204 characters
 * per parameter for gradients and 34–153 for the loss over the course's shapes and wider ones (fewer for wider
 * layers, approaching the cost of one weight's terms); the bounds stay below the smallest.
 */
export const MIN_GRADIENT_CHARS_PER_PARAMETER = 60;
export const MIN_LOSS_CHARS_PER_PARAMETER = 30;

interface Shape {
  layout: ParameterLayout;
  activation: ActivationFns;
  output: OutputActivation;
}

const p = (i: number) => `p${i}`;
const g = (i: number) => `G[${i}]`;

/**
 * Straight-line code for one example's forward pass (and backward pass when `withGradients`), as a list of
 * statements. `sfx` suffixes every per-example name (example index `e`, label `y`, activations, deltas) so that
 * two examples' statements can be interleaved. The output block (which adds to the shared loss sum) is one entry.
 */
function exampleCode(shape: Shape, withGradients: boolean, sfx: string): string[] {
  const { layout, activation, output } = shape;
  const { slots, layers } = layout;
  const L = slots.length;
  const z = (l: number, i: number) => `z${l}_${i}${sfx}`;
  const a = (l: number, i: number) => (l === 0 ? `x${i}${sfx}` : `a${l}_${i}${sfx}`);
  const d = (l: number, i: number) => `d${l}_${i}${sfx}`;
  const e = `e${sfx}`;
  const y = `y${sfx}`;
  const lines: string[] = [];
  for (let k = 0; k < layers[0]!; k++) lines.push(`const ${a(0, k)} = X[${k === 0 ? '' : `${k} * M + `}${e}];`);
  lines.push(`const ${y} = Y[${e}];`);
  for (let l = 1; l <= L; l++) {
    const s = slots[l - 1]!;
    for (let i = 0; i < s.rows; i++) {
      const terms = [];
      for (let k = 0; k < s.cols; k++) terms.push(`${p(s.w + i * s.cols + k)} * ${a(l - 1, k)}`);
      lines.push(`const ${z(l, i)} = (${terms.join(' + ')}) + ${p(s.b + i)};`);
      if (l < L) lines.push(`const ${a(l, i)} = ${activation.forwardCode(z(l, i))};`);
    }
  }
  const out = slots[L - 1]!;
  const zs = Array.from({ length: out.rows }, (_, i) => z(L, i));
  const ds = withGradients ? Array.from({ length: out.rows }, (_, i) => d(L, i)) : null;
  lines.push(outputCode(output, zs, y, ds, sfx));
  if (!withGradients) return lines;
  // Output-layer bias gradients, then one block per hidden unit from the last hidden layer down (see unitBlock).
  for (let i = 0; i < out.rows; i++) lines.push(`${g(out.b + i)} += ${d(L, i)};`);
  for (let h = L - 1; h >= 1; h--) {
    for (let u = 0; u < layers[h]!; u++) lines.push(unitBlock(shape, h, u, z, a, d));
  }
  if (L === 1) {
    // No hidden layer: the output weights see the inputs directly.
    for (let i = 0; i < out.rows; i++) {
      for (let k = 0; k < out.cols; k++) lines.push(`${g(out.w + i * out.cols + k)} += ${d(1, i)} * ${a(0, k)};`);
    }
  }
  return lines;
}

type Name = (l: number, i: number) => string;

/**
 * The backward work of hidden unit u of layer h, as one statement: its delta d = (Σ_i W_{h+1}[i,u]·d_{h+1,i})·g′,
 * the gradient of its incoming weights and bias (G row u of layer h), and, when layer h + 1 is the output layer,
 * that layer's column u (d_{L,i}·a_{h,u}). Every G entry belongs to exactly one block, so blocks may be reordered
 * and interleaved between examples without changing any sum. Under relu the block runs only where z > 0: a dead
 * unit's delta is 0 and every gradient term it would add is ±0, which leaves the sums unchanged (they never hold
 * −0), so skipping it is exact. The one difference from the generic kernels: with an infinite activation, the
 * skipped 0·∞ would have made a gradient NaN; the run is then diverging either way.
 */
function unitBlock({ layout, activation }: Shape, h: number, u: number, z: Name, a: Name, d: Name): string {
  const { slots } = layout;
  const L = slots.length;
  const own = slots[h - 1]!;
  const next = slots[h]!;
  const terms = [];
  for (let i = 0; i < next.rows; i++) terms.push(`${p(next.w + i * next.cols + u)} * ${d(h + 1, i)}`);
  const sum = `(${terms.join(' + ')})`;
  const live = activation.liveCode?.(z(h, u));
  const body: string[] = [];
  // The delta is read by layer h − 1's blocks, so it is declared outside this one.
  if (live) body.push(`${d(h, u)} = ${sum};`);
  for (let k = 0; k < own.cols; k++) body.push(`${g(own.w + u * own.cols + k)} += ${d(h, u)} * ${a(h - 1, k)};`);
  body.push(`${g(own.b + u)} += ${d(h, u)};`);
  if (h + 1 === L) {
    for (let i = 0; i < next.rows; i++) body.push(`${g(next.w + i * next.cols + u)} += ${d(L, i)} * ${a(h, u)};`);
  }
  if (!live) return [`const ${d(h, u)} = ${sum} * ${activation.derivativeCode(z(h, u), a(h, u))};`, ...body].join('\n');
  return [`let ${d(h, u)} = 0;`, `if (${live}) {`, ...body, '}'].join('\n');
}

/**
 * Two consecutive examples per loop iteration, their statements interleaved one by one, so that the two dependency
 * chains overlap in the CPU (see MAX_PAIRED_SOURCE_LENGTH). Every shared sum still receives example j's term before example
 * j+1's (G[k] updates and the loss block keep their order), so the results are those of one example at a time.
 */
function exampleLoop(shape: Shape, withGradients: boolean, index: (j: string) => string, pairs: boolean): string[] {
  const first = exampleCode(shape, withGradients, '');
  if (!pairs) return ['for (let j = from; j < to; j++) {', `const e = ${index('j')};`, ...first, '}'];
  const second = exampleCode(shape, withGradients, 'B');
  const paired = first.flatMap((line, i) => [line, second[i]!]);
  return [
    'let j = from;',
    'for (; j + 1 < to; j += 2) {',
    `const e = ${index('j')}, eB = ${index('j + 1')};`,
    ...paired,
    '}',
    'if (j < to) {',
    `const e = ${index('j')};`,
    ...first,
    '}',
  ];
}

function loadParameters(size: number): string {
  return `const ${Array.from({ length: size }, (_, i) => `${p(i)} = P[${i}]`).join(', ')};`;
}

export function gradientsSource(shape: Shape, pairs = true): string {
  const n = shape.layout.size;
  return [
    '"use strict";',
    loadParameters(n),
    // Gradient sums live in G itself: as ~100 more locals they would spill anyway, and measured slower.
    `for (let i = 0; i < ${n}; i++) G[i] = 0;`,
    'let loss = 0, comp = 0;',
    ...exampleLoop(shape, true, (j) => `idx[${j}]`, pairs),
    'return loss + comp;',
  ].join('\n');
}

export function lossSource(shape: Shape, pairs = true): string {
  return [
    '"use strict";',
    loadParameters(shape.layout.size),
    'let loss = 0, comp = 0;',
    'const from = 0, to = M;',
    ...exampleLoop(shape, false, (j) => j, pairs),
    'return loss + comp;',
  ].join('\n');
}

/** The paired source for small networks, else the single-example one if V8 will optimize it, else null. */
function fitting(source: (pairs: boolean) => string, parameters: number, charsPerParameter: number): string | null {
  // Decided from the layer sizes before anything is built: [2,1000,1000,1] once spent 17 s building a source only
  // to find it far over the limit.
  if (parameters * charsPerParameter > MAX_SOURCE_LENGTH) return null;
  const paired = source(true);
  if (paired.length <= MAX_PAIRED_SOURCE_LENGTH) return paired;
  const single = source(false);
  return single.length <= MAX_SOURCE_LENGTH ? single : null;
}

/**
 * Compiled kernels by source text. A fresh kernel costs far more than its first epochs suggest: it runs in the
 * interpreter until V8 has optimized it (and OSR-compiled its loop), which measured ~80 ms of CPU time for
 * [2,10,5,1], a quarter of a whole 15000-epoch course run. Runs of the same shape (sweeps, comparisons, re-runs)
 * reuse the optimized function instead. Kernels hold no state between calls, so sharing them is safe. The cache is
 * small and forgets the oldest entry first, so a long-lived worker trying many shapes keeps a bounded set.
 */
const compiled = new Map<string, (...args: never[]) => number>();
const CACHE_SIZE = 16;

/** The cached kernel for this source, or a new one, primed (prime.ts) before anything else calls it. */
function compile<F>(params: string[], source: string, prime: (fn: F) => void): F {
  const key = `${params.join(',')}\n${source}`;
  let fn = compiled.get(key) as F | undefined;
  if (fn) {
    // Most recently used last, so that eviction takes the oldest.
    compiled.delete(key);
  } else {
    fn = new Function(...params, source) as F;
    prime(fn);
    if (compiled.size >= CACHE_SIZE) compiled.delete(compiled.keys().next().value!);
  }
  compiled.set(key, fn as (...args: never[]) => number);
  return fn;
}

/** The generated gradient kernel, or null when the network is too large for one (use the generic kernels). */
export function generateGradients(shape: Shape): GeneratedGradients | null {
  const source = fitting((pairs) => gradientsSource(shape, pairs), shape.layout.size, MIN_GRADIENT_CHARS_PER_PARAMETER);
  return source === null
    ? null
    : compile<GeneratedGradients>(['P', 'G', 'X', 'Y', 'M', 'idx', 'from', 'to', 'invM'], source, (fn) =>
        primeGradients(fn, shape.layout, shape.output),
      );
}

export function generateLoss(shape: Shape): GeneratedLoss | null {
  const source = fitting((pairs) => lossSource(shape, pairs), shape.layout.size, MIN_LOSS_CHARS_PER_PARAMETER);
  return source === null
    ? null
    : compile<GeneratedLoss>(['P', 'X', 'Y', 'M'], source, (fn) => primeLoss(fn, shape.layout, shape.output));
}
