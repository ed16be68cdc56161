/**
 * The one-line texts NN Lab shows next to code: inline run results, live progress, gradient-check lens titles.
 * Pure, so the CLI and the extension print the same thing and tests need no editor.
 */
import { epochsOf } from '../core/nn/costHistory';
import type { RunResult } from '../core/types';
import type { GradcheckReportData } from '../protocol/worker';

const BLOCKS = '▁▂▃▄▅▆▇█';

/**
 * A Unicode block sparkline of `values`, `width` characters wide: each character is the mean of its share of the
 * values, scaled between the finite minimum and maximum. Non-finite values (a diverged tail) are left out of the
 * scale and drawn as the top block, since they mean "off the chart".
 */
export function sparkline(values: ArrayLike<number>, width = 8): string {
  const n = values.length;
  if (n === 0 || width <= 0) return '';
  const cells = Math.min(width, n);
  const means: number[] = [];
  for (let c = 0; c < cells; c++) {
    const from = Math.floor((c * n) / cells);
    const to = Math.max(from + 1, Math.floor(((c + 1) * n) / cells));
    let sum = 0;
    for (let i = from; i < to; i++) sum += values[i]!;
    means.push(sum / (to - from));
  }
  const finite = means.filter(Number.isFinite);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return means
    .map((v) => {
      if (!Number.isFinite(v)) return BLOCKS[BLOCKS.length - 1];
      const level = hi > lo ? Math.round(((v - lo) / (hi - lo)) * (BLOCKS.length - 1)) : 0;
      return BLOCKS[level];
    })
    .join('');
}

/** A number for a one-line summary: 3 significant digits, exponent form below 0.001. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 1e-3 || a >= 1e6) return x.toExponential(1);
  return Number(x.toPrecision(3)).toString();
}

/** Seconds with one decimal below 10 s, whole seconds below a minute, then minutes and seconds. */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** Accuracy as the trainer reports it (a fraction 0…1) in percent with one decimal. */
export function formatAccuracy(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

function firstLine(text: string, max = 80): string {
  const line = text.split('\n', 1)[0]!.trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The inline result after an experiment's line, e.g. `✓ train 94.0% · test 92.0% · cost 0.129 ▇▅▃▂▂▁▁ · 2.1 s`. */
export function formatRunResult(result: RunResult): string {
  switch (result.status) {
    case 'error':
      return `✗ error: ${firstLine(result.error ?? 'unknown error')}`;
    case 'diverged':
      // The trainer counts epochs from 0; people count from 1.
      return `⚠ diverged at epoch ${(result.divergedAtEpoch ?? epochsOf(result) - 1) + 1}`;
    case 'cancelled':
      return `⊘ cancelled at epoch ${epochsOf(result)}`;
    case 'ok':
    case 'pruned': {
      const parts: string[] = [];
      if (result.trainAccuracy !== null) parts.push(`train ${formatAccuracy(result.trainAccuracy)}`);
      if (result.testAccuracy !== null) parts.push(`test ${formatAccuracy(result.testAccuracy)}`);
      const last = result.costs[result.costs.length - 1];
      if (last !== undefined) parts.push(`cost ${formatNumber(last)} ${sparkline(result.costs)}`);
      parts.push(formatDuration(result.durationMs));
      const remark = formatDiagnoses(result);
      if (remark) parts.push(remark);
      return `${result.status === 'ok' ? '✓' : '✂ pruned ·'} ${parts.join(' · ')}`;
    }
  }
}

/** The run's first diagnosis (the earliest) and how many more, e.g. `⚠ output saturated in 100% of examples at epoch 0 (+1 more)`. */
export function formatDiagnoses(result: RunResult): string {
  const all = result.inspection?.diagnoses ?? [];
  if (!all.length) return '';
  return `⚠ ${all[0]!.text}${all.length > 1 ? ` (+${all.length - 1} more)` : ''}`;
}

/** Live progress while a run trains, e.g. `⏳ epoch 120/1000 · cost 0.31 ▇▅▃`. */
export function formatProgress(epoch: number, epochs: number, costs: ArrayLike<number>): string {
  const last = costs.length ? costs[costs.length - 1]! : undefined;
  const cost = last === undefined ? '' : ` · cost ${formatNumber(last)} ${sparkline(costs)}`;
  return `⏳ epoch ${epoch}/${epochs}${cost}`;
}

/** `⏳ queued` — a run waiting for a free worker. */
export const QUEUED_TEXT = '⏳ queued';

/** The gradient-check lens title after a check: `∇ ✓ 1.2e-9` or `∇ ✗ W2, b1 (0.285)`. */
export function formatGradcheckTitle(report: GradcheckReportData): string {
  if (report.passed) return `∇ ✓ ${formatNumber(report.difference)}`;
  // In backprop order (last layer first): a mistake in one layer's backward step also spoils the gradients of
  // the layers before it, so the first failing tensor in this order is where to start looking.
  const failing = report.tensors
    .filter((t) => !t.passed)
    .map((t) => t.name)
    .reverse();
  return `∇ ✗ ${failing.join(', ')} (${formatNumber(report.difference)})`;
}

/**
 * The inline result of a sweep, on its experiment's line: the best trial by final cost among those that finished
 * (`ok`), e.g. `✓ best adam[learningRate=0.003,batchSize=32] · train 95.0% · cost 0.121 · 6 trials (1 pruned)`.
 */
export function formatSweepResult(trials: readonly RunResult[]): string {
  const finalCost = (r: RunResult): number => r.costs[r.costs.length - 1] ?? Infinity;
  const finished = trials.filter((r) => r.status === 'ok' && Number.isFinite(finalCost(r)));
  const counts = (['pruned', 'diverged', 'error', 'cancelled'] as const)
    .map((s) => [s, trials.filter((r) => r.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const tally = `${trials.length} trial${trials.length === 1 ? '' : 's'}${counts.length ? ` (${counts.join(', ')})` : ''}`;
  if (finished.length === 0) return `✗ no trial finished · ${tally}`;
  const best = finished.reduce((a, b) => (finalCost(b) < finalCost(a) ? b : a));
  const parts = [`best ${best.name}`];
  if (best.trainAccuracy !== null) parts.push(`train ${formatAccuracy(best.trainAccuracy)}`);
  if (best.testAccuracy !== null) parts.push(`test ${formatAccuracy(best.testAccuracy)}`);
  parts.push(`cost ${formatNumber(finalCost(best))}`, tally);
  return `✓ ${parts.join(' · ')}`;
}
