/**
 * Validation of a run history record as read from disk, one check per set of fields. Every field a reader uses is
 * checked, so a record missing one is skipped with a warning instead of showing up as `NaN%`. A new field set
 * (say, a snapshot saved with the run) is one more entry in RECORD_CHECKS. Node-free, pure.
 */
import { RUN_STATUSES } from '../core/types';
import { checkInspection } from '../core/inspect/check';
import { parameterLayout } from '../core/nn/params';

type Rec = Record<string, unknown>;

/** Bumped when the record's shape changes incompatibly (2: records carry `workspaceFile`, folders its hash). */
export const RUN_RECORD_FORMAT = 2;

/** What is wrong with a record (a sentence naming the field), or undefined when the checked fields are fine. */
export type RecordCheck = (record: Rec) => string | undefined;

const isObject = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Costs are stored as JSON, where a diverged run's non-finite costs became null. */
const numberList = (v: unknown): boolean => Array.isArray(v) && v.every((c) => typeof c === 'number' || c === null);
const fraction = (v: unknown): boolean => v === null || (typeof v === 'number' && v >= 0 && v <= 1);

function say(field: string, value: unknown, expected: string): string {
  const shown = value === undefined ? 'missing' : JSON.stringify(value)?.slice(0, 40);
  return `"${field}" is ${shown}, expected ${expected}`;
}

/** format, nnlabVersion, file, workspaceFile, experiment, finishedAt. */
export const checkHeader: RecordCheck = (r) => {
  if (r.format !== RUN_RECORD_FORMAT) return `unknown format ${JSON.stringify(r.format)}`;
  for (const key of ['nnlabVersion', 'file', 'workspaceFile', 'experiment', 'finishedAt'] as const) {
    if (typeof r[key] !== 'string' || r[key] === '') return say(key, r[key], 'a non-empty string');
  }
  if (Number.isNaN(Date.parse(r.finishedAt as string))) return say('finishedAt', r.finishedAt, 'an ISO date');
  return undefined;
};

/** config: the experiment as it ran (the panel and a stored run's boundary read its sections). */
export const checkConfig: RecordCheck = (r) => {
  const config = r.config;
  if (!isObject(config)) return say('config', config, 'an object');
  if (typeof config.name !== 'string') return say('config.name', config.name, 'a string');
  for (const section of ['data', 'model', 'train'] as const) {
    if (!isObject(config[section])) return say(`config.${section}`, config[section], 'an object');
  }
  return undefined;
};

/** Each result field a reader shows: status, costs, accuracies, cost per test epoch, parameters, timing. */
const RESULT_FIELDS: [string, (v: unknown) => boolean, string, boolean?][] = [
  ['name', (v) => typeof v === 'string', 'a string'],
  ['status', (v) => (RUN_STATUSES as readonly unknown[]).includes(v), `one of ${RUN_STATUSES.join(', ')}`],
  ['costs', numberList, 'a list of numbers'],
  ['trainAccuracy', fraction, 'a number from 0 to 1 or null'],
  ['testAccuracy', fraction, 'a number from 0 to 1 or null'],
  [
    'parameters',
    (v) => isObject(v) && Object.values(v).every((m) => Array.isArray(m) && m.every(numberList)),
    'rows of numbers by name',
  ],
  ['durationMs', (v) => typeof v === 'number' && v >= 0, 'a number of ms'],
  ['error', (v) => typeof v === 'string', 'a string', true],
  ['testCosts', numberList, 'a list of numbers', true],
  ['divergedAtEpoch', (v) => Number.isInteger(v), 'an epoch number', true],
  ['sweep', isObject, 'an object', true],
];

export const checkResult: RecordCheck = (r) => {
  const result = r.result;
  if (!isObject(result)) return say('result', result, 'an object');
  for (const [key, ok, expected, optional] of RESULT_FIELDS) {
    if (optional && result[key] === undefined) continue;
    if (!ok(result[key])) return say(`result.${key}`, result[key], expected);
  }
  return undefined;
};

/** result.inspection, when present: snapshots the size of config.model.layers' parameters, signals, diagnoses. */
export const checkInspectionField: RecordCheck = (r) => {
  const result = r.result as Rec;
  if (result.inspection === undefined) return undefined;
  const layers = ((r.config as Rec).model as Rec).layers;
  const valid = Array.isArray(layers) && layers.length >= 2 && layers.every((n) => Number.isInteger(n) && n > 0);
  const problem = checkInspection(result.inspection, valid ? parameterLayout(layers as number[]).size : undefined);
  return problem ? `"result.inspection": ${problem}` : undefined;
};

/** The checks a record passes, in order; the first problem found is the warning. */
export const RECORD_CHECKS: RecordCheck[] = [checkHeader, checkConfig, checkResult, checkInspectionField];

export function checkRecordFields(record: Rec): string | undefined {
  for (const check of RECORD_CHECKS) {
    const problem = check(record);
    if (problem) return problem;
  }
  return undefined;
}
