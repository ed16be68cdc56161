/**
 * The report in the shape `nnlab gradcheck --json` prints (one element of "experiments"):
 * { name, difference, passed, epsilon, threshold, verdict, message, parameters: [ { name, shape, difference, passed,
 *   share, kinks, worst: [ { index, analytic, numeric, relativeError, kink } ] } ] }, parameters in declared order.
 * Non-finite numbers (only possible for non-finite verdicts) become null, as JSON has no Infinity or NaN.
 */
import type { GradcheckReport } from './check';

export const DEFAULT_WORST = 5;

export interface GradcheckJsonEntry {
  index: [number, number];
  analytic: number | null;
  numeric: number | null;
  relativeError: number | null;
  kink: boolean;
}

export interface GradcheckJson {
  name: string;
  difference: number;
  passed: boolean;
  epsilon: number;
  threshold: number;
  verdict: GradcheckReport['verdict'];
  message: string;
  parameters: Array<{
    name: string;
    shape: [number, number];
    difference: number;
    passed: boolean;
    /** ‖g_t − g̃_t‖ / (‖g‖ + ‖g̃‖): this tensor's share of the overall difference, what its verdict rests on. */
    share: number;
    kinks: number;
    worst: GradcheckJsonEntry[];
  }>;
}

const finite = (x: number) => (Number.isFinite(x) ? x : null);

export function reportToJson(name: string, report: GradcheckReport, worst = DEFAULT_WORST): GradcheckJson {
  return {
    name,
    difference: report.difference,
    passed: report.passed,
    epsilon: report.epsilon,
    threshold: report.threshold,
    verdict: report.verdict,
    message: report.message,
    parameters: report.tensors.map((t) => ({
      name: t.name,
      shape: t.shape,
      difference: t.difference,
      passed: t.passed,
      share: t.contribution,
      kinks: t.kinkCount,
      worst: t.entries.slice(0, worst).map((e) => ({
        index: e.index,
        analytic: finite(e.analytic),
        numeric: finite(e.numeric),
        relativeError: finite(e.relativeError),
        kink: e.kink,
      })),
    })),
  };
}
