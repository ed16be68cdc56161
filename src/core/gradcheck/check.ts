/**
 * Gradient checking by central differences, reported per tensor and per entry.
 *
 * For each checked entry i: numeric_i = (J(θ + ε·e_i) − J(θ − ε·e_i)) / (2ε), compared with the analytic g_i.
 * The course's figure is difference = ‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂) over the checked entries.
 *
 * Verdict. Small tensors (a bias of three entries) have their own difference dominated by the finite-difference
 * noise of ε = 1e-7, so a tensor is not judged by its own ratio alone. Each tensor t contributes
 * n_t = ‖g_t − g̃_t‖ to the overall numerator (Σ n_t² = ‖g − g̃‖²). The failing tensors are the smallest set,
 * taken largest n_t first, whose removal brings the overall difference within the threshold: so a passing check
 * names no tensor, and a failing one names exactly the tensors that carry the error.
 *
 * Kinks: when θ ± ε puts an input of a ReLU or leaky ReLU on different sides of 0, the cost is not differentiable
 * in between and the numeric value is unreliable; such entries are marked `kink` and left out of the verdict
 * (they still count in the reported `difference`, which stays the course's number).
 */
import { RandomState } from '../random';

export interface TensorSpec {
  name: string;
  rows: number;
  cols: number;
}

/** What a gradient check needs from a model: the flat θ, the analytic gradient at θ, and J at any θ. */
export interface CheckProblem {
  /** Tensors in declared order; θ holds them flattened in that order, each row-major. */
  tensors: TensorSpec[];
  theta: Float64Array;
  analytic: Float64Array;
  /**
   * J(θ′), and optionally the inputs of every ReLU / leaky ReLU (any fixed order) for kink detection. May return a
   * promise (a model module answers from its worker).
   */
  evaluate(theta: Float64Array): EvaluateResult | Promise<EvaluateResult>;
  /**
   * J at many θ′ in one call, used instead of `evaluate` when given: a Python module answers a whole batch per
   * message rather than one process round trip per θ′. Same order as `thetas`.
   */
  evaluateBatch?(thetas: Float64Array[]): Promise<EvaluateResult[]>;
  /** Called before each perturbed entry (before each batch's first entry when batched); lets a module's worker say where it was when it hung. */
  onEntry?(tensor: string, index: [number, number]): void;
}

/** Perturbed entries per evaluateBatch call (two θ′ each). */
const BATCH_ENTRIES = 128;

export interface EvaluateResult {
  cost: number;
  kinkInputs?: Float64Array;
}

export interface CheckOptions {
  /** Perturbation ε (default 1e-7, the course's). */
  epsilon?: number;
  /** Pass threshold on the difference (default 2e-7, the course's). */
  threshold?: number;
  /** Check only this many entries per tensor (chosen with RandomState(sampleSeed)); absent means all. */
  sample?: number;
  sampleSeed?: number;
}

export interface EntryReport {
  /** [row, col] within the tensor. */
  index: [number, number];
  analytic: number;
  numeric: number;
  absoluteError: number;
  /** |g − g̃| / (|g| + |g̃|); 0 when both are 0. */
  relativeError: number;
  kink: boolean;
  /** The cost or the analytic value was not finite (numeric/analytic may then be NaN or ±∞). */
  nonFinite: boolean;
}

export interface TensorReport {
  name: string;
  shape: [number, number];
  /** This tensor's own ‖g_t − g̃_t‖ / (‖g_t‖ + ‖g̃_t‖) over its checked entries (0 when both norms are 0). */
  difference: number;
  /** ‖g_t − g̃_t‖ / (‖g‖ + ‖g̃‖): this tensor's share of the overall difference (non-kink entries). */
  contribution: number;
  passed: boolean;
  checked: number;
  kinkCount: number;
  nonFiniteCount: number;
  /** Checked entries, largest absolute error first (the entries that move the difference most). */
  entries: EntryReport[];
}

export type Verdict = 'passed' | 'failed' | 'zero-gradient' | 'non-finite';

export interface GradcheckReport {
  /** The course's difference over every checked finite entry (0 when the gradient is zero everywhere). */
  difference: number;
  /** The same, leaving out kink entries: what the verdict compares. */
  differenceWithoutKinks: number;
  passed: boolean;
  verdict: Verdict;
  /** One sentence for people: what passed or failed and why. */
  message: string;
  epsilon: number;
  threshold: number;
  sampled: boolean;
  tensors: TensorReport[];
}

export const DEFAULT_EPSILON = 1e-7;
export const DEFAULT_THRESHOLD = 2e-7;

/** Which flat offsets of each tensor to check: all, or k chosen by a seeded permutation (kept in order). */
function chooseEntries(size: number, sample: number | undefined, rs: RandomState): Int32Array {
  if (sample === undefined || sample >= size) return Int32Array.from({ length: size }, (_, i) => i);
  return rs.permutation(size).slice(0, sample).sort();
}

function differs(a: Float64Array | undefined, b: Float64Array | undefined): boolean {
  if (!a || !b) return false;
  for (let i = 0; i < a.length; i++) if (a[i]! > 0 !== b[i]! > 0) return true;
  return false;
}

function ratio(num: number, den: number): number {
  return den === 0 ? 0 : num / den;
}

interface Planned {
  spec: TensorSpec;
  entries: EntryReport[];
  /** Offset in θ. */
  i: number;
  index: [number, number];
}

function entryReport(
  p: Planned,
  plus: EvaluateResult,
  minus: EvaluateResult,
  analyticAll: Float64Array,
  epsilon: number,
): EntryReport {
  const analytic = analyticAll[p.i]!;
  const numeric = (plus.cost - minus.cost) / (2 * epsilon);
  const nonFinite = !Number.isFinite(numeric) || !Number.isFinite(analytic);
  const absoluteError = nonFinite ? Number.POSITIVE_INFINITY : Math.abs(analytic - numeric);
  const scale = Math.abs(analytic) + Math.abs(numeric);
  return {
    index: p.index,
    analytic,
    numeric,
    absoluteError,
    relativeError: nonFinite ? Number.POSITIVE_INFINITY : ratio(absoluteError, scale),
    kink: differs(plus.kinkInputs, minus.kinkInputs),
    nonFinite,
  };
}

export async function checkGradients(problem: CheckProblem, options: CheckOptions = {}): Promise<GradcheckReport> {
  const epsilon = options.epsilon ?? DEFAULT_EPSILON;
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  if (!(epsilon > 0)) throw new RangeError(`epsilon must be > 0, got ${epsilon}`);
  if (!(threshold > 0)) throw new RangeError(`threshold must be > 0, got ${threshold}`);
  if (options.sample !== undefined && !(Number.isInteger(options.sample) && options.sample >= 1)) {
    throw new RangeError(`sample must be a positive integer, got ${options.sample}`);
  }
  const theta = problem.theta.slice();
  const rs = new RandomState(options.sampleSeed ?? 0);
  const raw: { spec: TensorSpec; entries: EntryReport[] }[] = [];
  const planned: Planned[] = [];
  let offset = 0;
  for (const spec of problem.tensors) {
    const entries: EntryReport[] = [];
    raw.push({ spec, entries });
    for (const k of chooseEntries(spec.rows * spec.cols, options.sample, rs)) {
      planned.push({ spec, entries, i: offset + k, index: [Math.floor(k / spec.cols), k % spec.cols] });
    }
    offset += spec.rows * spec.cols;
  }
  const perturbed = (i: number, delta: number) => {
    const t = theta.slice();
    t[i] = theta[i]! + delta;
    return t;
  };
  if (problem.evaluateBatch) {
    for (let from = 0; from < planned.length; from += BATCH_ENTRIES) {
      const chunk = planned.slice(from, from + BATCH_ENTRIES);
      problem.onEntry?.(chunk[0]!.spec.name, chunk[0]!.index);
      const results = await problem.evaluateBatch(
        chunk.flatMap((p) => [perturbed(p.i, epsilon), perturbed(p.i, -epsilon)]),
      );
      chunk.forEach((p, c) =>
        p.entries.push(entryReport(p, results[2 * c]!, results[2 * c + 1]!, problem.analytic, epsilon)),
      );
    }
  } else {
    for (const p of planned) {
      problem.onEntry?.(p.spec.name, p.index);
      const saved = theta[p.i]!;
      theta[p.i] = saved + epsilon;
      const plus = await problem.evaluate(theta);
      // An evaluate may hand back a buffer it reuses: keep this one's kink inputs before the next call.
      const plusResult = plus.kinkInputs ? { cost: plus.cost, kinkInputs: plus.kinkInputs.slice() } : plus;
      theta[p.i] = saved - epsilon;
      const minus = await problem.evaluate(theta);
      theta[p.i] = saved;
      p.entries.push(entryReport(p, plusResult, minus, problem.analytic, epsilon));
    }
  }
  return summarize(raw, epsilon, threshold, options.sample !== undefined);
}

interface Sums {
  diff2: number;
  g2: number;
  n2: number;
}

function sums(entries: EntryReport[], skipKinks: boolean): Sums {
  const s = { diff2: 0, g2: 0, n2: 0 };
  for (const e of entries) {
    if (e.nonFinite || (skipKinks && e.kink)) continue;
    s.diff2 += (e.analytic - e.numeric) ** 2;
    s.g2 += e.analytic * e.analytic;
    s.n2 += e.numeric * e.numeric;
  }
  return s;
}

function total(parts: Sums[]): Sums {
  return parts.reduce((a, b) => ({ diff2: a.diff2 + b.diff2, g2: a.g2 + b.g2, n2: a.n2 + b.n2 }), {
    diff2: 0,
    g2: 0,
    n2: 0,
  });
}

const differenceOf = (s: Sums) => ratio(Math.sqrt(s.diff2), Math.sqrt(s.g2) + Math.sqrt(s.n2));

function summarize(
  raw: { spec: TensorSpec; entries: EntryReport[] }[],
  epsilon: number,
  threshold: number,
  sampled: boolean,
): GradcheckReport {
  const all = raw.map((r) => sums(r.entries, false));
  const clean = raw.map((r) => sums(r.entries, true));
  const overall = total(all);
  const overallClean = total(clean);
  const denominator = Math.sqrt(overallClean.g2) + Math.sqrt(overallClean.n2);
  const contributions = clean.map((s) => ratio(Math.sqrt(s.diff2), denominator));
  // Smallest set of tensors, largest contribution first, whose removal makes the rest pass.
  const failing = new Set<number>();
  raw.forEach((r, t) => r.entries.some((e) => e.nonFinite) && failing.add(t));
  const order = contributions.map((_, t) => t).sort((a, b) => contributions[b]! - contributions[a]!);
  let remaining = overallClean.diff2;
  for (const t of failing) remaining -= clean[t]!.diff2;
  for (const t of order) {
    if (ratio(Math.sqrt(Math.max(remaining, 0)), denominator) <= threshold) break;
    if (failing.has(t)) continue;
    failing.add(t);
    remaining -= clean[t]!.diff2;
  }
  const tensors: TensorReport[] = raw.map(({ spec, entries }, t) => ({
    name: spec.name,
    shape: [spec.rows, spec.cols],
    difference: differenceOf(all[t]!),
    contribution: contributions[t]!,
    passed: !failing.has(t),
    checked: entries.length,
    kinkCount: entries.filter((e) => e.kink).length,
    nonFiniteCount: entries.filter((e) => e.nonFinite).length,
    entries: [...entries].sort((a, b) => b.absoluteError - a.absoluteError),
  }));
  const difference = differenceOf(overall);
  const differenceWithoutKinks = differenceOf(overallClean);
  const nonFinite = tensors.filter((t) => t.nonFiniteCount > 0);
  const failed = tensors.filter((t) => !t.passed).map((t) => t.name);
  let verdict: Verdict;
  let message: string;
  if (nonFinite.length > 0) {
    verdict = 'non-finite';
    const first = nonFinite[0]!;
    const e = first.entries.find((x) => x.nonFinite)!;
    const what = Number.isFinite(e.analytic) ? 'the cost is not finite' : 'the analytic gradient is not finite';
    message = `${what} at ${first.name}[${e.index.join(',')}] (±ε); failing: ${failed.join(', ')}`;
  } else if (denominator === 0 && Math.sqrt(overall.g2) + Math.sqrt(overall.n2) === 0) {
    verdict = 'zero-gradient';
    message =
      'the analytic and numeric gradients are both exactly zero: nothing to compare, so the check passes vacuously';
  } else if (failed.length > 0) {
    verdict = 'failed';
    message = `mistake in the gradient of ${failed.join(', ')}: difference ${difference.toExponential(3)} > ${threshold}`;
  } else {
    verdict = 'passed';
    const kinks = tensors.reduce((n, t) => n + t.kinkCount, 0);
    message = kinks
      ? `gradients agree: difference ${differenceWithoutKinks.toExponential(3)} ≤ ${threshold} without the ${kinks} kink entries (${difference.toExponential(3)} with them)`
      : `gradients agree: difference ${difference.toExponential(3)} ≤ ${threshold}`;
  }
  return {
    difference,
    differenceWithoutKinks,
    passed: verdict === 'passed' || verdict === 'zero-gradient',
    verdict,
    message,
    epsilon,
    threshold,
    sampled,
    tensors,
  };
}
