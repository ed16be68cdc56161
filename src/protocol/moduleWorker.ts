/**
 * The host ↔ model-module worker boundary (src/node/gradcheck/moduleCheck.ts ↔ src/worker/moduleWorker.ts). The
 * worker runs a user's module, and the module shares its thread: it can post anything on the same port, so every
 * message the host receives goes through `fromModuleWorkerMessage`, which turns `unknown` into a typed message or a
 * ProtocolError.
 * No vscode, no DOM.
 */
import type { CheckOptions, EntryReport, GradcheckReport, TensorReport, Verdict } from '../core/gradcheck/check';
import type { ModuleSetup } from '../core/gradcheck/moduleProblem';
import { array, bool, ProtocolError, record, str } from './guards';

/** Host → worker, as workerData. */
export interface ModuleJob {
  /** Absolute path of the module. */
  file: string;
  /** How messages name the module (the path as the experiment file writes it). */
  label: string;
  /** The experiment's data and initial parameters, for modules without setup(); or why they could not be made. */
  fallback?: ModuleSetup | { error: string };
  options: CheckOptions;
}

/** Worker → host: the function the module is in now (for the time-limit message). */
export interface PhaseMessage {
  type: 'phase';
  phase: 'load' | 'setup' | 'forward' | 'backward';
}

/** Worker → host: the entry being perturbed now (for the time-limit message). */
export interface EntryMessage {
  type: 'entry';
  tensor: string;
  index: [number, number];
}

/** Worker → host: the check finished. */
export interface ReportMessage {
  type: 'report';
  report: GradcheckReport;
}

/** Worker → host: the module broke the contract, threw, or could not be loaded. */
export interface ModuleErrorMessage {
  type: 'error';
  message: string;
}

export type ModuleWorkerMessage = PhaseMessage | EntryMessage | ReportMessage | ModuleErrorMessage;

const PHASES: readonly PhaseMessage['phase'][] = ['load', 'setup', 'forward', 'backward'];
const VERDICTS: readonly Verdict[] = ['passed', 'failed', 'zero-gradient', 'non-finite'];

function num(value: unknown, what: string): number {
  // NaN and ±∞ are legitimate in a report (a non-finite cost); anything else is not a number.
  if (typeof value !== 'number') throw new ProtocolError(`${what}: expected a number`);
  return value;
}

function pair(value: unknown, what: string): [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => Number.isInteger(v) && v >= 0)) {
    throw new ProtocolError(`${what}: expected [row, column]`);
  }
  return [value[0], value[1]];
}

function entryReport(value: unknown, what: string): EntryReport {
  const e = record(value, what);
  return {
    index: pair(e.index, `${what}.index`),
    analytic: num(e.analytic, `${what}.analytic`),
    numeric: num(e.numeric, `${what}.numeric`),
    absoluteError: num(e.absoluteError, `${what}.absoluteError`),
    relativeError: num(e.relativeError, `${what}.relativeError`),
    kink: bool(e.kink, `${what}.kink`),
    nonFinite: bool(e.nonFinite, `${what}.nonFinite`),
  };
}

function tensorReport(value: unknown, what: string): TensorReport {
  const t = record(value, what);
  return {
    name: str(t.name, `${what}.name`),
    shape: pair(t.shape, `${what}.shape`),
    difference: num(t.difference, `${what}.difference`),
    contribution: num(t.contribution, `${what}.contribution`),
    passed: bool(t.passed, `${what}.passed`),
    checked: num(t.checked, `${what}.checked`),
    kinkCount: num(t.kinkCount, `${what}.kinkCount`),
    nonFiniteCount: num(t.nonFiniteCount, `${what}.nonFiniteCount`),
    entries: array(t.entries, `${what}.entries`, entryReport),
  };
}

/** A gradient-check report from another thread, rebuilt field by field (unknown fields are dropped). */
export function gradcheckReportFrom(value: unknown, what = 'report'): GradcheckReport {
  const r = record(value, what);
  const verdict = str(r.verdict, `${what}.verdict`);
  if (!VERDICTS.includes(verdict as Verdict)) throw new ProtocolError(`${what}.verdict: unknown "${verdict}"`);
  return {
    difference: num(r.difference, `${what}.difference`),
    differenceWithoutKinks: num(r.differenceWithoutKinks, `${what}.differenceWithoutKinks`),
    passed: bool(r.passed, `${what}.passed`),
    verdict: verdict as Verdict,
    message: str(r.message, `${what}.message`),
    epsilon: num(r.epsilon, `${what}.epsilon`),
    threshold: num(r.threshold, `${what}.threshold`),
    sampled: bool(r.sampled, `${what}.sampled`),
    tensors: array(r.tensors, `${what}.tensors`, tensorReport),
  };
}

/** Guard for messages arriving at the host from a model-module worker. */
export function fromModuleWorkerMessage(value: unknown): ModuleWorkerMessage {
  const m = record(value, 'message');
  const type = str(m.type, 'message.type');
  switch (type) {
    case 'phase': {
      const phase = str(m.phase, 'phase.phase');
      if (!PHASES.includes(phase as PhaseMessage['phase'])) throw new ProtocolError(`phase.phase: unknown "${phase}"`);
      return { type, phase: phase as PhaseMessage['phase'] };
    }
    case 'entry':
      return { type, tensor: str(m.tensor, 'entry.tensor'), index: pair(m.index, 'entry.index') };
    case 'report':
      return { type, report: gradcheckReportFrom(m.report, 'report.report') };
    case 'error':
      return { type, message: str(m.message, 'error.message') };
    default:
      throw new ProtocolError(`message.type: unknown "${type}"`);
  }
}
