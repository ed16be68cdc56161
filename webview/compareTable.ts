/** The comparison table: differing config keys, then outcomes; a click on a header sorts by that column. */
import { comparisonTable, sortOrder, type SortDirection } from '../src/charts/compare';
import type { ChartRun } from '../src/protocol/webview';
import { el } from './dom';

export interface SortState {
  key: string;
  direction: SortDirection;
}

export function renderCompareTable(
  runs: ChartRun[],
  sort: SortState | null,
  onSort: (sort: SortState) => void,
): HTMLTableElement {
  const table = comparisonTable(runs);
  const order =
    sort && table.columns.some((c) => c.key === sort.key)
      ? sortOrder(table, sort.key, sort.direction)
      : table.rows.map((_, i) => i);
  const head = el(
    'tr',
    {},
    ...table.columns.map((column) => {
      const active = sort?.key === column.key;
      const next: SortDirection = active && sort!.direction === 'ascending' ? 'descending' : 'ascending';
      const button = el('button', { type: 'button', class: 'sort', title: `Sort by ${column.label}` }, column.label);
      button.addEventListener('click', () => onSort({ key: column.key, direction: next }));
      return el(
        'th',
        { scope: 'col', 'aria-sort': active ? sort!.direction : 'none', class: column.numeric ? 'num' : undefined },
        button,
      );
    }),
  );
  const body = order.map((i) => {
    const row = table.rows[i]!;
    return el(
      'tr',
      { 'data-run': table.ids[i], class: `status-${String(row.status)}` },
      ...table.columns.map((c) => el('td', { class: c.numeric ? 'num' : undefined }, c.format(row[c.key] ?? null))),
    );
  });
  return el('table', { class: 'compare' }, el('thead', {}, head), el('tbody', {}, ...body));
}
