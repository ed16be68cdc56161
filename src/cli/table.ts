/** The readable result table `nnlab run` prints without `--json`. */
import { epochsOf } from '../core/nn/costHistory';
import type { RunResult } from '../core/types';
import { formatAccuracy, formatDuration, formatNumber } from '../runner/format';

const HEADERS = ['experiment', 'status', 'final cost', 'train acc', 'test acc', 'epochs', 'time'];
/** Numbers right-aligned, text left-aligned. */
const RIGHT = [false, false, true, true, true, true, true];

function row(r: RunResult): string[] {
  const last = r.costs[r.costs.length - 1];
  const status =
    r.status === 'diverged' && r.divergedAtEpoch !== undefined ? `diverged@${r.divergedAtEpoch}` : r.status;
  return [
    r.name,
    status,
    last === undefined ? '–' : formatNumber(last),
    r.trainAccuracy === null ? '–' : formatAccuracy(r.trainAccuracy),
    r.testAccuracy === null ? '–' : formatAccuracy(r.testAccuracy),
    String(epochsOf(r)),
    r.status === 'error' && r.costs.length === 0 ? '–' : formatDuration(r.durationMs),
  ];
}

export function formatTable(results: readonly RunResult[]): string {
  const rows = [HEADERS, ...results.map(row)];
  const widths = HEADERS.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (RIGHT[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  const out = [line(HEADERS), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
  // Errors are long; they go below the table instead of widening it.
  for (const r of results) if (r.error) out.push(`${r.name}: ${r.status}: ${r.error}`);
  // What the per-layer signals show (src/core/inspect), one remark a line.
  for (const r of results) for (const d of r.inspection?.diagnoses ?? []) out.push(`${r.name}: ⚠ ${d.text}`);
  return `${out.join('\n')}\n`;
}
