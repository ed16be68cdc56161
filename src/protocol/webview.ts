/**
 * The extension ↔ webview boundary. Both sides import this file; it imports neither vscode nor the DOM.
 * Messages are discriminated by `type`. Everything that arrives goes through a guard (`toWebviewMessage` in the
 * webview, `fromWebviewMessage` in the extension) that turns `unknown` into a typed message or throws a
 * ProtocolError naming the offending field. Webview messages travel as JSON, so the guards turn null back into
 * NaN inside number arrays (a diverged cost).
 *
 * The handshake: the webview posts `ready` once its script runs; the host answers with `state` carrying
 * everything the panel shows, so a reloaded or restored panel rebuilds itself without retainContextWhenHidden.
 */
import { RUN_STATUSES, type RunStatus, type Snapshot } from '../core/types';
import type {
  BoundaryGrid,
  ChartRun,
  FlatConfig,
  GradcheckEntry,
  GradcheckMatrix,
  GradcheckTensor,
  GradcheckView,
  GridAxis,
  PointSet,
} from './charts';
import { array, bool, ProtocolError, record, str } from './guards';
import { ACTIVATIONS } from '../core/nn/activations';
import { parameterLayout } from '../core/nn/params';
import { asInspection } from '../core/inspect/check';
import type { OptimizerPaths } from '../core/inspect/landscape';
import type { Verdict } from '../core/gradcheck/check';

export type {
  Snapshot,
  BoundaryGrid,
  ChartRun,
  FlatConfig,
  GradcheckEntry,
  GradcheckMatrix,
  GradcheckTensor,
  GradcheckView,
  GridAxis,
  PointSet,
  OptimizerPaths,
};

/** The panel's views. */
export type ViewKind = 'run' | 'network' | 'compare' | 'gradcheck';
export const VIEW_KINDS: readonly ViewKind[] = ['run', 'network', 'compare', 'gradcheck'];

/** Everything the panel shows; the host's answer to `ready`. */
export interface PanelData {
  view: ViewKind;
  /** Runs of the current run view (one) or comparison (several), in display order. */
  runs: ChartRun[];
  gradcheck?: GradcheckView;
  /** The comparison's optimizer paths (runs of one network on one data set), once computed. */
  paths?: OptimizerPaths;
}

/** Host → webview: replace everything the panel shows (answer to `ready`, or opening a run from history). */
export interface StateMessage {
  type: 'state';
  data: PanelData;
}

/** Host → webview: a run was queued or started; it is added to the panel (a comparison when several). */
export interface RunStartedMessage {
  type: 'runStarted';
  run: ChartRun;
}

/**
 * Host → webview: costs of the epochs since the last progress message of this run (≤ 20 a second).
 * `firstIndex` is the index in the run's `costs` of costs[0] (= its 0-based epoch), and `firstTestIndex` that of
 * testCosts[0] in the run's `testCosts` (default: firstIndex), so a repeated chunk cannot duplicate points.
 */
export interface ProgressMessage {
  type: 'progress';
  runId: string;
  firstIndex: number;
  costs: number[];
  firstTestIndex?: number;
  testCosts?: number[];
  /** The run's latest parameter snapshot, when a new one was taken (inspected runs). */
  snapshot?: Snapshot;
}

/** Host → webview: a run ended; `run` replaces the live one (its costs are authoritative) and may carry a boundary. */
export interface RunFinishedMessage {
  type: 'runFinished';
  run: ChartRun;
}

/** Host → webview: a gradient check finished; the panel switches to the gradient-check view. */
export interface GradcheckMessage {
  type: 'gradcheck';
  report: GradcheckView;
}

/** Host → webview: switch to a view (e.g. "Show Panel" after "Compare Experiments"). */
export interface ShowViewMessage {
  type: 'showView';
  view: ViewKind;
}

/** Host → webview: the optimizer paths of the comparison shown (computed in a worker after its runs finished). */
export interface PathsMessage {
  type: 'paths';
  paths: OptimizerPaths;
}

export type ToWebview =
  | PathsMessage
  | StateMessage
  | RunStartedMessage
  | ProgressMessage
  | RunFinishedMessage
  | GradcheckMessage
  | ShowViewMessage;

/** Webview → host: the script is running and wants the full state (answered with `state`). */
export interface ReadyMessage {
  type: 'ready';
}

/** Webview → host: the user switched views (the host may remember it for the next `state`). */
export interface ViewChangedMessage {
  type: 'viewChanged';
  view: ViewKind;
}

/** Webview → host: something could not be drawn or a message was rejected; the host logs it. */
export interface WebviewErrorMessage {
  type: 'error';
  message: string;
}

/** What the panel's run controls ask of a training run. */
export type RunControl = 'pause' | 'resume' | 'step';
export const RUN_CONTROLS: readonly RunControl[] = ['pause', 'resume', 'step'];

/** Webview → host: pause, resume or step the live run `runId` (a ChartRun id). */
export interface ControlMessage {
  type: 'control';
  runId: string;
  action: RunControl;
}

export type FromWebview = ReadyMessage | ViewChangedMessage | WebviewErrorMessage | ControlMessage;

export { ProtocolError };

function num(value: unknown, what: string): number {
  // null is how JSON carries NaN/±Infinity.
  if (value === null) return Number.NaN;
  if (typeof value !== 'number') throw new ProtocolError(`${what}: expected a number`);
  return value;
}

function int(value: unknown, what: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ProtocolError(`${what}: expected an integer ≥ ${min}`);
  }
  return value;
}

function nullableNum(value: unknown, what: string): number | null {
  return value === null || value === undefined ? null : num(value, what);
}

function numbers(value: unknown, what: string): number[] {
  if (!Array.isArray(value)) throw new ProtocolError(`${what}: expected an array of numbers`);
  const out = new Array<number>(value.length);
  for (let i = 0; i < value.length; i++) out[i] = num(value[i], `${what}[${i}]`);
  return out;
}

function pair(value: unknown, what: string): [number, number] {
  if (!Array.isArray(value) || value.length !== 2) throw new ProtocolError(`${what}: expected [number, number]`);
  return [int(value[0], `${what}[0]`), int(value[1], `${what}[1]`)];
}

function scalarMap(value: unknown, what: string): FlatConfig {
  const m = record(value, what);
  const out: FlatConfig = {};
  for (const [k, v] of Object.entries(m)) {
    if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new ProtocolError(`${what}.${k}: expected a string, number, boolean or null`);
    }
    out[k] = v;
  }
  return out;
}

function viewKind(value: unknown, what: string): ViewKind {
  const v = str(value, what);
  if (!(VIEW_KINDS as readonly string[]).includes(v)) throw new ProtocolError(`${what}: unknown view "${v}"`);
  return v as ViewKind;
}

const STATUSES: readonly (RunStatus | 'running')[] = [...RUN_STATUSES, 'running'];

function axis(value: unknown, what: string): GridAxis {
  const m = record(value, what);
  const a = { min: num(m.min, `${what}.min`), max: num(m.max, `${what}.max`), n: int(m.n, `${what}.n`, 2) };
  if (!(a.max > a.min)) throw new ProtocolError(`${what}: expected max > min`);
  return a;
}

function points(value: unknown, what: string): PointSet {
  const m = record(value, what);
  const p = { x: numbers(m.x, `${what}.x`), y: numbers(m.y, `${what}.y`), label: numbers(m.label, `${what}.label`) };
  if (p.y.length !== p.x.length || p.label.length !== p.x.length) {
    throw new ProtocolError(`${what}: x, y and label must have the same length`);
  }
  return p;
}

/** Guard for a boundary grid: also checks that the cell arrays match the axes. */
export function toBoundaryGrid(value: unknown, what = 'boundary'): BoundaryGrid {
  const m = record(value, what);
  const grid: BoundaryGrid = {
    x: axis(m.x, `${what}.x`),
    y: axis(m.y, `${what}.y`),
    classes: int(m.classes, `${what}.classes`, 2),
    p: numbers(m.p, `${what}.p`),
    train: points(m.train, `${what}.train`),
  };
  const cells = grid.x.n * grid.y.n;
  if (grid.p.length !== cells) throw new ProtocolError(`${what}.p: expected ${cells} cells, got ${grid.p.length}`);
  if (m.cls !== undefined) {
    grid.cls = numbers(m.cls, `${what}.cls`);
    if (grid.cls.length !== cells) throw new ProtocolError(`${what}.cls: expected ${cells} cells`);
  } else if (grid.classes > 2) {
    throw new ProtocolError(`${what}.cls: required for ${grid.classes} classes`);
  }
  if (m.test !== undefined) grid.test = points(m.test, `${what}.test`);
  return grid;
}

/** Guard for one run. */
export function toChartRun(value: unknown, what = 'run'): ChartRun {
  const m = record(value, what);
  const status = str(m.status, `${what}.status`);
  if (!(STATUSES as readonly string[]).includes(status)) throw new ProtocolError(`${what}.status: unknown "${status}"`);
  const run: ChartRun = {
    id: str(m.id, `${what}.id`),
    name: str(m.name, `${what}.name`),
    status: status as ChartRun['status'],
    config: m.config === undefined ? {} : scalarMap(m.config, `${what}.config`),
    costs: numbers(m.costs, `${what}.costs`),
    testEvery: m.testEvery === undefined ? 1 : int(m.testEvery, `${what}.testEvery`, 1),
    epochs: int(m.epochs, `${what}.epochs`),
    trainAccuracy: nullableNum(m.trainAccuracy, `${what}.trainAccuracy`),
    testAccuracy: nullableNum(m.testAccuracy, `${what}.testAccuracy`),
    durationMs: m.durationMs === undefined ? 0 : num(m.durationMs, `${what}.durationMs`),
  };
  if (m.testCosts !== undefined) run.testCosts = numbers(m.testCosts, `${what}.testCosts`);
  if (m.divergedAtEpoch !== undefined) run.divergedAtEpoch = int(m.divergedAtEpoch, `${what}.divergedAtEpoch`);
  if (m.error !== undefined) run.error = str(m.error, `${what}.error`);
  if (m.sweep !== undefined) run.sweep = scalarMap(m.sweep, `${what}.sweep`);
  if (m.boundary !== undefined) run.boundary = toBoundaryGrid(m.boundary, `${what}.boundary`);
  if (m.model !== undefined) run.model = toRunModel(m.model, `${what}.model`);
  if (m.paused !== undefined) run.paused = bool(m.paused, `${what}.paused`);
  if (m.liveSnapshot !== undefined) run.liveSnapshot = snapshotOf(m.liveSnapshot, `${what}.liveSnapshot`, run.model);
  if (m.inspection !== undefined) {
    if (!run.model) throw new ProtocolError(`${what}.inspection: needs ${what}.model`);
    const inspection = asInspection(m.inspection, parameterLayout(run.model.layers).size);
    if (typeof inspection === 'string') throw new ProtocolError(`${what}.inspection: ${inspection}`);
    run.inspection = inspection;
  }
  return run;
}

function snapshotOf(value: unknown, what: string, model: ChartRun['model']): Snapshot {
  if (!model) throw new ProtocolError(`${what}: needs the run's model`);
  const m = record(value, what);
  const snapshot = { epoch: int(m.epoch, `${what}.epoch`), parameters: numbers(m.parameters, `${what}.parameters`) };
  const size = parameterLayout(model.layers).size;
  if (snapshot.parameters.length !== size) throw new ProtocolError(`${what}.parameters: expected ${size} numbers`);
  return snapshot;
}

function toRunModel(value: unknown, what: string): NonNullable<ChartRun['model']> {
  const m = record(value, what);
  if (!Array.isArray(m.layers) || m.layers.length < 2)
    throw new ProtocolError(`${what}.layers: expected at least two layer sizes`);
  const layers = m.layers.map((n, i) => int(n, `${what}.layers[${i}]`, 1));
  const activation = str(m.activation, `${what}.activation`);
  if (!(activation in ACTIVATIONS)) throw new ProtocolError(`${what}.activation: unknown "${activation}"`);
  const output = str(m.output, `${what}.output`);
  if (output !== 'sigmoid' && output !== 'softmax') throw new ProtocolError(`${what}.output: unknown "${output}"`);
  return { layers, activation: activation as keyof typeof ACTIVATIONS, output };
}

function tensor(value: unknown, what: string): GradcheckTensor {
  const m = record(value, what);
  return {
    name: str(m.name, `${what}.name`),
    shape: pair(m.shape, `${what}.shape`),
    difference: num(m.difference, `${what}.difference`),
    passed: bool(m.passed, `${what}.passed`),
    share: num(m.share, `${what}.share`),
    kinks: int(m.kinks, `${what}.kinks`),
    worst: array(m.worst, `${what}.worst`, (v, at) => {
      const e = record(v, at);
      return {
        index: pair(e.index, `${at}.index`),
        analytic: nullableNum(e.analytic, `${at}.analytic`),
        numeric: nullableNum(e.numeric, `${at}.numeric`),
        relativeError: nullableNum(e.relativeError, `${at}.relativeError`),
        kink: bool(e.kink, `${at}.kink`),
      };
    }),
  };
}

function entry(value: unknown, what: string): GradcheckEntry {
  const m = record(value, what);
  return {
    param: str(m.param, `${what}.param`),
    index: pair(m.index, `${what}.index`),
    analytic: num(m.analytic, `${what}.analytic`),
    numeric: num(m.numeric, `${what}.numeric`),
    relativeError: num(m.relativeError, `${what}.relativeError`),
    kink: m.kink === undefined ? false : bool(m.kink, `${what}.kink`),
  };
}

function matrix(value: unknown, what: string): GradcheckMatrix {
  const m = record(value, what);
  const out = {
    rows: int(m.rows, `${what}.rows`, 1),
    cols: int(m.cols, `${what}.cols`, 1),
    relativeError: numbers(m.relativeError, `${what}.relativeError`),
  };
  if (out.relativeError.length !== out.rows * out.cols) {
    throw new ProtocolError(`${what}.relativeError: expected ${out.rows * out.cols} entries`);
  }
  return out;
}

/** Every verdict, spelled so that the compiler notices one added to the core. */
const VERDICTS: Record<Verdict, true> = { passed: true, failed: true, 'zero-gradient': true, 'non-finite': true };

function verdict(value: unknown, what: string): Verdict {
  const v = str(value, what);
  if (!Object.hasOwn(VERDICTS, v)) throw new ProtocolError(`${what}: unknown "${v}"`);
  return v as Verdict;
}

/** Guard for a gradient-check report as the panel draws it. */
export function toGradcheckView(value: unknown, what = 'report'): GradcheckView {
  const m = record(value, what);
  const view: GradcheckView = {
    name: str(m.name, `${what}.name`),
    difference: num(m.difference, `${what}.difference`),
    passed: bool(m.passed, `${what}.passed`),
    epsilon: num(m.epsilon, `${what}.epsilon`),
    threshold: num(m.threshold, `${what}.threshold`),
    verdict: verdict(m.verdict, `${what}.verdict`),
    message: str(m.message, `${what}.message`),
    parameters: array(m.parameters, `${what}.parameters`, tensor),
    worst: array(m.worst, `${what}.worst`, entry),
  };
  if (m.entries !== undefined) {
    const entries = record(m.entries, `${what}.entries`);
    view.entries = {};
    for (const [name, mat] of Object.entries(entries)) view.entries[name] = matrix(mat, `${what}.entries.${name}`);
  }
  return view;
}

/** Guard for optimizer paths: every point finite, the cost grid the size of its axes (NaN where not finite). */
export function toOptimizerPaths(value: unknown, what = 'paths'): OptimizerPaths {
  const m = record(value, what);
  const finite = (v: unknown, at: string) => {
    const n = num(v, at);
    if (!Number.isFinite(n)) throw new ProtocolError(`${at}: expected a finite number`);
    return n;
  };
  if (!Array.isArray(m.explained) || m.explained.length !== 2)
    throw new ProtocolError(`${what}.explained: expected two shares`);
  const paths: OptimizerPaths = {
    origin: str(m.origin, `${what}.origin`),
    explained: [finite(m.explained[0], `${what}.explained[0]`), finite(m.explained[1], `${what}.explained[1]`)],
    runs: array(m.runs, `${what}.runs`, (r, at) => {
      const run = record(r, at);
      return {
        name: str(run.name, `${at}.name`),
        points: array(run.points, `${at}.points`, (p, pat) => {
          const point = record(p, pat);
          return {
            epoch: int(point.epoch, `${pat}.epoch`),
            x: finite(point.x, `${pat}.x`),
            y: finite(point.y, `${pat}.y`),
          };
        }),
      };
    }),
    x: axis(m.x, `${what}.x`),
    y: axis(m.y, `${what}.y`),
    cost: numbers(m.cost, `${what}.cost`),
    examples: int(m.examples, `${what}.examples`, 1),
  };
  if (paths.cost.length !== paths.x.n * paths.y.n)
    throw new ProtocolError(`${what}.cost: expected ${paths.x.n * paths.y.n} cells, got ${paths.cost.length}`);
  return paths;
}

/** Guard for the full panel state (the `state` message, and what the webview saved with setState). */
export function toPanelData(value: unknown, what = 'data'): PanelData {
  const m = record(value, what);
  const data: PanelData = {
    view: viewKind(m.view, `${what}.view`),
    runs: array(m.runs, `${what}.runs`, toChartRun),
  };
  if (m.gradcheck !== undefined && m.gradcheck !== null)
    data.gradcheck = toGradcheckView(m.gradcheck, `${what}.gradcheck`);
  if (m.paths !== undefined && m.paths !== null) data.paths = toOptimizerPaths(m.paths, `${what}.paths`);
  return data;
}

/** Guard for messages arriving at the webview. */
export function toWebviewMessage(value: unknown): ToWebview {
  const m = record(value, 'message');
  const type = str(m.type, 'message.type');
  switch (type) {
    case 'state':
      return { type, data: toPanelData(m.data, 'state.data') };
    case 'runStarted':
      return { type, run: toChartRun(m.run, 'runStarted.run') };
    case 'runFinished':
      return { type, run: toChartRun(m.run, 'runFinished.run') };
    case 'progress': {
      const msg: ProgressMessage = {
        type,
        runId: str(m.runId, 'progress.runId'),
        firstIndex: int(m.firstIndex, 'progress.firstIndex'),
        costs: numbers(m.costs, 'progress.costs'),
      };
      if (m.testCosts !== undefined) {
        msg.testCosts = numbers(m.testCosts, 'progress.testCosts');
        // Absent: the test costs line up with the epochs of `costs` (testEvery 1).
        msg.firstTestIndex =
          m.firstTestIndex === undefined ? msg.firstIndex : int(m.firstTestIndex, 'progress.firstTestIndex');
      }
      // Sized against the run's model when it is applied (state.ts), where the run is known.
      if (m.snapshot !== undefined) {
        const s = record(m.snapshot, 'progress.snapshot');
        msg.snapshot = {
          epoch: int(s.epoch, 'progress.snapshot.epoch'),
          parameters: numbers(s.parameters, 'progress.snapshot.parameters'),
        };
      }
      return msg;
    }
    case 'gradcheck':
      return { type, report: toGradcheckView(m.report, 'gradcheck.report') };
    case 'showView':
      return { type, view: viewKind(m.view, 'showView.view') };
    case 'paths':
      return { type, paths: toOptimizerPaths(m.paths, 'paths.paths') };
    default:
      throw new ProtocolError(`message.type: unknown "${type}"`);
  }
}

/** Guard for messages arriving at the host from the webview (untrusted: the webview runs page script). */
export function fromWebviewMessage(value: unknown): FromWebview {
  const m = record(value, 'message');
  const type = str(m.type, 'message.type');
  switch (type) {
    case 'ready':
      return { type };
    case 'viewChanged':
      return { type, view: viewKind(m.view, 'viewChanged.view') };
    case 'control': {
      const action = str(m.action, 'control.action');
      if (!(RUN_CONTROLS as readonly string[]).includes(action))
        throw new ProtocolError(`control.action: unknown "${action}"`);
      return { type, runId: str(m.runId, 'control.runId'), action: action as RunControl };
    }
    case 'error':
      // Bounded so a misbehaving page cannot flood the log with one message.
      return { type, message: str(m.message, 'error.message').slice(0, 2000) };
    default:
      throw new ProtocolError(`message.type: unknown "${type}"`);
  }
}
