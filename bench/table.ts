/**
 * Plain-text table for the bench results: one section per module; wall-clock and CPU milliseconds, each with its
 * speed-up = baseline ÷ NN Lab.
 */
import type { BenchRow } from './api';

export interface Section {
  title: string;
  rows: BenchRow[];
}

const ms = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(0);

function ratio(ours: number | null | undefined, base: number | null | undefined): string {
  if (ours === null || ours === undefined || base === null || base === undefined) return '—';
  return `${(base / ours).toFixed(1)}×`;
}

export function formatTable(sections: Section[]): string {
  const header = [
    'case',
    'baseline',
    'NN Lab ms',
    'baseline ms',
    'speed-up',
    'NN Lab cpu',
    'baseline cpu',
    'cpu speed-up',
    'note',
  ];
  const lines: string[][] = [];
  const out: string[] = [];
  const body = sections.map((s) =>
    s.rows.map((r) => [
      r.name,
      r.baseline?.name ?? '',
      ms(r.ms),
      ms(r.baseline?.ms),
      ratio(r.ms, r.baseline?.ms),
      ms(r.cpu?.ms),
      ms(r.cpu?.baselineMs),
      ratio(r.cpu?.ms, r.cpu?.baselineMs),
      r.note ?? '',
    ]),
  );
  for (const rows of body) lines.push(...rows);
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c]!.length)));
  const fmt = (cells: string[]) =>
    cells
      .map((cell, c) => (c <= 1 || c === cells.length - 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  out.push(fmt(header), widths.map((w) => '─'.repeat(w)).join('  '));
  sections.forEach((s, i) => {
    out.push(`${s.title}`);
    for (const row of body[i]!) out.push(fmt(row));
  });
  return out.join('\n');
}
