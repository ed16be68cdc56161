/**
 * Parameter updates over flat buffers (params.ts), in increasing complexity. Each optimizer keeps its state in
 * flat arrays of the same layout, so one step is one loop over every W and b at once, allocation-free.
 *
 *   gd        p ← p − α·g
 *   momentum  v ← βv + (1−β)g;  p ← p − α·v        (the course's form)
 *             nesterov: p ← p − α·(βv + (1−β)g) with the updated v (the look-ahead written as a correction)
 *   rmsprop   s ← ρs + (1−ρ)g²;  p ← p − α·g/(√s + ε)
 *   adam      t ← t + 1;  v ← β1·v + (1−β1)g;  s ← β2·s + (1−β2)g²;
 *             p ← p − α·v̂/(√ŝ + ε)  with v̂ = v/(1−β1^t), ŝ = s/(1−β2^t)   (ε outside the root, t from 1)
 */
import type { TrainConfig } from '../types';

export interface Optimizer {
  step(P: Float64Array, G: Float64Array, lr: number): void;
}

export class GradientDescent implements Optimizer {
  step(P: Float64Array, G: Float64Array, lr: number): void {
    for (let i = 0; i < P.length; i++) P[i] -= lr * G[i]!;
  }
}

export class Momentum implements Optimizer {
  readonly v: Float64Array;
  constructor(size: number, readonly beta: number, readonly nesterov = false) {
    this.v = new Float64Array(size);
  }
  step(P: Float64Array, G: Float64Array, lr: number): void {
    const { v, beta } = this;
    if (this.nesterov) {
      for (let i = 0; i < P.length; i++) {
        v[i] = beta * v[i]! + (1 - beta) * G[i]!;
        P[i] -= lr * (beta * v[i]! + (1 - beta) * G[i]!);
      }
    } else {
      for (let i = 0; i < P.length; i++) {
        v[i] = beta * v[i]! + (1 - beta) * G[i]!;
        P[i] -= lr * v[i]!;
      }
    }
  }
}

export class RMSProp implements Optimizer {
  readonly s: Float64Array;
  constructor(size: number, readonly rho: number, readonly epsilon: number) {
    this.s = new Float64Array(size);
  }
  step(P: Float64Array, G: Float64Array, lr: number): void {
    const { s, rho, epsilon } = this;
    for (let i = 0; i < P.length; i++) {
      const g = G[i]!;
      s[i] = rho * s[i]! + (1 - rho) * (g * g);
      P[i] -= (lr * g) / (Math.sqrt(s[i]!) + epsilon);
    }
  }
}

export class Adam implements Optimizer {
  readonly v: Float64Array;
  readonly s: Float64Array;
  /** Steps taken so far; the next step uses t + 1 (the course's tests call it with t = 2 on fresh state). */
  t = 0;
  constructor(size: number, readonly beta1: number, readonly beta2: number, readonly epsilon: number) {
    this.v = new Float64Array(size);
    this.s = new Float64Array(size);
  }
  step(P: Float64Array, G: Float64Array, lr: number): void {
    const { v, s, beta1, beta2, epsilon } = this;
    this.t += 1;
    // The course divides by (1 − β^t) for each tensor: v_corrected = v / (1 − np.power(β1, t)).
    const c1 = 1 - Math.pow(beta1, this.t);
    const c2 = 1 - Math.pow(beta2, this.t);
    for (let i = 0; i < P.length; i++) {
      const g = G[i]!;
      v[i] = beta1 * v[i]! + (1 - beta1) * g;
      s[i] = beta2 * s[i]! + (1 - beta2) * (g * g);
      P[i] -= (lr * (v[i]! / c1)) / (Math.sqrt(s[i]! / c2) + epsilon);
    }
  }
}

export function createOptimizer(train: TrainConfig, size: number): Optimizer {
  switch (train.optimizer) {
    case 'gd':
      return new GradientDescent();
    case 'momentum':
      return new Momentum(size, train.beta, train.nesterov);
    case 'rmsprop':
      return new RMSProp(size, train.rho, train.epsilon);
    case 'adam':
      return new Adam(size, train.beta1, train.beta2, train.epsilon);
  }
}
