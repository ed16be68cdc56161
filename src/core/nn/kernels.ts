/**
 * The two operations the epoch loop needs, bound to a data set: the summed loss and mean-loss gradient of a batch
 * (`gradients`), and the summed loss of a whole set (`loss`, for test costs). Four forms, fastest that applies first
 * when `generated` and `wasm` allow: for networks up to TILED_FIRST parameters the course's unrolled WebAssembly
 * kernels (wasm/kernel.ts) or the generated fixed-shape JS kernels (codegen.ts); past it, or with dropout, the tiled
 * WebAssembly matrix products (wasm/tiled.ts, any shape); and the generic layer loops (network.ts) where nothing
 * else runs. The tiled and generic forms give the same bits.
 */
import type { Activation, Dataset } from '../types';
import { ACTIVATIONS } from './activations';
import { generateGradients, generateLoss } from './codegen';
import { backward, createWorkspace, forward, forwardLoss, gatherBatch, type Network } from './network';
import type { UpdateEngine } from './optimizers';
import { wasmGradients, wasmLoss, type WasmShape } from './wasm/kernel';
import { TiledNetwork } from './wasm/tiled';
import type { Team } from './wasm/team';

/** wasm: the course's unrolled SIMD kernels; tiled: the SIMD matrix products for any shape (wasm/tiled.ts). */
export type KernelKind = 'wasm' | 'tiled' | 'generated' | 'generic';

/** How the tiled kernels run: on a team of threads (team.ts; default: the calling thread alone). */
export interface TiledChoice {
  team?: Team | null;
  /** The tiled kernels even where the course's wasm or generated kernels apply (tests, comparisons). */
  forceTiled?: boolean;
}

export interface BatchGradients {
  readonly kind: KernelKind;
  /**
   * Loss summed over examples idx[from … to−1]; writes into G the gradient of the batch's mean loss.
   * `masks` are the batch's dropout masks (generic form only).
   */
  gradients(
    P: Float64Array,
    G: Float64Array,
    idx: Int32Array,
    from: number,
    to: number,
    masks: Float64Array[] | null,
  ): number;
  /**
   * The tiled form's own P and G with room for an optimizer (optimizers.ts's UpdateEngine): given these as P and G,
   * `gradients` copies nothing, and the optimizer steps in WebAssembly.
   */
  readonly engine?: UpdateEngine;
}

export interface SetLoss {
  readonly kind: KernelKind;
  /** Loss summed over every example of the set (no dropout). */
  loss(P: Float64Array): number;
}

function tryGenerate<T>(make: () => T | null): T | null {
  try {
    return make();
  } catch {
    // `new Function` is refused under a strict content security policy: use the generic kernels.
    return null;
  }
}

export function batchGradients(
  net: Network,
  data: Dataset,
  capacity: number,
  generated: boolean,
  wasm = false,
  choice: TiledChoice = {},
): BatchGradients {
  const X = data.X.data;
  const Y = data.Y.data;
  const M = data.X.cols;
  if (generated && wasm && !tiledFirst(net, wasm, choice)) {
    const kernel = wasmGradients(wasmShape(net), net.keepProb, X, Y, M);
    if (kernel) {
      return { kind: 'wasm', gradients: (P, G, idx, from, to) => kernel(P, G, idx, from, to, 1 / (to - from)) };
    }
  }
  const fn =
    generated && net.keepProb === 1 && !tiledFirst(net, wasm, choice)
      ? tryGenerate(() => generateGradients(net))
      : null;
  if (fn) {
    return {
      kind: 'generated',
      gradients: (P, G, idx, from, to) => fn(P, G, X, Y, M, idx, from, to, 1 / (to - from)),
    };
  }
  const tiled = generated && wasm ? TiledNetwork.create(tiledShape(net), X, Y, M, capacity, true, choice.team) : null;
  if (tiled) {
    return {
      kind: 'tiled',
      gradients(P, G, idx, from, to, masks) {
        if (P !== tiled.mP) tiled.mP.set(P);
        const b = tiled.gather(idx, from, to);
        tiled.forward(b, masks);
        const loss = tiled.backward(b, 1 / b, masks);
        if (G !== tiled.mG) G.set(tiled.mG);
        return loss;
      },
      engine: tiled.engine(),
    };
  }
  const ws = createWorkspace(net.layout.layers, capacity, net.keepProb !== 1);
  const n0 = net.layout.layers[0]!;
  return {
    kind: 'generic',
    gradients(P, G, idx, from, to, masks) {
      const b = gatherBatch(ws, n0, X, Y, M, idx, from, to);
      forward(net, P, ws, b, masks);
      return backward(net, P, G, ws, b, 1 / b, masks);
    },
  };
}

export function setLoss(
  net: Network,
  data: Dataset,
  generated: boolean,
  wasm = false,
  choice: TiledChoice = {},
): SetLoss {
  const X = data.X.data;
  const Y = data.Y.data;
  const M = data.X.cols;
  const loss = generated && wasm && !tiledFirst(net, wasm, choice) ? wasmLoss(wasmShape(net), X, Y, M) : null;
  if (loss) return { kind: 'wasm', loss };
  const fn = generated && !tiledFirst(net, wasm, choice) ? tryGenerate(() => generateLoss(net)) : null;
  if (fn) return { kind: 'generated', loss: (P) => fn(P, X, Y, M) };
  const tiled = generated && wasm ? TiledNetwork.create(tiledShape(net), X, Y, M, M, false, choice.team) : null;
  if (tiled) {
    // The whole set is one batch, gathered once since it never changes.
    tiled.gather(identity(M), 0, M);
    return {
      kind: 'tiled',
      loss(P) {
        tiled.mP.set(P);
        return tiled.loss(M);
      },
    };
  }
  const ws = createWorkspace(net.layout.layers, M, false);
  gatherBatch(ws, net.layout.layers[0]!, X, Y, M, identity(M), 0, M);
  return { kind: 'generic', loss: (P) => forwardLoss(net, P, ws, M) };
}

/** Forward and backward passes over one fixed set of examples, the layers' outputs kept (inspection's probes). */
export interface SetPasses {
  readonly kind: KernelKind;
  /** Both passes at P over every example (no dropout); returns the summed loss. Then `outputs` and `grads` hold them. */
  pass(P: Float64Array): number;
  /** Layer l's outputs A_l (units × examples) of the last pass; A_L is the output probabilities. */
  outputs(l: number): Float64Array;
  /** The gradient of the mean loss of the last pass. */
  readonly grads: Float64Array;
}

/** Tiled where training would be (past TILED_FIRST parameters, or forced); the generic kernels otherwise. */
export function setPasses(net: Network, data: Dataset, wasm = true, choice: TiledChoice = {}): SetPasses {
  const X = data.X.data;
  const Y = data.Y.data;
  const M = data.X.cols;
  const { layers } = net.layout;
  const tiled = tiledFirst(net, wasm, choice) ? TiledNetwork.create(tiledShape(net), X, Y, M, M, true) : null;
  if (tiled) {
    // The examples never change: gathered once (the passes leave A_0 and its transpose as they are).
    tiled.gather(identity(M), 0, M);
    return {
      kind: 'tiled',
      pass(P) {
        tiled.mP.set(P);
        tiled.forward(M, null);
        return tiled.backward(M, 1 / M, null);
      },
      outputs: (l) => tiled.outputs(l, M),
      grads: tiled.mG,
    };
  }
  const ws = createWorkspace(layers, M, false);
  gatherBatch(ws, layers[0]!, X, Y, M, identity(M), 0, M);
  const grads = new Float64Array(net.layout.size);
  return {
    kind: 'generic',
    pass(P) {
      forward(net, P, ws, M, null);
      return backward(net, P, grads, ws, M, 1 / M, null);
    },
    outputs: (l) => ws.A[l]!.subarray(0, layers[l]! * M),
    grads,
  };
}

/**
 * Past TILED_FIRST parameters the tiled products beat the unrolled kernels, so they are preferred even where a
 * wasm or JS kernel could be made. Measured per 64-example batch (Node 20, shared machine): [2,10,5,1] course wasm
 * 10 µs, tiled 35–49 µs; [2,20,20,3] (543 parameters) generated JS 163 µs, tiled 129–144 µs; [2,40,40,1] (1801)
 * course wasm 680–1080 µs, tiled 280–300 µs. Generating a JS kernel's source for a large network, only to find it
 * too long, also cost ~200 ms of a 1 s digits-like run.
 */
export const TILED_FIRST = 500;

function tiledFirst(net: Network, wasm: boolean, choice: TiledChoice): boolean {
  return wasm && (choice.forceTiled === true || tiledPays(net.layout.size));
}

/** Whether the tiled products are the fastest kernels for a network of this many parameters. */
export const tiledPays = (parameters: number): boolean => parameters > TILED_FIRST;

function activationName(net: Network): Activation {
  return (Object.keys(ACTIVATIONS) as Activation[]).find((a) => ACTIVATIONS[a] === net.activation)!;
}

function tiledShape(net: Network) {
  return { layout: net.layout, activation: activationName(net), output: net.output, keepProb: net.keepProb };
}

function wasmShape(net: Network): WasmShape {
  return { layout: net.layout, activation: activationName(net), output: net.output };
}

export function identity(m: number): Int32Array {
  const idx = new Int32Array(m);
  for (let i = 0; i < m; i++) idx[i] = i;
  return idx;
}
