/**
 * The panel's state: the data the host sent plus the user's view choices, and how each host message changes it.
 * The whole of it is what the webview saves with setState, so a restored panel draws before the host answers.
 */
import type { SortDirection } from '../src/charts/compare';
import { METRICS, type Metric } from '../src/charts/sweep';
import { parameterCount } from '../src/charts/network';
import { placeChunk } from '../src/protocol/chunks';
import { toPanelData, type ChartRun, type PanelData, type ToWebview, type ViewKind } from '../src/protocol/webview';

export interface UiState {
  logY: boolean;
  /** Moving-average window in epochs; 0 = off (the default). */
  smoothing: number;
  sort: { key: string; direction: SortDirection } | null;
  /** The gradient-check parameter whose per-entry heatmap is shown. */
  selectedParam: string | null;
  /** What ranks sweep trials (top k drawn, table order, best trial). */
  metric: Metric;
}

export interface PanelState {
  data: PanelData;
  ui: UiState;
}

export const SMOOTHING_CHOICES = [0, 5, 20, 50] as const;

export function initialState(): PanelState {
  return {
    data: { view: 'run', runs: [] },
    ui: { logY: false, smoothing: 0, sort: null, selectedParam: null, metric: 'finalCost' },
  };
}

/** A state saved by an earlier page load, or the initial state when there is none or it no longer validates. */
export function restoreState(saved: unknown): PanelState {
  const fresh = initialState();
  if (typeof saved !== 'object' || saved === null) return fresh;
  const s = saved as { data?: unknown; ui?: Partial<UiState> };
  try {
    const data = toPanelData(s.data);
    const ui = { ...fresh.ui };
    if (typeof s.ui?.logY === 'boolean') ui.logY = s.ui.logY;
    if ((SMOOTHING_CHOICES as readonly unknown[]).includes(s.ui?.smoothing)) ui.smoothing = s.ui!.smoothing!;
    if (s.ui?.sort && typeof s.ui.sort.key === 'string') {
      ui.sort = { key: s.ui.sort.key, direction: s.ui.sort.direction === 'descending' ? 'descending' : 'ascending' };
    }
    if (typeof s.ui?.selectedParam === 'string') ui.selectedParam = s.ui.selectedParam;
    if ((METRICS as readonly unknown[]).includes(s.ui?.metric)) ui.metric = s.ui!.metric!;
    return { data, ui };
  } catch {
    return fresh;
  }
}

/** What a message changed, so the panel redraws only that. */
export type Change =
  | { kind: 'all' }
  | { kind: 'view' }
  | { kind: 'runs' }
  | {
      kind: 'progress';
      run: ChartRun;
      snapshot: boolean;
      range: { from: number; to: number; testFrom: number; testTo: number };
    }
  | { kind: 'gradcheck' }
  | { kind: 'paths' }
  | { kind: 'none' };

/** Applies one validated host message to the state (in place: progress must not copy 10⁴-point arrays). */
export function applyMessage(state: PanelState, message: ToWebview): Change {
  const { data } = state;
  switch (message.type) {
    case 'state':
      state.data = message.data;
      return { kind: 'all' };
    case 'showView':
      data.view = message.view;
      return { kind: 'view' };
    case 'runStarted':
    case 'runFinished': {
      const at = data.runs.findIndex((r) => r.id === message.run.id);
      if (at >= 0) data.runs[at] = message.run;
      else data.runs.push(message.run);
      if (data.view === 'gradcheck') data.view = data.runs.length > 1 ? 'compare' : 'run';
      return { kind: 'runs' };
    }
    case 'progress': {
      const run = data.runs.find((r) => r.id === message.runId);
      if (!run) return { kind: 'none' };
      const train = placeChunk(run.costs, message.firstIndex, message.costs);
      // A snapshot that does not fit the run's network is dropped (the guard could not know the run).
      const fits =
        message.snapshot && run.model && message.snapshot.parameters.length === parameterCount(run.model.layers);
      if (fits) run.liveSnapshot = message.snapshot;
      let test = { from: 0, to: 0 };
      if (message.testCosts) test = placeChunk((run.testCosts ??= []), message.firstTestIndex ?? 0, message.testCosts);
      return {
        kind: 'progress',
        run,
        snapshot: Boolean(fits),
        range: { from: train.from, to: train.to, testFrom: test.from, testTo: test.to },
      };
    }
    case 'paths':
      data.paths = message.paths;
      return { kind: 'paths' };
    case 'gradcheck':
      data.gradcheck = message.report;
      data.view = 'gradcheck';
      state.ui.selectedParam =
        message.report.worst[0]?.param ?? message.report.parameters.find((t) => !t.passed)?.name ?? null;
      return { kind: 'gradcheck' };
  }
}

export function setView(state: PanelState, view: ViewKind): void {
  state.data.view = view;
}
