/**
 * A tutor's warnings about settings that are valid but probably not what the user wants. They never stop a
 * run; the language server and the CLI show them next to the errors. Each warning names the key it is about
 * by its path inside the experiment, and resolve.ts turns that into a position.
 */
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
 * A rough run time: per example and epoch, each unit costs an activation (exp/log dominate) and each weight a
 * multiply-add forward and two backward. The constants are fitted so the course's moons-Adam run
 * ([2,5,2,1], 300 examples, 10000 epochs) comes out near the 0.5 s the trainer takes.
 */
export function estimateRunSeconds(layers: readonly number[], samples: number, epochs: number): number {
  let units = 0;
  let weights = 0;
  for (let l = 1; l < layers.length; l++) {
    units += layers[l]!;
    weights += layers[l]! * layers[l - 1]!;
  }
  const nsPerExample = 10 * units + 3 * weights;
  return (nsPerExample * samples * epochs) / 1e9;
}

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
    const which = model.activation === 'sigmoid' || model.activation === 'tanh' ? `${model.activation} units` : 'the sigmoid output';
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
    const seconds = estimateRunSeconds(model.layers, samples, train.epochs);
    if (seconds > SLOW_RUN_SECONDS) {
      out.push({
        code: 'advice/slow-run',
        message: `this run will take about ${Math.round(seconds)} s (epochs × examples × network size); fewer epochs or examples give quicker feedback`,
        path: ['train', 'epochs'],
      });
    }
  }
  return out;
}
