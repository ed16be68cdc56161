/**
 * The two operations the epoch loop needs, bound to a data set: the summed loss and mean-loss gradient of a batch
 * (`gradients`), and the summed loss of a whole set (`loss`, for test costs). Each comes in a generated fixed-shape
 * form (codegen.ts) and the generic form (network.ts); `generated: true` asks for the former where it can be had,
 * and `wasm: true` as well for the WebAssembly SIMD form (wasm/kernel.ts) where that applies. Dropout always uses
 * the generic form.
 */
import type { Activation, Dataset } from '../types';
import { ACTIVATIONS } from './activations';
import { generateGradients, generateLoss } from './codegen';
import { backward, createWorkspace, forward, forwardLoss, gatherBatch, type Network } from './network';
import { wasmGradients, wasmLoss, type WasmShape } from './wasm/kernel';

export interface BatchGradients {
  readonly kind: 'wasm' | 'generated' | 'generic';
  /**
   * Loss summed over examples idx[from … to−1]; writes into G the gradient of the batch's mean loss.
   * `masks` are the batch's dropout masks (generic form only).
   */
  gradients(P: Float64Array, G: Float64Array, idx: Int32Array, from: number, to: number, masks: Float64Array[] | null): number;
}

export interface SetLoss {
  readonly kind: 'wasm' | 'generated' | 'generic';
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
): BatchGradients {
  const X = data.X.data;
  const Y = data.Y.data;
  const M = data.X.cols;
  if (generated && wasm) {
    const kernel = wasmGradients(wasmShape(net), net.keepProb, X, Y, M);
    if (kernel) {
      return { kind: 'wasm', gradients: (P, G, idx, from, to) => kernel(P, G, idx, from, to, 1 / (to - from)) };
    }
  }
  const fn = generated && net.keepProb === 1 ? tryGenerate(() => generateGradients(net)) : null;
  if (fn) {
    return {
      kind: 'generated',
      gradients: (P, G, idx, from, to) => fn(P, G, X, Y, M, idx, from, to, 1 / (to - from)),
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

export function setLoss(net: Network, data: Dataset, generated: boolean, wasm = false): SetLoss {
  const X = data.X.data;
  const Y = data.Y.data;
  const M = data.X.cols;
  const loss = generated && wasm ? wasmLoss(wasmShape(net), X, Y, M) : null;
  if (loss) return { kind: 'wasm', loss };
  const fn = generated ? tryGenerate(() => generateLoss(net)) : null;
  if (fn) return { kind: 'generated', loss: (P) => fn(P, X, Y, M) };
  // The whole set is one batch, gathered once since it never changes.
  const ws = createWorkspace(net.layout.layers, M, false);
  gatherBatch(ws, net.layout.layers[0]!, X, Y, M, identity(M), 0, M);
  return { kind: 'generic', loss: (P) => forwardLoss(net, P, ws, M) };
}

function wasmShape(net: Network): WasmShape {
  const activation = (Object.keys(ACTIVATIONS) as Activation[]).find((a) => ACTIVATIONS[a] === net.activation)!;
  return { layout: net.layout, activation, output: net.output };
}

export function identity(m: number): Int32Array {
  const idx = new Int32Array(m);
  for (let i = 0; i < m; i++) idx[i] = i;
  return idx;
}
