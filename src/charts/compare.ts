/**
 * The comparison table: one row per run; the columns are the config keys whose values differ between the runs,
 * then the outcome columns. Shared by the webview's sortable table and the saved HTML report.
 */
import type { ChartRun } from '../protocol/charts';

export type CellValue = string | number | null;

export interface TableColumn {
  key: string;
  label: string;
  /** Numbers sort numerically and align right. */
  numeric: boolean;
  /** How a value is shown (sorting uses the raw value). */
  format: (value: CellValue) => string;
}

export interface ComparisonTable {
  columns: TableColumn[];
  /** rows[i][column.key] is run i's raw value. */
  rows: Array<Record<string, CellValue>>;
  /** The run id of each row, in the same order as rows. */
  ids: string[];
}

const plain = (v: CellValue): string => (v === null ? '—' : String(v));
const percent = (v: CellValue): string => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '—');
const cost = (v: CellValue): string => (typeof v === 'number' ? (Number.isFinite(v) ? v.toPrecision(4) : 'NaN') : '—');
const seconds = (v: CellValue): string => (typeof v === 'number' ? `${(v / 1000).toFixed(2)} s` : '—');

/** The last finite cost of a run, or null when there is none. */
export function finalCost(run: ChartRun): number | null {
  for (let i = run.costs.length - 1; i >= 0; i--) {
    const c = run.costs[i]!;
    if (Number.isFinite(c)) return c;
  }
  return null;
}

/** Config keys whose values are not all equal across the runs (all keys of a single run would be noise: none). */
export function differingKeys(runs: ChartRun[]): string[] {
  const keys = new Set<string>();
  for (const run of runs) for (const key of Object.keys(run.config)) keys.add(key);
  const out: string[] = [];
  for (const key of keys) {
    if (key === 'name') continue;
    const first = runs[0]?.config[key];
    if (runs.some((r) => r.config[key] !== first)) out.push(key);
  }
  return out.sort();
}

export function comparisonTable(runs: ChartRun[]): ComparisonTable {
  const keys = differingKeys(runs);
  const configColumns: TableColumn[] = keys.map((key) => ({
    key: `config:${key}`,
    label: key,
    numeric: runs.every((r) => typeof r.config[key] === 'number' || r.config[key] === undefined),
    format: plain,
  }));
  const columns: TableColumn[] = [
    { key: 'name', label: 'run', numeric: false, format: plain },
    ...configColumns,
    { key: 'finalCost', label: 'final cost', numeric: true, format: cost },
    { key: 'trainAccuracy', label: 'train acc', numeric: true, format: percent },
    { key: 'testAccuracy', label: 'test acc', numeric: true, format: percent },
    { key: 'epochs', label: 'epochs', numeric: true, format: plain },
    { key: 'durationMs', label: 'time', numeric: true, format: seconds },
    { key: 'status', label: 'status', numeric: false, format: plain },
  ];
  const rows = runs.map((run) => {
    const row: Record<string, CellValue> = {
      name: run.name,
      finalCost: finalCost(run),
      trainAccuracy: run.trainAccuracy,
      testAccuracy: run.testAccuracy,
      epochs: run.costs.length,
      durationMs: run.durationMs,
      status: run.status,
    };
    for (const key of keys) {
      const v = run.config[key];
      row[`config:${key}`] = v === undefined || v === null ? null : typeof v === 'boolean' ? String(v) : v;
    }
    return row;
  });
  return { columns, rows, ids: runs.map((r) => r.id) };
}

export type SortDirection = 'ascending' | 'descending';

/** Row order for a column: nulls last in both directions, numbers numerically, text by locale. */
export function sortOrder(table: ComparisonTable, key: string, direction: SortDirection): number[] {
  const sign = direction === 'ascending' ? 1 : -1;
  const order = table.rows.map((_, i) => i);
  return order.sort((a, b) => {
    const va = table.rows[a]![key] ?? null;
    const vb = table.rows[b]![key] ?? null;
    if (va === null || vb === null) return va === vb ? a - b : va === null ? 1 : -1;
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
    return c === 0 ? a - b : sign * c;
  });
}
