/**
 * Learning-rate decay by epoch (from 0), both multiplicative in `rate`:
 *   exponential  α_e = α0 · rate^e
 *   step         α_e = α0 · rate^⌊e / every⌋
 * No decay keeps α0.
 */
import type { DecayConfig } from '../types';

export function learningRateAt(lr0: number, decay: DecayConfig | undefined, epoch: number): number {
  if (!decay) return lr0;
  switch (decay.type) {
    case 'exponential':
      return lr0 * Math.pow(decay.rate, epoch);
    case 'step':
      return lr0 * Math.pow(decay.rate, Math.floor(epoch / decay.every));
  }
}
