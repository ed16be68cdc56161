/**
 * Hidden-layer activations, each paired with its derivative in one place.
 *
 * Every activation is given twice, side by side: as plain functions (used by the generic kernels and by
 * prediction, which may run where `new Function` is forbidden, e.g. a webview under a strict CSP) and as
 * JavaScript expression templates (used by the generated fixed-shape kernels in codegen.ts). The
 * generated-vs-generic test checks that the two forms agree bit for bit.
 */
import type { Activation } from '../types';

/** The slope of leaky_relu for z ≤ 0 (the usual 0.01). */
export const LEAKY_SLOPE = 0.01;

export interface ActivationFns {
  /** a = g(z). */
  forward(z: number): number;
  /** g′(z), given z and a = g(z): whichever makes it cheapest (tanh and sigmoid reuse a). */
  derivative(z: number, a: number): number;
  /** The same g(z) as a JavaScript expression over the variable named `z`. */
  forwardCode(z: string): string;
  /** The same g′ as a JavaScript expression over the variables named `z` and `a`. */
  derivativeCode(z: string, a: string): string;
  /**
   * Where g′ can be exactly 0 over a whole half-line (relu): an expression over `z` that is true where g′ = 1, so
   * that generated kernels skip a dead unit's backward work (its delta is 0, its weight gradients get nothing).
   */
  liveCode?(z: string): string;
}

export const ACTIVATIONS: Readonly<Record<Activation, ActivationFns>> = {
  // The course's relu is np.maximum(0, z) and its backward pass multiplies by (a > 0).
  relu: {
    forward: (z) => (z > 0 ? z : 0),
    derivative: (z) => (z > 0 ? 1 : 0),
    forwardCode: (z) => `(${z} > 0 ? ${z} : 0)`,
    derivativeCode: (z) => `(${z} > 0 ? 1 : 0)`,
    liveCode: (z) => `${z} > 0`,
  },
  tanh: {
    forward: (z) => Math.tanh(z),
    derivative: (_z, a) => 1 - a * a,
    forwardCode: (z) => `Math.tanh(${z})`,
    derivativeCode: (_z, a) => `(1 - ${a} * ${a})`,
  },
  // The course's sigmoid, 1/(1+e^−z), so that hidden sigmoid layers round like numpy's.
  sigmoid: {
    forward: (z) => 1 / (1 + Math.exp(-z)),
    derivative: (_z, a) => a * (1 - a),
    forwardCode: (z) => `(1 / (1 + Math.exp(-${z})))`,
    derivativeCode: (_z, a) => `(${a} * (1 - ${a}))`,
  },
  leaky_relu: {
    forward: (z) => (z > 0 ? z : LEAKY_SLOPE * z),
    derivative: (z) => (z > 0 ? 1 : LEAKY_SLOPE),
    forwardCode: (z) => `(${z} > 0 ? ${z} : ${LEAKY_SLOPE} * ${z})`,
    derivativeCode: (z) => `(${z} > 0 ? 1 : ${LEAKY_SLOPE})`,
  },
  linear: {
    forward: (z) => z,
    derivative: () => 1,
    forwardCode: (z) => `(${z})`,
    derivativeCode: () => `1`,
  },
};
