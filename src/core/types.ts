/**
 * The shared vocabulary of the core: matrices, datasets, resolved experiment configs and run results.
 * Everything here is plain data so it can cross worker, CLI and webview boundaries unchanged.
 */

/** A dense row-major float64 matrix: entry (r, c) is data[r * cols + c], numpy's C order. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** A labelled set in the course's layout: X is features × m, Y is 1 × m. */
export interface Dataset {
  X: Matrix;
  /** 0/1 for binary sets; the class index 0…classes−1 for multi-class sets. */
  Y: Matrix;
  /** Number of distinct classes (2 for binary). */
  classes: number;
  /** Column names, when the data came from a CSV file. */
  featureNames?: string[];
}

import type { Activation, DatasetName, InitKind, OptimizerKind, OutputActivation } from './experiment/schema';

/**
 * The config sections below are checked against src/core/experiment/schema.ts at compile time (FieldsOf): a key
 * lives in both, and the enum types are the schema's values.
 */
export type { Activation, DatasetName, InitKind, OptimizerKind, OutputActivation };

export interface DataConfig {
  dataset: DatasetName;
  samples: number;
  noise: number;
  seed: number;
  /** circles: inner radius over outer radius. */
  factor: number;
  /** spiral/gauss: number of classes. */
  classes: number;
  /** csv: path relative to the experiment file. */
  path?: string;
  /** csv: the label column's name (default: the last column). */
  label?: string;
  /** A test set generated like the training set with these keys overriding. */
  test?: Partial<Omit<DataConfig, 'test'>>;
}

export interface ModelConfig {
  /** Layer sizes [n0, …, nL]; n0 is the feature count. */
  layers: number[];
  activation: Activation;
  output: OutputActivation;
  init: InitKind;
  /** random init: W = randn · initScale. */
  initScale: number;
  seed: number;
  /** Inverted dropout keep probability for hidden layers (1 = off). */
  keepProb: number;
  /** A user's forward/backward module (see docs/model-modules.md, docs/python.md). */
  module?: string;
  /** A Python module's function names, where they differ from forward/backward/setup. */
  functions?: { forward?: string; backward?: string; setup?: string };
}

export type DecayConfig = { type: 'exponential'; rate: number } | { type: 'step'; rate: number; every: number };

export interface TrainConfig {
  optimizer: OptimizerKind;
  learningRate: number;
  epochs: number;
  /** Mini-batch size; absent means full batch with no shuffle and no RNG draw. */
  batchSize?: number;
  shuffleSeed: number;
  beta: number;
  nesterov: boolean;
  beta1: number;
  beta2: number;
  rho: number;
  epsilon: number;
  /** L2 strength λ (the course's λ/(2m)·ΣW²). */
  l2: number;
  decay?: DecayConfig;
  /**
   * Record the cost every `costEvery` epochs; a run of more than MAX_COST_POINTS epochs records at most that many
   * points (src/core/nn/costHistory.ts).
   */
  costEvery: number;
}

/** A fully resolved experiment: defaults merged, every key present. */
export interface ExperimentConfig {
  name: string;
  data: DataConfig;
  model: ModelConfig;
  train: TrainConfig;
  /**
   * Keys a model-module experiment (model.module) left out because the module's setup(nn) supplies its parameters
   * and data (see docs/model-modules.md). The config then holds neutral placeholders, so every consumer keeps its
   * types: `data` is the schema's data defaults with dataset "moons" (never loaded: a check without setup() fails
   * naming the key, and modules are not trained) and `model.layers` is []. Absent when the file gave both.
   */
  omitted?: ('data' | 'model.layers')[];
}

/** Parameters in declared order W1, b1, W2, b2, …; Wl is n_l × n_{l−1}, bl is n_l × 1. */
export type Parameters = Map<string, Matrix>;

export type RunStatus = 'ok' | 'diverged' | 'error' | 'cancelled' | 'pruned';
export const RUN_STATUSES: readonly RunStatus[] = ['ok', 'diverged', 'error', 'cancelled', 'pruned'];

/** How a thinned cost history maps to epochs. */
export interface CostSummary {
  /** Epochs per point. */
  every: number;
  /** Epochs run (the last bucket may be partial). */
  epochs: number;
  min: number[];
  max: number[];
}

/** What `nnlab run --json` prints per experiment, and what the editor stores in run history. */
export interface RunResult {
  name: string;
  status: RunStatus;
  error?: string;
  /**
   * One epoch-mean cost per recorded point: every epoch, unless `costSummary` says otherwise (then costs[k] is the
   * cost of the last epoch of bucket k).
   */
  costs: number[];
  /** Test-set cost at the start of each bucket (testCosts[k] belongs to epoch k·every), where a test set exists. */
  testCosts?: number[];
  /**
   * Present when one point stands for several epochs (costEvery > 1, or a run longer than MAX_COST_POINTS epochs):
   * bucket k holds epochs [k·every, (k+1)·every) and, per bucket, the lowest and highest epoch cost.
   */
  costSummary?: CostSummary;
  trainAccuracy: number | null;
  testAccuracy: number | null;
  /** Final parameters in numpy's row-major layout (rows of numbers). */
  parameters: Record<string, number[][]>;
  durationMs: number;
  /** The epoch at which parameters became non-finite. */
  divergedAtEpoch?: number;
  /** Swept values, for sweep trials. */
  sweep?: Record<string, unknown>;
  /** Parameter snapshots, per-layer signals and diagnoses (src/core/inspect), when the run was inspected. */
  inspection?: Inspection;
}

/** The flat parameters (W1, b1, W2, b2, … each row-major) after `epoch` epochs, i.e. those epoch `epoch` starts from. */
export interface Snapshot {
  epoch: number;
  parameters: number[];
}

/**
 * One layer's signals, one entry per probed epoch (Inspection.signalEpochs). null where a signal does not apply
 * (saturation of a relu layer, dead units of a tanh layer, symmetry of a one-unit layer) or could not be
 * measured (an update ratio of all-zero weights).
 */
export interface LayerSignals {
  /** 1-based, as W1 is layer 1's weights; the last layer is the output. */
  layer: number;
  units: number;
  activation: Activation | OutputActivation;
  /** Mean and standard deviation of the layer's outputs over all units and training examples. */
  mean: number[];
  std: number[];
  /** Share of outputs within 0.01 of the activation's limits (output layer: share of examples). */
  saturated: number[] | null;
  /** Share of relu units that are 0 on every training example. */
  dead: number[] | null;
  /** ‖(dW, db)‖ of the full-batch mean loss. */
  gradNorm: number[];
  /** ‖ΔW‖ / ‖W‖ over the probed epoch. */
  updateRatio: Array<number | null>;
  /** The largest distance between two units' incoming (weights, bias) vectors: exactly 0 when all are identical. */
  symmetry: number[] | null;
}

export type DiagnosisKind = 'symmetry' | 'saturation' | 'dead';

/** A tutor's remark on what the signals show, naming the layer and the epoch. */
export interface Diagnosis {
  kind: DiagnosisKind;
  layer: number;
  epoch: number;
  /** The share the remark is about (saturated or dead), 0…1. */
  share?: number;
  text: string;
}

export interface Inspection {
  snapshots: Snapshot[];
  signalEpochs: number[];
  layers: LayerSignals[];
  diagnoses: Diagnosis[];
}
