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
import type { OptimizerKind, TrainConfig } from '../types';

/** The loop `step` runs: the config's optimizer, with momentum split by its `nesterov` flag. */
export type UpdateRule = OptimizerKind | 'nesterov';

/**
 * Where a kernel makes the gradients and can also take the step (the tiled kernels' WebAssembly memory,
 * wasm/updates.ts): an optimizer given one keeps its state in `v` and `s`, and steps there whenever it is asked to
 * step `P` with `G`. Same operations, same bits as the loops below.
 */
export interface UpdateEngine {
  readonly P: Float64Array;
  readonly G: Float64Array;
  /** Room for the state: `P.length` doubles each. */
  readonly v: Float64Array;
  readonly s: Float64Array;
  step(rule: UpdateRule, lr: number, beta1: number, beta2: number, epsilon: number, c1: number, c2: number): void;
}

/**
 * Every optimizer is this one class, switching on its kind in `step`: the epoch loop calls `optimizer.step` once
 * per batch, and with one class per optimizer that call site saw a new receiver shape whenever a thread moved on to
 * another optimizer (a sweep's trials), which threw away the loop's optimized code each time (measured: the trainer
 * recompiled ~10 times per thread, 10–30 ms of compiler time each).
 */
export class Optimizer {
  /** Momentum's velocity, Adam's first moment (empty for gd and rmsprop). */
  readonly v: Float64Array;
  /** RMSProp's and Adam's mean square (empty for gd and momentum). */
  readonly s: Float64Array;
  /** Adam's steps taken so far; the next step uses t + 1 (the course's tests call it with t = 2 on fresh state). */
  t = 0;
  private readonly engine: UpdateEngine | null;

  private constructor(
    readonly kind: UpdateRule,
    size: number,
    /** β (momentum), ρ (rmsprop) or β1 (adam). */
    readonly beta1 = 0,
    readonly beta2 = 0,
    readonly epsilon = 0,
    engine: UpdateEngine | null = null,
  ) {
    const moments = kind === 'momentum' || kind === 'nesterov' || kind === 'adam';
    const squares = kind === 'rmsprop' || kind === 'adam';
    const fits = engine !== null && [engine.P, engine.G, engine.v, engine.s].every((x) => x.length === size);
    this.engine = fits ? engine : null;
    this.v = fits && moments ? engine.v.fill(0) : new Float64Array(moments ? size : 0);
    this.s = fits && squares ? engine.s.fill(0) : new Float64Array(squares ? size : 0);
  }

  /** β1 is momentum's β, RMSProp's ρ or Adam's β1; with an engine the state lives and steps there. */
  static create(
    kind: UpdateRule,
    size: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    engine: UpdateEngine | null = null,
  ): Optimizer {
    return new Optimizer(kind, size, beta1, beta2, epsilon, engine);
  }

  static gd(): Optimizer {
    return new Optimizer('gd', 0);
  }

  static momentum(size: number, beta: number, nesterov = false): Optimizer {
    return new Optimizer(nesterov ? 'nesterov' : 'momentum', size, beta);
  }

  static rmsprop(size: number, rho: number, epsilon: number): Optimizer {
    return new Optimizer('rmsprop', size, rho, 0, epsilon);
  }

  static adam(size: number, beta1: number, beta2: number, epsilon: number): Optimizer {
    return new Optimizer('adam', size, beta1, beta2, epsilon);
  }

  step(P: Float64Array, G: Float64Array, lr: number): void {
    const engine = this.engine;
    if (engine !== null && P === engine.P && G === engine.G) {
      let c1 = 0;
      let c2 = 0;
      if (this.kind === 'adam') {
        this.t += 1;
        c1 = 1 - Math.pow(this.beta1, this.t);
        c2 = 1 - Math.pow(this.beta2, this.t);
      }
      engine.step(this.kind, lr, this.beta1, this.beta2, this.epsilon, c1, c2);
      return;
    }
    switch (this.kind) {
      case 'gd':
        for (let i = 0; i < P.length; i++) P[i] -= lr * G[i]!;
        return;
      case 'momentum': {
        const { v, beta1: beta } = this;
        for (let i = 0; i < P.length; i++) {
          v[i] = beta * v[i]! + (1 - beta) * G[i]!;
          P[i] -= lr * v[i]!;
        }
        return;
      }
      case 'nesterov': {
        const { v, beta1: beta } = this;
        for (let i = 0; i < P.length; i++) {
          v[i] = beta * v[i]! + (1 - beta) * G[i]!;
          P[i] -= lr * (beta * v[i]! + (1 - beta) * G[i]!);
        }
        return;
      }
      case 'rmsprop': {
        const { s, beta1: rho, epsilon } = this;
        for (let i = 0; i < P.length; i++) {
          const g = G[i]!;
          s[i] = rho * s[i]! + (1 - rho) * (g * g);
          P[i] -= (lr * g) / (Math.sqrt(s[i]!) + epsilon);
        }
        return;
      }
      case 'adam': {
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
        return;
      }
    }
  }
}

/** The config's optimizer; with an engine, its state lives and steps there (see UpdateEngine). */
export function createOptimizer(train: TrainConfig, size: number, engine: UpdateEngine | null = null): Optimizer {
  switch (train.optimizer) {
    case 'gd':
      return Optimizer.create('gd', size, 0, 0, 0, engine);
    case 'momentum':
      return Optimizer.create(train.nesterov ? 'nesterov' : 'momentum', size, train.beta, 0, 0, engine);
    case 'rmsprop':
      return Optimizer.create('rmsprop', size, train.rho, 0, train.epsilon, engine);
    case 'adam':
      return Optimizer.create('adam', size, train.beta1, train.beta2, train.epsilon, engine);
  }
}
