/**
 * What is wrong with a stored or received Inspection, or null. Run history files are read back from disk (and may
 * be hand-edited), and the panel replays their snapshots, so every array is checked for its type and length.
 */
import { ACTIVATIONS } from '../nn/activations';
import type { Inspection } from '../types';

const DIAGNOSIS_KINDS = ['symmetry', 'saturation', 'dead'];
const OUTPUTS = ['sigmoid', 'softmax'];

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
/** JSON writes NaN and ±Infinity as null, so a diverged run's signals come back with nulls. */
const numbers = (v: unknown, length?: number): boolean =>
  Array.isArray(v) &&
  (length === undefined || v.length === length) &&
  v.every((x) => typeof x === 'number' || x === null);

export function checkInspection(value: unknown, parameterCount?: number): string | null {
  if (typeof value !== 'object' || value === null) return 'is not an object';
  const i = value as Record<string, unknown>;
  if (!Array.isArray(i.snapshots)) return '"snapshots" is not a list';
  for (const [k, s] of i.snapshots.entries()) {
    const snap = s as Record<string, unknown> | null;
    if (typeof snap !== 'object' || snap === null || !isInt(snap.epoch))
      return `"snapshots[${k}].epoch" is not an epoch`;
    if (!numbers(snap.parameters, parameterCount) || (snap.parameters as unknown[]).includes(null)) {
      return `"snapshots[${k}].parameters" is not a list of ${parameterCount ?? ''} finite numbers`.replace('  ', ' ');
    }
    if (k > 0 && snap.epoch <= (i.snapshots[k - 1] as { epoch: number }).epoch)
      return `"snapshots[${k}].epoch" is not after the one before`;
  }
  if (!Array.isArray(i.signalEpochs) || !i.signalEpochs.every(isInt)) return '"signalEpochs" is not a list of epochs';
  const n = i.signalEpochs.length;
  if (!Array.isArray(i.layers)) return '"layers" is not a list';
  for (const [k, l] of i.layers.entries()) {
    const layer = l as Record<string, unknown> | null;
    const at = `"layers[${k}]`;
    if (typeof layer !== 'object' || layer === null || layer.layer !== k + 1 || !isInt(layer.units))
      return `${at}" is not layer ${k + 1}`;
    if (
      typeof layer.activation !== 'string' ||
      !(layer.activation in ACTIVATIONS || OUTPUTS.includes(layer.activation))
    )
      return `${at}.activation" is unknown`;
    for (const key of ['mean', 'std', 'gradNorm', 'updateRatio'])
      if (!numbers(layer[key], n)) return `${at}.${key}" is not ${n} numbers`;
    for (const key of ['saturated', 'dead', 'symmetry'])
      if (layer[key] !== null && !numbers(layer[key], n)) return `${at}.${key}" is not ${n} numbers or null`;
  }
  if (!Array.isArray(i.diagnoses)) return '"diagnoses" is not a list';
  for (const [k, d] of i.diagnoses.entries()) {
    const diagnosis = d as Record<string, unknown> | null;
    if (typeof diagnosis !== 'object' || diagnosis === null || !DIAGNOSIS_KINDS.includes(diagnosis.kind as string))
      return `"diagnoses[${k}].kind" is unknown`;
    if (!isInt(diagnosis.layer) || !isInt(diagnosis.epoch) || typeof diagnosis.text !== 'string')
      return `"diagnoses[${k}]" needs layer, epoch and text`;
  }
  return null;
}

/** The checked value, typed. */
export function asInspection(value: unknown, parameterCount?: number): Inspection | string {
  const problem = checkInspection(value, parameterCount);
  return problem ?? (value as Inspection);
}
