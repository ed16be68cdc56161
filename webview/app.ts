/**
 * The panel: owns the state, routes host messages to the views, and redraws only what a message changed
 * (progress → append to the live cost chart; a run started/finished or a setting → that view; theme → everything).
 */
import type { ChartTheme } from '../src/charts/theme';
import { finalCost } from '../src/charts/compare';
import { toWebviewMessage, VIEW_KINDS, type ChartRun, type RunControl, type ViewKind } from '../src/protocol/webview';
import { isSweep } from '../src/charts/sweep';
import { drawBoundaries } from './boundaryChart';
import { drawPaths } from './pathsChart';
import { renderCompareTable } from './compareTable';
import { CostChart } from './costChart';
import { chartBox, clear, el } from './dom';
import type { Chart } from './embed';
import { drawEntries, drawGradcheckBars, worstTable } from './gradcheckView';
import { applyMessage, restoreState, SMOOTHING_CHOICES, type PanelState } from './state';
import { drawParallel, metricPicker, topRuns } from './sweepView';
import { NetworkView } from './networkView';
import { observeTheme, readTheme } from './theme';
import type { HostConnection } from './vscodeApi';

const VIEW_LABELS: Record<ViewKind, string> = {
  run: 'Run',
  network: 'Network',
  compare: 'Compare',
  gradcheck: 'Gradient check',
};
/** Saving 10⁴-point runs on every progress chunk would cost more than drawing them. */
const SAVE_EVERY_MS = 1000;

export class Panel {
  private state: PanelState;
  private theme: ChartTheme;
  private themeKey: string;
  private cost: CostChart | undefined;
  private network: NetworkView | undefined;
  private readonly charts = new Map<string, Chart>();
  private readonly drawing = new Set<Promise<unknown>>();
  /** Bumped by every full redraw, so charts finishing for a superseded view are dropped. */
  private generation = 0;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the host's whole state has arrived (a restored panel draws its saved state before that). */
  private hostStateArrived = false;
  /** The run view's summary line, updated as progress arrives. */
  private summary: RunSummary | undefined;
  private readonly tabs = new Map<ViewKind, HTMLButtonElement>();
  private readonly view = el('main', { id: 'view', role: 'tabpanel' });
  private readonly logY = el('input', { type: 'checkbox', id: 'log-y' });
  private readonly smoothing = el('select', { id: 'smoothing', title: 'Moving average over epochs' });

  constructor(
    private readonly root: HTMLElement,
    private readonly host: HostConnection,
  ) {
    this.state = restoreState(host.loadState());
    this.theme = readTheme();
    this.themeKey = JSON.stringify(this.theme);
  }

  start(): () => void {
    this.root.append(this.toolbar(), this.view);
    this.redraw();
    const onMessage = (event: MessageEvent) => this.receive(event.data);
    window.addEventListener('message', onMessage);
    const stopTheme = observeTheme(() => this.themeChanged());
    this.host.post({ type: 'ready' });
    return () => {
      window.removeEventListener('message', onMessage);
      stopTheme();
      this.disposeCharts();
    };
  }

  /** For tests and benchmarks (exposed read-only by main.ts). */
  inspect() {
    return {
      chart: (name: string) => this.charts.get(name)?.result.view,
      firstDrawMs: (name: string) => this.charts.get(name)?.firstDrawMs,
      liveStats: () => (this.cost ? { ...this.cost.stats, pending: this.cost.pendingChunks } : undefined),
      settled: async () => {
        while (this.drawing.size) await Promise.allSettled([...this.drawing]);
      },
      view: () => this.state.data.view,
      /** Whether the host has answered `ready`: until then a restored panel shows what it saved, then redraws. */
      hostStateArrived: () => this.hostStateArrived,
      /** The network view's replay slider and neuron selection, as a user would move them. */
      replay: (index: number) => this.network?.replay(index),
      selectNeuron: (id: string) => this.network?.selectNeuron(id),
    };
  }

  private receive(raw: unknown): void {
    let message;
    try {
      message = toWebviewMessage(raw);
    } catch (error) {
      this.host.post({ type: 'error', message: `rejected a host message: ${(error as Error).message}` });
      return;
    }
    if (message.type === 'state') this.hostStateArrived = true;
    const change = applyMessage(this.state, message);
    switch (change.kind) {
      case 'none':
        return;
      case 'progress':
        if (this.cost?.shows(change.run.id)) this.cost.append(change.run, change.range);
        if (this.summary?.runId === change.run.id) this.summary.update(change.run);
        if (change.snapshot && this.network?.shows(change.run.id)) this.network.live(change.run);
        this.scheduleSave();
        return;
      case 'paths':
        if (this.state.data.view === 'compare') this.drawPaths(this.state.data.runs);
        this.save();
        return;
      default:
        this.redraw();
        this.save();
    }
  }

  private save(): void {
    if (this.saveTimer !== undefined) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.host.saveState(this.state);
  }

  private scheduleSave(): void {
    this.saveTimer ??= setTimeout(() => this.save(), SAVE_EVERY_MS);
  }

  private themeChanged(): void {
    const theme = readTheme();
    const key = JSON.stringify(theme);
    if (key === this.themeKey) return;
    this.theme = theme;
    this.themeKey = key;
    this.redraw();
  }

  private toolbar(): HTMLElement {
    const tabs = el('div', { role: 'tablist', class: 'tabs' });
    for (const kind of VIEW_KINDS) {
      const tab = el('button', { type: 'button', role: 'tab', id: `tab-${kind}` }, VIEW_LABELS[kind]);
      tab.addEventListener('click', () => {
        this.state.data.view = kind;
        this.host.post({ type: 'viewChanged', view: kind });
        this.redraw();
        this.save();
      });
      this.tabs.set(kind, tab);
      tabs.append(tab);
    }
    this.logY.checked = this.state.ui.logY;
    this.logY.addEventListener('change', () => this.setUi({ logY: this.logY.checked }));
    for (const n of SMOOTHING_CHOICES) {
      const option = el('option', { value: n }, n === 0 ? 'off' : `${n} epochs`);
      option.selected = n === this.state.ui.smoothing;
      this.smoothing.append(option);
    }
    this.smoothing.addEventListener('change', () => this.setUi({ smoothing: Number(this.smoothing.value) }));
    return el(
      'header',
      { class: 'toolbar' },
      tabs,
      el(
        'span',
        { class: 'controls' },
        el('label', {}, this.logY, ' log y'),
        el('label', {}, 'smoothing ', this.smoothing),
      ),
    );
  }

  private setUi(ui: Partial<PanelState['ui']>): void {
    Object.assign(this.state.ui, ui);
    this.redraw();
    this.save();
  }

  private disposeCharts(): void {
    this.cost?.dispose();
    this.cost = undefined;
    this.summary = undefined;
    this.network = undefined;
    for (const chart of this.charts.values()) chart.result.finalize();
    this.charts.clear();
  }

  /**
   * Tracks an async draw; when it finishes for a view that is still shown, registers it under `name`, finalizing
   * the chart registered there before (the network view redraws its charts as the replay slider moves).
   */
  private track(name: string, drawing: Promise<Chart> | undefined): Promise<void> {
    if (!drawing) return Promise.resolve();
    const generation = this.generation;
    const tracked = drawing.then(
      (chart) => {
        if (generation !== this.generation) {
          chart.result.finalize();
          return;
        }
        const before = this.charts.get(name);
        if (before && before !== chart) before.result.finalize();
        this.charts.set(name, chart);
      },
      (error: Error) =>
        this.host.post({ type: 'error', message: `could not draw the ${name} chart: ${error.message}` }),
    );
    this.drawing.add(tracked);
    void tracked.finally(() => this.drawing.delete(tracked));
    return tracked;
  }

  private redraw(): void {
    this.generation++;
    this.disposeCharts();
    clear(this.view);
    const { data } = this.state;
    for (const [kind, tab] of this.tabs) tab.setAttribute('aria-selected', String(kind === data.view));
    const curves = data.view !== 'gradcheck';
    this.logY.disabled = !curves;
    this.smoothing.disabled = !curves;
    this.view.setAttribute('aria-labelledby', `tab-${data.view}`);
    if (data.view === 'gradcheck') this.drawGradcheck();
    else if (data.view === 'network') this.drawNetwork(data.runs[data.runs.length - 1]);
    else if (data.view === 'compare') this.drawRuns(data.runs, true);
    else this.drawRuns(data.runs.slice(-1), false);
  }

  private drawRuns(runs: ChartRun[], compare: boolean): void {
    if (!runs.length) {
      this.view.append(
        el('p', { class: 'note' }, 'No runs yet. Run an experiment (▶ Run above its name) to see its cost curve here.'),
      );
      return;
    }
    const { ui } = this.state;
    let shown = runs;
    if (!compare) {
      this.summary = new RunSummary(runs[0]!, (action) =>
        this.host.post({ type: 'control', runId: runs[0]!.id, action }),
      );
      this.view.append(this.summary.element);
    } else if (isSweep(runs)) {
      // A sweep: the parallel coordinates of all trials, then curves and boundaries of the top few only.
      shown = topRuns(runs, ui.metric);
      const box = chartBox('sweep-chart', 'swept values against outcomes');
      this.view.append(
        el(
          'header',
          { class: 'summary' },
          el('h1', {}, `Sweep: ${runs.length} trials`),
          metricPicker(ui.metric, (metric) => this.setUi({ metric, sort: null })),
        ),
        box,
        el('p', { class: 'note' }, `Curves and boundaries of the best ${shown.length}; every trial is in the table.`),
      );
      this.track('sweep', drawParallel(box, runs, ui.metric, this.theme));
    }
    const costBox = chartBox('cost-chart', 'cost curves');
    const boundaryBox = chartBox('boundary-chart', 'decision boundaries');
    this.view.append(costBox, boundaryBox);
    if (compare) {
      const sort =
        ui.sort ??
        (isSweep(runs)
          ? { key: ui.metric, direction: ui.metric === 'finalCost' ? ('ascending' as const) : ('descending' as const) }
          : null);
      const table = renderCompareTable(runs, sort, (next) => this.setUi({ sort: next }));
      this.view.append(el('section', { class: 'table', id: 'compare-table' }, table));
      this.drawPaths(runs);
    }
    this.cost = new CostChart(costBox, shown, { theme: this.theme, logY: ui.logY, smoothing: ui.smoothing });
    this.track('cost', this.cost.ready);
    // Small multiples beyond six become too small to read (and each is 10⁴ cells).
    this.track('boundary', drawBoundaries(boundaryBox, shown.slice(0, 6), this.theme));
  }

  /** The comparison's optimizer paths, when the host has sent them: drawn alone when they arrive after the runs. */
  private drawPaths(runs: ChartRun[]): void {
    const paths = this.state.data.paths;
    this.view.querySelector('#paths')?.remove();
    if (!paths || isSweep(runs)) return;
    const box = chartBox('paths-chart', 'optimizer paths');
    const note =
      `Each run's snapshots on the plane of the top two principal directions of all runs' snapshots, centred on ${paths.origin}'s final ` +
      'parameters, over the training cost on that plane (Li et al., 2018). Movement off the plane is not shown, so a path may end off its valley.';
    this.view.append(el('div', { id: 'paths' }, box, el('p', { class: 'note' }, note)));
    this.track(
      'paths',
      drawPaths(
        box,
        paths,
        runs.map((r) => r.name),
        this.theme,
      ),
    );
  }

  private drawNetwork(run: ChartRun | undefined): void {
    if (!run) {
      this.view.append(el('p', { class: 'note' }, 'No runs yet. Run an experiment to see its network here.'));
      return;
    }
    const host = {
      theme: this.theme,
      track: (name: string, d: Promise<Chart> | undefined) => this.track(name, d),
      chart: (name: string) => this.charts.get(name),
    };
    this.network = new NetworkView(run, host);
    this.view.append(this.network.element);
    // Registered like a chart so settled() waits for the first draw.
    const started = this.network.start();
    this.drawing.add(started);
    void started.finally(() => this.drawing.delete(started));
  }

  private drawGradcheck(): void {
    const report = this.state.data.gradcheck;
    if (!report) {
      this.view.append(
        el('p', { class: 'note' }, 'No gradient check yet. Run "NN Lab: Check Gradients" on an experiment.'),
      );
      return;
    }
    const select = (param: string) => this.setUi({ selectedParam: param });
    const barsBox = chartBox('gradcheck-chart', 'relative difference per tensor');
    const entriesBox = chartBox('entries-chart', 'per-entry relative error');
    this.view.append(
      barsBox,
      el(
        'section',
        { class: 'table', id: 'worst-table' },
        el('h2', {}, 'Worst entries'),
        worstTable(report, this.state.ui.selectedParam, select),
      ),
      entriesBox,
    );
    this.track('gradcheck', drawGradcheckBars(barsBox, report, this.theme, select));
    const param = this.state.ui.selectedParam;
    if (param) this.track('entries', drawEntries(entriesBox, report, param, this.theme));
  }
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/** The run view's header: name, status and metrics; the metrics follow live progress. */
class RunSummary {
  readonly element: HTMLElement;
  readonly runId: string;
  private readonly metrics = el('span', { class: 'metrics' });

  constructor(run: ChartRun, control: (action: RunControl) => void) {
    this.runId = run.id;
    const status =
      run.status === 'diverged'
        ? `diverged at epoch ${run.divergedAtEpoch ?? '?'}`
        : run.status === 'error'
          ? `error: ${run.error ?? ''}`
          : run.paused
            ? 'paused'
            : run.status;
    this.element = el(
      'header',
      { class: 'summary' },
      el('h1', {}, run.name),
      el('span', { class: `badge status-${run.paused ? 'paused' : run.status}` }, status),
      this.metrics,
    );
    if (run.status === 'running') {
      // A paused run keeps its exact state in its worker; Step trains one epoch and pauses again.
      const buttons: Array<[RunControl, string, string]> = [
        run.paused ? ['resume', '▶ Resume', 'Resume training'] : ['pause', '⏸ Pause', 'Pause before the next epoch'],
        ['step', '⏭ Step', 'Train one epoch, then pause'],
      ];
      const group = el('span', { class: 'run-controls', role: 'group', 'aria-label': 'run controls' });
      for (const [action, label, title] of buttons) {
        const button = el('button', { type: 'button', class: 'control', id: `run-${action}`, title }, label);
        button.addEventListener('click', () => control(action));
        group.append(button);
      }
      this.element.append(group);
    }
    this.update(run);
  }

  update(run: ChartRun): void {
    const cost = finalCost(run);
    const parts = [`cost ${cost === null ? '—' : cost.toPrecision(4)}`, `${run.costs.length}/${run.epochs} epochs`];
    if (run.status !== 'running') {
      parts.unshift(`train ${pct(run.trainAccuracy)}`, `test ${pct(run.testAccuracy)}`);
      parts.push(`${(run.durationMs / 1000).toFixed(1)} s`);
    }
    this.metrics.textContent = parts.join(' · ');
  }
}
