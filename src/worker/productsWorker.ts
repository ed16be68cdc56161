/**
 * A helper thread of a tiled kernel (dist/products-worker.js): runs its part of each large matrix product of one
 * training run, over the run's shared WebAssembly memory (core/nn/wasm/threads.ts), until told to stop.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { type BindMessage, helperLoop } from '../core/nn/wasm/threads';

const { control, index, parts } = workerData as { control: SharedArrayBuffer; index: number; parts: number };
helperLoop(control, index, parts, () => receiveMessageOnPort(parentPort!)?.message as BindMessage | undefined);
