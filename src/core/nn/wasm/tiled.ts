/**
 * The generic forward and backward passes (network.ts) with their matrix products in WebAssembly (products.ts):
 * any layer sizes, any activation and output, dropout included. The layer loop, the output layer (loss.ts's
 * outputLayer), tanh and sigmoid activations, dropout and the bias gradients stay in JS over views of the module's
 * memory; the products, which are nearly all of the work past the course's tiny networks, run as register-tiled
 * f64x2 code. Every number is computed as network.ts computes it, so the results are the generic kernels' to the
 * bit (tested), whatever the shape, the batch or the thread count.
 *
 * The module depends on no layer size, so one compiled module serves every shape; each kernel owns its memory:
 * P, G, the batch's labels and every layer's buffers, with a transposed copy of H_{l−1} for dW_l = dZ_l·H_{l−1}ᵀ.
 */
import type { OutputActivation } from '../../types';
import { ACTIVATIONS, type ActivationFns } from '../activations';
import { outputLayer } from '../loss';
import type { UpdateEngine, UpdateRule } from '../optimizers';
import type { ParameterLayout } from '../params';
import { Back, Forward, type Product, type ProductName } from './products';
import { type BoundTeam, MAX_PAGES, soloTeam, type Team } from './team';
import { UPDATE_CODE } from './updates';

export interface TiledShape {
  layout: ParameterLayout;
  activation: string;
  output: OutputActivation;
  keepProb: number;
}

const FORWARD_KIND: Record<string, Forward> = { relu: Forward.relu, leaky_relu: Forward.leaky, linear: Forward.linear };
const BACK_KIND: Record<string, Back> = {
  relu: Back.relu,
  leaky_relu: Back.leaky,
  linear: Back.linear,
  tanh: Back.tanh,
  sigmoid: Back.sigmoid,
};

/** Byte offsets of a kernel's buffers. */
interface Layout {
  P: number;
  G: number;
  /** The optimizer's state (optimizers.ts's v and s), stepped in place by updates.ts. */
  V: number;
  S: number;
  Y: number;
  /** Per layer l: A_l (A_0 is the input batch), H_l (= A_l without dropout), Z_l, dZ_l. */
  A: number[];
  H: number[];
  Z: number[];
  dZ: number[];
  /** H_{l−1}ᵀ scratch (b × widest non-output layer), and W_lᵀ·dZ_l scratch under dropout. */
  T: number;
  /** The input batch example by example (b × n0), gathered from the example-major copy; −1 without one. */
  A0T: number;
  /** The example-major copy of X (M × n0) when it is kept in this memory; −1 otherwise. */
  EX: number;
  dA: number;
  end: number;
}

function plan(
  layers: readonly number[],
  capacity: number,
  size: number,
  gradients: boolean,
  dropout: boolean,
  examplesInside: number,
): Layout {
  let end = 0;
  const take = (doubles: number) => {
    const at = end;
    end += Math.ceil((doubles * 8) / 16) * 16;
    return at;
  };
  const L = layers.length - 1;
  const P = take(size);
  const G = take(gradients ? size : 0);
  const V = take(gradients ? size : 0);
  const S = take(gradients ? size : 0);
  const Y = take(capacity);
  const A: number[] = [];
  const H: number[] = [];
  const Z: number[] = [];
  const dZ: number[] = [];
  let widest = 0;
  let widestHidden = 0;
  for (let l = 0; l <= L; l++) {
    const n = layers[l]! * capacity;
    A.push(take(n));
    H.push(dropout && l > 0 && l < L ? take(n) : A[l]!);
    Z.push(l === 0 ? -1 : take(n));
    dZ.push(l === 0 || !gradients ? -1 : take(n));
    if (l < L) widest = Math.max(widest, layers[l]!);
    if (l > 0 && l < L) widestHidden = Math.max(widestHidden, layers[l]!);
  }
  const T = take(gradients ? widest * capacity : 0);
  const A0T = gradients ? take(layers[0]! * capacity) : -1;
  const dA = take(gradients && dropout ? widestHidden * capacity : 0);
  const EX = examplesInside > 0 ? take(examplesInside) : -1;
  return { P, G, V, S, Y, A, H, Z, dZ, T, A0T, EX, dA, end };
}

/** X (n0 × M, one row per feature) as M rows of n0 features into `out`: a batch is then b contiguous copies. */
function examplesOf(X: Float64Array, n0: number, M: number, out: Float64Array): Float64Array {
  // In blocks of examples, so that the block's rows of `out` stay in cache while every feature is written.
  for (let e0 = 0; e0 < M; e0 += 64) {
    const e1 = Math.min(M, e0 + 64);
    for (let k = 0; k < n0; k++) {
      const row = k * M;
      for (let e = e0; e < e1; e++) out[e * n0 + k] = X[row + e]!;
    }
  }
  return out;
}

/**
 * The kernel's memory holds the example-major copy when it fits (wasm32 addresses 4 GiB): a batch is then gathered
 * with copyWithin, a memmove inside one buffer, instead of a typed-array copy (and a subarray object) per example.
 */
const EXAMPLES_INSIDE_MAX_BYTES = 2 ** 31;

/** A network's passes over batches of up to `capacity` examples, bound to one data set (X: n0 × M, Y: 1 × M). */
export class TiledNetwork {
  private readonly f64: Float64Array;
  private readonly at: Layout;
  private readonly g: ActivationFns;
  readonly mP: Float64Array;
  readonly mG: Float64Array;

  private constructor(
    private readonly shape: TiledShape,
    private readonly X: Float64Array,
    private readonly Y: Float64Array,
    private readonly M: number,
    private readonly team: BoundTeam,
    /** X example by example (M × n0) for the batch kernels, or null (set losses gather once, from X). */
    private readonly examples: Float64Array | null,
    layout: Layout,
    buffer: ArrayBuffer,
  ) {
    this.at = layout;
    this.f64 = new Float64Array(buffer);
    this.g = ACTIVATIONS[shape.activation as keyof typeof ACTIVATIONS];
    this.mP = this.view(layout.P, shape.layout.size);
    this.mG = this.view(layout.G, shape.layout.size);
  }

  /** Null when WebAssembly is missing or refuses the module. */
  static create(
    shape: TiledShape,
    X: Float64Array,
    Y: Float64Array,
    M: number,
    capacity: number,
    gradients: boolean,
    team: Team | null = null,
  ): TiledNetwork | null {
    if (!(globalThis as { WebAssembly?: unknown }).WebAssembly || !(shape.activation in BACK_KIND)) return null;
    const n0 = shape.layout.layers[0]!;
    const inside = gradients && n0 * M * 8 <= EXAMPLES_INSIDE_MAX_BYTES ? n0 * M : 0;
    const layout = plan(shape.layout.layers, capacity, shape.layout.size, gradients, shape.keepProb !== 1, inside);
    const pages = Math.ceil(layout.end / 65536) + 1;
    if (pages > MAX_PAGES) return null;
    try {
      const bound = (team ?? soloTeam()).bind(pages, layout.end);
      if (!bound) return null;
      const room = inside
        ? new Float64Array(bound.buffer, layout.EX, inside)
        : new Float64Array(gradients ? n0 * M : 0);
      return new TiledNetwork(
        shape,
        X,
        Y,
        M,
        bound,
        gradients ? examplesOf(X, n0, M, room) : null,
        layout,
        bound.buffer,
      );
    } catch {
      return null;
    }
  }

  /**
   * P, G and the optimizer's state in this kernel's memory (kernels with gradients): a run that trains in them
   * copies nothing in or out around a batch and takes its optimizer steps here (optimizers.ts's UpdateEngine).
   */
  engine(): UpdateEngine {
    const { at, team } = this;
    const size = this.shape.layout.size;
    return {
      P: this.mP,
      G: this.mG,
      v: this.view(at.V, size),
      s: this.view(at.S, size),
      step(rule: UpdateRule, lr, beta1, beta2, epsilon, c1, c2) {
        team.update(
          UPDATE_CODE[rule],
          size,
          at.P,
          at.G,
          at.V,
          at.S,
          lr,
          beta1,
          1 - beta1,
          beta2,
          1 - beta2,
          epsilon,
          c1,
          c2,
        );
      },
    };
  }

  /** Layer l's outputs A_l (units × b) of the last passes over a batch of b (A_L: the probabilities, after backward). */
  outputs(l: number, b: number): Float64Array {
    return this.view(this.at.A[l]!, this.shape.layout.layers[l]! * b);
  }

  private view(at: number, doubles: number): Float64Array {
    return this.f64.subarray(at / 8, at / 8 + doubles);
  }

  /** Copies examples idx[from … to−1] into A_0 (n0 × b) and their labels into Y. */
  gather(idx: Int32Array, from: number, to: number): number {
    const b = to - from;
    const n0 = this.shape.layout.layers[0]!;
    const { X, M, f64, examples } = this;
    const a0 = this.at.A[0]! / 8;
    if (examples) {
      // Whole examples (contiguous), then A_0 as their transpose: reading X feature by feature at random columns
      // missed the cache on every value once X outgrew it (measured on 20,000 × 784: as long as the forward pass).
      const a0t = this.at.A0T / 8;
      const inside = this.at.EX / 8;
      if (inside >= 0) {
        for (let j = 0; j < b; j++) {
          const e = inside + idx[from + j]! * n0;
          f64.copyWithin(a0t + j * n0, e, e + n0);
        }
      } else {
        for (let j = 0; j < b; j++) {
          const e = idx[from + j]! * n0;
          f64.set(examples.subarray(e, e + n0), a0t + j * n0);
        }
      }
      this.team.helpers.transpose(this.at.A0T, b, n0, this.at.A[0]!);
    } else {
      for (let k = 0; k < n0; k++) {
        const row = k * M;
        const out = a0 + k * b;
        for (let j = 0; j < b; j++) f64[out + j] = X[row + idx[from + j]!]!;
      }
    }
    const y = this.at.Y / 8;
    for (let j = 0; j < b; j++) f64[y + j] = this.Y[idx[from + j]!]!;
    return b;
  }

  private product(name: ProductName, rows: number, args: Parameters<Product>): void {
    this.team.run(name, rows, args);
  }

  /** network.ts's forward on the gathered batch; masks[l − 1] is hidden layer l's dropout mask. */
  forward(b: number, masks: Float64Array[] | null): void {
    const { slots } = this.shape.layout;
    const L = slots.length;
    const at = this.at;
    const kind = FORWARD_KIND[this.shape.activation] ?? Forward.none;
    for (let l = 1; l <= L; l++) {
      const { w, b: bias, rows, cols } = slots[l - 1]!;
      const hidden = l < L;
      // Z_l = W_l·H_{l−1} + b_l over rows i of W_l, along the batch; A_l in the same pass where the module can.
      this.product('forward', rows, [
        at.P + w * 8,
        cols * 8,
        8,
        at.H[l - 1]!,
        b * 8,
        at.Z[l]!,
        b * 8,
        0,
        rows,
        b,
        cols,
        at.P + bias * 8,
        at.A[l]!,
        hidden ? kind : Forward.none,
      ]);
      if (!hidden) break;
      const n = rows * b;
      const { f64 } = this;
      const z = at.Z[l]! / 8;
      const a = at.A[l]! / 8;
      if (kind === Forward.none) for (let t = 0; t < n; t++) f64[a + t] = this.g.forward(f64[z + t]!);
      if (masks) {
        const h = at.H[l]! / 8;
        const D = masks[l - 1]!;
        const keepProb = this.shape.keepProb;
        for (let t = 0; t < n; t++) f64[h + t] = (f64[a + t]! * D[t]!) / keepProb;
      }
    }
  }

  /** network.ts's backward: the summed loss; mG receives the gradient of (summed loss)·invM. */
  backward(b: number, invM: number, masks: Float64Array[] | null): number {
    const { slots } = this.shape.layout;
    const L = slots.length;
    const at = this.at;
    const { f64 } = this;
    const K = slots[L - 1]!.rows;
    const loss = outputLayer(
      this.shape.output,
      K,
      this.view(at.Z[L]!, K * b),
      this.view(at.Y, b),
      b,
      this.view(at.A[L]!, K * b),
      this.view(at.dZ[L]!, K * b),
      invM,
    );
    for (let l = L; l >= 1; l--) {
      const { w, b: bias, rows, cols } = slots[l - 1]!;
      // H_{l−1}ᵀ (b × cols), so that dW_l = dZ_l·H_{l−1}ᵀ runs along contiguous rows.
      // (The input's is at hand from the gather.)
      const T = l === 1 && this.examples ? at.A0T : at.T;
      if (T === at.T) this.team.helpers.transpose(at.H[l - 1]!, cols, b, at.T);
      this.product('weights', rows, [
        at.dZ[l]!,
        b * 8,
        8,
        T,
        cols * 8,
        at.G + w * 8,
        cols * 8,
        0,
        rows,
        cols,
        b,
        0,
        0,
        0,
      ]);
      this.team.helpers.rowSums(at.dZ[l]!, rows, b, at.G + bias * 8);
      if (l === 1) break;
      // dA_{l−1} = W_lᵀ·dZ_l: row k of the result is column k of W_l; then through dropout and g′.
      const into = masks ? at.dA : at.dZ[l - 1]!;
      this.product('back', cols, [
        at.P + w * 8,
        8,
        cols * 8,
        at.dZ[l]!,
        b * 8,
        into,
        b * 8,
        0,
        cols,
        b,
        rows,
        at.Z[l - 1]!,
        at.A[l - 1]!,
        masks ? Back.none : BACK_KIND[this.shape.activation]!,
      ]);
      if (masks) {
        const n = cols * b;
        const D = masks[l - 2]!;
        const keepProb = this.shape.keepProb;
        const dA = at.dA / 8;
        const zp = at.Z[l - 1]! / 8;
        const ap = at.A[l - 1]! / 8;
        const dzp = at.dZ[l - 1]! / 8;
        for (let t = 0; t < n; t++) {
          f64[dzp + t] = ((f64[dA + t]! * D[t]!) / keepProb) * this.g.derivative(f64[zp + t]!, f64[ap + t]!);
        }
      }
    }
    return loss;
  }

  /** The output probabilities of the gathered batch (units × b), a copy. */
  probabilities(b: number): Float64Array {
    this.forward(b, null);
    const L = this.shape.layout.slots.length;
    const K = this.shape.layout.slots[L - 1]!.rows;
    const P = this.view(this.at.A[L]!, K * b);
    outputLayer(this.shape.output, K, this.view(this.at.Z[L]!, K * b), this.view(this.at.Y, b), b, P, null, 0);
    return P.slice();
  }

  /** The summed loss of the gathered batch, no gradients (network.ts's forwardLoss). */
  loss(b: number): number {
    this.forward(b, null);
    const L = this.shape.layout.slots.length;
    const K = this.shape.layout.slots[L - 1]!.rows;
    return outputLayer(
      this.shape.output,
      K,
      this.view(this.at.Z[L]!, K * b),
      this.view(this.at.Y, b),
      b,
      null,
      null,
      0,
    );
  }
}
