/**
 * Learning-rate decay by epoch e (from 0), matching the formulas documented in experiment/schema.ts:
 *   exponential  α_e = α0 · rate^e
 *   step         α_e = α0 / (1 + rate · ⌊e / every⌋)   (the course's schedule_lr_decay)
 * No decay keeps α0.
 */
import type { DecayConfig } from '../types';

export function learningRateAt(lr0: number, decay: DecayConfig | undefined, epoch: number): number {
  if (!decay) return lr0;
  switch (decay.type) {
    case 'exponential':
      return lr0 * Math.pow(decay.rate, epoch);
    case 'step':
      return lr0 / (1 + decay.rate * Math.floor(epoch / decay.every));
  }
}
