/**
 * A tutor's warnings about settings that are valid but probably not what the user wants. They never stop a
 * run; the language server and the CLI show them next to the errors. Each warning names the key it is about
 * by its path inside the experiment, and resolve.ts turns that into a position.
 */
import { estimateRunTime, type RunTimeEstimate } from '../nn/runTime';
import type { ExperimentConfig } from '../types';
import type { JsonPath } from './diagnostics';

export interface Advice {
  code: string;
  message: string;
  /** Path inside the experiment, e.g. `['model', 'init']`. */
  path: JsonPath;
}

/** Above this estimated duration a run is worth a warning: the editor's feedback loop is gone. */
export const SLOW_RUN_SECONDS = 30;

/**
 * Above this much time before the first epoch (loading, initial weights, building kernels) a run is worth a warning
 * however short its training: nothing shows progress meanwhile, and a large network can spend it all there.
 */
export const SLOW_SETUP_SECONDS = 5;

/** The slow-run warning's text: the total, and the parts that matter (over a tenth of it). */
function slowRunMessage(t: RunTimeEstimate): string {
  const parts: Array<[string, number]> = [
    ['loading the data', t.load],
    ['setting up the weights', t.init],
    ['building the kernels', t.build],
    ['training (epochs × examples × network size)', t.train],
  ];
  const shown = parts.filter(([, s]) => s >= t.seconds / 10).map(([what, s]) => `${what} ~${seconds(s)}`);
  const advice =
    t.train >= t.seconds / 2
      ? 'fewer epochs or examples give quicker feedback'
      : 'most of it comes before the first epoch; smaller layers or fewer features start much sooner';
  return `this run will take about ${seconds(t.seconds)} (${shown.join(', ')}); ${advice}`;
}

const seconds = (s: number) => (s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`);

function outsideUnitInterval(v: number): boolean {
  return !(v >= 0 && v < 1);
}

/** `samples` is the training-set size (for csv, the rows read), when known. */
export function adviseExperiment(config: ExperimentConfig, samples: number | undefined): Advice[] {
  const { model, train } = config;
  const out: Advice[] = [];
  if (model.init === 'zeros' && model.layers.length > 2) {
    out.push({
      code: 'advice/zeros-init',
      message:
        'zeros init: every hidden unit starts equal and gets the same gradient, so they all learn the same thing (the symmetry is never broken); use he or xavier',
      path: ['model', 'init'],
    });
  }
  const saturating = model.activation === 'sigmoid' || model.activation === 'tanh' || model.output === 'sigmoid';
  if (model.init === 'random' && model.initScale >= 1 && saturating) {
    const which =
      model.activation === 'sigmoid' || model.activation === 'tanh'
        ? `${model.activation} units`
        : 'the sigmoid output';
    out.push({
      code: 'advice/large-init',
      message: `random init with initScale ${model.initScale} saturates ${which}: large weights push activations to their flat ends, so the cost starts high and learning is slow; use he or a scale near 0.01`,
      path: ['model', 'initScale'],
    });
  }
  if (train.learningRate > 1) {
    out.push({
      code: 'advice/large-learning-rate',
      message: `learningRate ${train.learningRate} is very large; the steps will likely overshoot and the cost diverge (try 0.01 or less)`,
      path: ['train', 'learningRate'],
    });
  } else if (train.optimizer === 'adam' && train.learningRate > 0.1) {
    out.push({
      code: 'advice/large-learning-rate',
      message: `learningRate ${train.learningRate} is large for adam: each step moves a weight by about the learning rate, so training will oscillate (typical: 0.001)`,
      path: ['train', 'learningRate'],
    });
  }
  if (train.batchSize !== undefined && samples !== undefined && train.batchSize > samples) {
    out.push({
      code: 'advice/batch-larger-than-data',
      message: `batchSize ${train.batchSize} is larger than the ${samples} training examples, so every batch is the whole set (leave batchSize out for full batch)`,
      path: ['train', 'batchSize'],
    });
  }
  const betas: [keyof typeof train, boolean][] = [
    ['beta', train.optimizer === 'momentum'],
    ['beta1', train.optimizer === 'adam'],
    ['beta2', train.optimizer === 'adam'],
    ['rho', train.optimizer === 'rmsprop'],
  ];
  for (const [key, used] of betas) {
    const v = train[key] as number;
    if (used && outsideUnitInterval(v)) {
      out.push({
        code: 'advice/beta-range',
        message: `${key} ${v} is outside [0, 1): the running average ${v >= 1 ? 'never forgets, and grows or stalls' : 'flips sign'} instead of smoothing`,
        path: ['train', key],
      });
    }
  }
  if (samples !== undefined) {
    const t = estimateRunTime({
      model,
      train,
      samples,
      csv: config.data.dataset === 'csv',
      test: config.data.test !== undefined,
    });
    if (t.seconds > SLOW_RUN_SECONDS || t.load + t.init + t.build > SLOW_SETUP_SECONDS) {
      out.push({ code: 'advice/slow-run', message: slowRunMessage(t), path: ['train', 'epochs'] });
    }
  }
  return out;
}
