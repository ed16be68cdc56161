/**
 * The cost-curve chart, live: the first draw carries the rows known so far; later chunks are appended to the view's
 * `costs` dataset with changesets, coalesced per animation frame and at most 10 redraws a second. Nothing is
 * dropped: every chunk's rows wait in `pending` until a flush inserts them.
 */
import { changeset } from 'vega';
import type { ChartTheme } from '../src/charts/theme';
import { bucketSize, costChartData, costRows, decimate, SERIES, type CostRow, type RowRange } from '../src/charts/rows';
import { costSpec, seriesDataset } from '../src/charts/specs';
import type { ChartRun } from '../src/protocol/webview';
import { drawChart, type Chart } from './embed';
import { FrameThrottle } from './frameThrottle';

/** Redraws per second at most while training (the 10 Hz). */
const MAX_HZ = 10;

export interface LiveStats {
  /** Chunks received, and curve points inserted by flushes (after decimation). */
  chunks: number;
  rowsInserted: number;
  flushes: number;
  /** Most chunks folded into one flush. */
  maxChunksPerFlush: number;
  /** Longest time from a chunk's arrival to the end of the flush that drew it. */
  maxLagMs: number;
  /** Longest flush (insert + dataflow + render). */
  maxFlushMs: number;
}

export interface CostChartOptions {
  theme: ChartTheme;
  logY: boolean;
  smoothing: number;
}

export class CostChart {
  readonly ready: Promise<Chart>;
  readonly stats: LiveStats = {
    chunks: 0,
    rowsInserted: 0,
    flushes: 0,
    maxChunksPerFlush: 0,
    maxLagMs: 0,
    maxFlushMs: 0,
  };
  /** Run id → legend label and the run's index (which names its datasets). */
  private readonly labels: Map<string, { label: string; index: number }>;
  private readonly pending: Array<{ index: number; rows: CostRow[]; at: number }> = [];
  private readonly throttle = new FrameThrottle(() => this.flush(), 1000 / MAX_HZ);
  private chart: Chart | undefined;
  /** Epochs per drawn bucket (see decimate), fixed by the x domain so live chunks decimate like a full draw. */
  private readonly bucket: number;

  constructor(container: HTMLElement, runs: ChartRun[], o: CostChartOptions) {
    const data = costChartData(runs);
    this.labels = new Map(runs.map((r, i) => [r.id, { label: data.labels[i]!, index: i }]));
    this.bucket = bucketSize(data.maxEpoch);
    const spec = costSpec({ theme: o.theme, ...data, logY: o.logY, smoothing: o.smoothing });
    this.ready = drawChart(container, spec, 'cost').then((chart) => {
      this.chart = chart;
      if (this.pending.length) this.throttle.request();
      return chart;
    });
  }

  /** Queues the rows of a new chunk of `run` for the next flush. */
  append(run: ChartRun, range: RowRange): void {
    const known = this.labels.get(run.id);
    if (known === undefined) return;
    const rows = costRows(run, known.label, range);
    this.stats.chunks++;
    if (!rows.length) return;
    this.pending.push({ index: known.index, rows, at: performance.now() });
    if (this.chart) this.throttle.request();
  }

  /** Chunks received but not drawn yet (at most those of one frame interval, if nothing queues up). */
  get pendingChunks(): number {
    return this.pending.length + (this.throttle.busy ? 1 : 0);
  }

  shows(runId: string): boolean {
    return this.labels.has(runId);
  }

  dispose(): void {
    this.throttle.dispose();
    this.chart?.result.finalize();
  }

  private async flush(): Promise<void> {
    const chart = this.chart;
    if (!chart || !this.pending.length) return;
    const started = performance.now();
    const batch = this.pending.splice(0);
    // One changeset per dataset (run × series, and the hover targets), then one dataflow run for all of them.
    const byDataset = new Map<string, CostRow[]>();
    const add = (name: string, row: CostRow) => {
      const list = byDataset.get(name);
      if (list) list.push(row);
      else byDataset.set(name, [row]);
    };
    let rows = 0;
    for (const chunk of batch) {
      for (const series of SERIES) {
        const part = decimate(
          chunk.rows.filter((r) => r.series === series),
          this.bucket,
        );
        for (const row of part) add(seriesDataset(chunk.index, series), row);
        rows += part.length;
      }
      for (const row of chunk.rows) if (row.tip) add('tips', row);
    }
    const view = chart.result.view;
    for (const [name, list] of byDataset) view.change(name, changeset().insert(list));
    await view.runAsync();
    const done = performance.now();
    const s = this.stats;
    s.flushes++;
    s.rowsInserted += rows;
    s.maxChunksPerFlush = Math.max(s.maxChunksPerFlush, batch.length);
    s.maxFlushMs = Math.max(s.maxFlushMs, done - started);
    s.maxLagMs = Math.max(s.maxLagMs, done - batch[0]!.at);
  }
}
