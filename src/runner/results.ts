/**
 * Turning pool outcomes into the records NN Lab keeps and shows: a RunResult for every ending (a cancelled or
 * crashed run keeps the costs that arrived as progress), and the gradient-check view the panel draws. Pure.
 */
import type { RunResult } from '../core/types';
import type { GradcheckEntry, GradcheckView } from '../protocol/charts';
import type { GradcheckReportData } from '../protocol/worker';
import { reportToJson } from '../core/gradcheck/json';

/** The costs a run reported so far, as progress arrived. */
export interface PartialRun {
  name: string;
  costs: number[];
  /** Present when the experiment has test data (then so is the result's, even empty). */
  testCosts?: number[];
  durationMs: number;
}

/** A RunResult for a run that ended without the trainer's own result (cancelled, or its worker failed). */
export function partialResult(run: PartialRun, status: 'cancelled' | 'error', error?: string): RunResult {
  const result: RunResult = {
    name: run.name,
    status,
    costs: run.costs,
    trainAccuracy: null,
    testAccuracy: null,
    parameters: {},
    durationMs: run.durationMs,
  };
  if (run.testCosts) result.testCosts = run.testCosts;
  if (error !== undefined) result.error = error;
  return result;
}

/** The worst entries over every tensor, worst relative error first: what a failing check should point at. */
export function worstEntries(report: GradcheckReportData, limit = 20): GradcheckEntry[] {
  return report.tensors
    .flatMap((t) =>
      t.entries.map((e) => ({
        param: t.name,
        index: e.index,
        analytic: e.analytic,
        numeric: e.numeric,
        relativeError: e.relativeError,
        kink: e.kink,
      })),
    )
    .sort((a, b) => b.relativeError - a.relativeError)
    .slice(0, limit);
}

/** The panel's report: what `nnlab gradcheck --json` prints, with the worst entries over all tensors. */
export function gradcheckView(report: GradcheckReportData): GradcheckView {
  return { ...reportToJson(report.name, report), worst: worstEntries(report) };
}
