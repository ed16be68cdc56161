/** Plain-text table for the bench results: one section per module, times in ms, speed-up = baseline ÷ NN Lab. */
import type { BenchRow } from './api';

export interface Section {
  title: string;
  rows: BenchRow[];
}

const ms = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(0));

export function speedup(row: BenchRow): string {
  const base = row.baseline?.ms;
  if (row.ms === null || base === null || base === undefined) return '—';
  return `${(base / row.ms).toFixed(1)}×`;
}

export function formatTable(sections: Section[]): string {
  const header = ['case', 'NN Lab ms', 'baseline', 'baseline ms', 'speed-up', 'note'];
  const lines: string[][] = [];
  const out: string[] = [];
  const body = sections.map((s) =>
    s.rows.map((r) => [r.name, ms(r.ms), r.baseline?.name ?? '', ms(r.baseline?.ms), speedup(r), r.note ?? '']),
  );
  for (const rows of body) lines.push(...rows);
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c]!.length)));
  const fmt = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 || c === 2 || c === 5 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  out.push(fmt(header), widths.map((w) => '─'.repeat(w)).join('  '));
  sections.forEach((s, i) => {
    out.push(`${s.title}`);
    for (const row of body[i]!) out.push(fmt(row));
  });
  return out.join('\n');
}
