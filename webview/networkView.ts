/**
 * The network view of one run: the diagnoses in words, a replay slider over the run's snapshots, and, drawn from
 * the chosen snapshot, the cost curve with a marker at its epoch, the decision boundary, the network diagram with
 * each neuron's map (2-D data), a clicked neuron's map large, and the per-layer signals. Everything is computed
 * here from the snapshot's parameters with the core's pure forward pass: shipping a boundary per snapshot would be
 * 10⁴ numbers each, a forward pass over the grid takes about a millisecond.
 */
import { changeset } from 'vega';
import { cellProbabilities, parametersFromFlat } from '../src/charts/boundary';
import { layerSummary, networkRows, networkViewRows, type MapCellRow } from '../src/charts/network';
import { costChartData } from '../src/charts/rows';
import { signalRows } from '../src/charts/signals';
import { costSpec } from '../src/charts/specs';
import { networkSpec, neuronSpec, signalsSpec } from '../src/charts/networkSpecs';
import type { ChartTheme } from '../src/charts/theme';
import type { ChartRun, Snapshot } from '../src/protocol/webview';
import { drawBoundaries } from './boundaryChart';
import { chartBox, clear, el } from './dom';
import { drawChart, type Chart } from './embed';

export interface ViewHost {
  theme: ChartTheme;
  /** Registers a chart drawing under a name (replacing the chart drawn before under it). */
  track(name: string, drawing: Promise<Chart> | undefined): Promise<void>;
  chart(name: string): Chart | undefined;
}

/** Redraws a second at most of a live run's network (each is a full chart draw). */
const LIVE_HZ = 2;
/** Neuron maps drawn large have this many cells a side. */
const LARGE_CELLS = 48;

export class NetworkView {
  readonly element = el('div', { class: 'network-view' });
  private readonly slider = el('input', {
    type: 'range',
    id: 'replay',
    min: 0,
    step: 1,
    'aria-label': 'replayed snapshot',
  });
  private readonly epochLabel = el('output', { id: 'replay-epoch', for: 'replay' });
  private readonly costBox = chartBox('replay-cost-chart', 'cost with the replayed epoch');
  private readonly boundaryBox = chartBox('replay-boundary-chart', 'decision boundary at the replayed epoch');
  private readonly networkBox = chartBox('network-chart', 'the network: weights and neuron maps');
  private readonly neuronBox = chartBox('neuron-chart', 'the selected neuron’s map');
  private readonly signalsBox = chartBox('signals-chart', 'per-layer signals');
  private readonly liveEpoch = el('span', { id: 'live-epoch' }, '—');
  private readonly snapshots: Snapshot[];
  private index: number;
  private neuron: string | null = null;
  /** Latest-wins: a slider dragged faster than the charts draw skips the snapshots in between. */
  private pending: number | undefined;
  private drawing: Promise<void> | undefined;
  private liveNext: Snapshot | undefined;
  private liveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly run: ChartRun,
    private readonly host: ViewHost,
  ) {
    this.snapshots = run.inspection?.snapshots ?? [];
    this.index = this.snapshots.length - 1;
  }

  /** Builds the view; resolves when its first charts have drawn. */
  start(): Promise<void> {
    const { run } = this;
    const diagnoses = run.inspection?.diagnoses ?? [];
    const remarks = diagnoses.length
      ? el(
          'ul',
          { id: 'diagnoses', class: 'diagnoses' },
          ...diagnoses.map((d) => el('li', { class: `diagnosis ${d.kind}` }, `⚠ ${d.text}`)),
        )
      : el(
          'p',
          { id: 'diagnoses', class: 'note' },
          run.inspection ? 'No remarks: no symmetric layer, no saturated output, no dead ReLUs.' : '',
        );
    this.element.append(el('header', { class: 'summary' }, el('h1', {}, run.name)), remarks);
    if (run.status === 'running' && run.model) {
      // Live: the newest snapshot's weights as they arrive; maps, replay and signals come with the finished run.
      const note = el(
        'p',
        { class: 'note', id: 'live-note' },
        'Training: the weights follow the run; neuron maps, replay and signals appear when it finishes. Shown: ',
        this.liveEpoch,
      );
      this.element.append(note, this.networkBox);
      return run.liveSnapshot ? this.drawLive(run.liveSnapshot) : Promise.resolve();
    }
    if (!run.model || !this.snapshots.length) {
      this.element.append(
        el('p', { class: 'note' }, 'This run has no snapshots (it was not inspected, or ran before NN Lab kept them).'),
      );
      return Promise.resolve();
    }
    this.slider.max = String(this.snapshots.length - 1);
    this.slider.value = String(this.index);
    this.slider.addEventListener('input', () => this.replay(Number(this.slider.value)));
    this.element.append(
      el('div', { class: 'replay' }, el('label', { for: 'replay' }, 'replay '), this.slider, ' ', this.epochLabel),
      this.costBox,
      el('div', { class: 'side-by-side' }, this.boundaryBox, this.networkBox, this.neuronBox),
      this.signalsBox,
    );
    const data = costChartData([run]);
    const spec = costSpec({
      theme: this.host.theme,
      ...data,
      height: 160,
      replayEpoch: this.snapshots[this.index]!.epoch,
    });
    const first = [
      this.host.track('replayCost', drawChart(this.costBox, spec, 'cost')),
      this.drawSnapshot(this.index, false),
    ];
    if (run.inspection && run.inspection.signalEpochs.length) {
      first.push(
        this.host.track(
          'signals',
          drawChart(
            this.signalsBox,
            signalsSpec({ theme: this.host.theme, rows: signalRows(run.inspection) }),
            'signals',
          ),
        ),
      );
    }
    return Promise.all(first).then(() => undefined);
  }

  shows(runId: string): boolean {
    return this.run.id === runId;
  }

  /** A live run's newer snapshot: drawn at most LIVE_HZ times a second, the latest one winning. */
  live(run: ChartRun): void {
    if (!run.liveSnapshot || run.status !== 'running') return;
    this.liveNext = run.liveSnapshot;
    if (this.liveTimer !== undefined) return;
    this.liveTimer = setTimeout(() => {
      this.liveTimer = undefined;
      const next = this.liveNext;
      this.liveNext = undefined;
      if (next) void this.drawLive(next);
    }, 1000 / LIVE_HZ);
  }

  private drawLive(snapshot: Snapshot): Promise<void> {
    const rows = networkViewRows(this.run.model!, snapshot.parameters, undefined);
    if (!rows) {
      clear(this.networkBox);
      this.networkBox.append(summaryTable(this.run.model!.layers, snapshot.parameters));
      return Promise.resolve();
    }
    const drawing = this.host.track(
      'network',
      drawChart(
        this.networkBox,
        networkSpec({ theme: this.host.theme, rows, title: `epoch ${snapshot.epoch} (live)` }),
        'network',
      ),
    );
    return drawing.then(() => void (this.liveEpoch.textContent = `epoch ${snapshot.epoch}`));
  }

  /** Shows snapshot `index` (the slider calls this; tests and the host may too). */
  replay(index: number): Promise<void> {
    this.pending = Math.max(0, Math.min(this.snapshots.length - 1, Math.round(index)));
    this.drawing ??= this.drain().finally(() => (this.drawing = undefined));
    return this.drawing;
  }

  private async drain(): Promise<void> {
    while (this.pending !== undefined) {
      const next = this.pending;
      this.pending = undefined;
      await this.drawSnapshot(next, true);
    }
  }

  private async drawSnapshot(index: number, marker: boolean): Promise<void> {
    const { run, host } = this;
    const model = run.model!;
    const snapshot = this.snapshots[index]!;
    this.index = index;
    this.slider.value = String(index);
    this.epochLabel.textContent = `epoch ${snapshot.epoch} (${index + 1}/${this.snapshots.length})`;
    const drawings: Array<Promise<void>> = [];
    const costView = host.chart('replayCost')?.result.view;
    if (marker && costView) {
      drawings.push(
        costView
          .change(
            'replay',
            changeset()
              .remove(() => true)
              .insert([{ epoch: snapshot.epoch }]),
          )
          .runAsync()
          .then(() => undefined),
      );
    }
    const grid = run.boundary;
    if (grid) {
      const params = parametersFromFlat(model.layers, snapshot.parameters);
      const replayed = { ...grid, ...cellProbabilities(params, model, grid.x, grid.y) };
      clear(this.boundaryBox);
      drawings.push(
        host.track('replayBoundary', drawBoundaries(this.boundaryBox, [{ ...run, boundary: replayed }], host.theme)),
      );
    }
    const rows = networkViewRows(model, snapshot.parameters, grid);
    clear(this.networkBox);
    if (!rows) {
      this.networkBox.append(summaryTable(model.layers, snapshot.parameters));
    } else {
      const drawing = drawChart(
        this.networkBox,
        networkSpec({ theme: host.theme, rows, title: `epoch ${snapshot.epoch}` }),
        'network',
      ).then((chart) => {
        chart.result.view.addEventListener('click', (_event, item) => {
          const datum = (item as { datum?: { neuron?: string; id?: string; layer?: number } } | null | undefined)
            ?.datum;
          const id = datum?.neuron ?? (datum?.layer ? datum.id : undefined);
          if (id) void this.selectNeuron(id);
        });
        return chart;
      });
      drawings.push(host.track('network', drawing));
    }
    if (this.neuron) drawings.push(this.drawNeuron(this.neuron));
    await Promise.all(drawings);
  }

  /** Draws neuron `id` ("layer:unit") of the shown snapshot large. */
  selectNeuron(id: string): Promise<void> {
    this.neuron = id;
    return this.drawNeuron(id);
  }

  private drawNeuron(id: string): Promise<void> {
    const grid = this.run.boundary;
    if (!grid || !this.run.model) return Promise.resolve();
    const rows = networkRows(this.run.model, this.snapshots[this.index]!.parameters, {
      x: grid.x,
      y: grid.y,
      cells: LARGE_CELLS,
    });
    const [layer, unit] = id.split(':').map(Number) as [number, number];
    // networkRows places thumbnails in diagram units; the large map goes back onto the input plane.
    const cells = rows.cells.filter((c) => c.neuron === id);
    const dx = (grid.x.max - grid.x.min) / (LARGE_CELLS - 1);
    const dy = (grid.y.max - grid.y.min) / (LARGE_CELLS - 1);
    const plane: MapCellRow[] = cells.map((c, k) => {
      const i = k % LARGE_CELLS;
      const j = Math.floor(k / LARGE_CELLS);
      const x = grid.x.min + i * dx - dx / 2;
      const y = grid.y.min + j * dy - dy / 2;
      return { ...c, x, x2: x + dx, y, y2: y + dy };
    });
    const last = layer === this.run.model.layers.length - 1;
    const title = last ? 'output' : `layer ${layer} unit ${unit + 1}`;
    clear(this.neuronBox);
    return this.host.track(
      'neuron',
      drawChart(
        this.neuronBox,
        neuronSpec(this.host.theme, `${title} at epoch ${this.snapshots[this.index]!.epoch}`, plane),
        'neuron',
      ),
    );
  }
}

/** Past the diagram's limits (network.ts): units, weights and ‖W‖ per layer. */
function summaryTable(layers: number[], P: number[]): HTMLTableElement {
  const head = el('tr', {}, ...['layer', 'units', 'weights', '‖W‖'].map((h) => el('th', { scope: 'col' }, h)));
  const rows = layerSummary(layers, P).map((s) => {
    const cells = [String(s.units), String(s.weights), s.norm.toPrecision(4)].map((t) => el('td', { class: 'num' }, t));
    return el('tr', {}, el('td', {}, String(s.layer)), ...cells);
  });
  return el(
    'table',
    { class: 'network-summary', id: 'network-summary' },
    el('caption', {}, 'Too large to draw as a diagram: per-layer summary'),
    el('thead', {}, head),
    el('tbody', {}, ...rows),
  );
}
