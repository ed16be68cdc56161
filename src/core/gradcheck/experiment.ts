/**
 * The pure half of gradient-checking one resolved experiment: which modules the Python harness runs, what a module
 * without setup() is missing, and the fixed dropout masks of NN Lab's own network. Loading the data and running a
 * module in a worker is src/node/gradcheck/experiment.ts.
 */
import { createMasks, drawMasks } from '../nn/dropout';
import { RandomState } from '../random';

/** A model module NN Lab runs through its Python harness rather than in a Node worker. */
export const isPythonModule = (module: string): boolean => module.toLowerCase().endsWith('.py');

/** The course's D_l = (rand(n_l, m) < keepProb) for each hidden layer, from RandomState(model.seed), drawn once. */
export function fixedDropoutMasks(
  layers: readonly number[],
  m: number,
  keepProb: number,
  seed: number,
): Float64Array[] {
  const masks = createMasks(layers, m);
  drawMasks(new RandomState(seed), masks, layers, m, keepProb);
  return masks;
}

/** Why a module without setup(nn) cannot be checked: the keys the experiment would have to give instead. */
export function omittedMessage(omitted: readonly ('data' | 'model.layers')[], python = false): string {
  const keys = omitted.map((k) => `"${k}"`).join(' and ');
  const setup = python
    ? 'define setup() returning (X, Y, parameters) in the module'
    : 'export setup(nn) returning { params, X, Y } from the module';
  return `the experiment has no ${keys}; give ${omitted.length > 1 ? 'them' : 'it'} in the experiment (or in "defaults"), or ${setup}`;
}
