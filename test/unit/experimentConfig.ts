/** A complete ExperimentConfig for trainer tests: small moons, [2,5,2,1] relu/sigmoid, He init, gd; override any part. */
import type { DataConfig, ExperimentConfig, ModelConfig, TrainConfig } from '../../src/core/types';

export function experimentConfig(
  model: Partial<ModelConfig>,
  train: Partial<TrainConfig>,
  data: Partial<DataConfig> = {},
): ExperimentConfig {
  return {
    name: 't',
    data: { dataset: 'moons', samples: 60, noise: 0.2, seed: 3, factor: 0.8, classes: 2, ...data },
    model: {
      layers: [2, 5, 2, 1],
      activation: 'relu',
      output: 'sigmoid',
      init: 'he',
      initScale: 1,
      seed: 3,
      keepProb: 1,
      ...model,
    },
    train: {
      optimizer: 'gd',
      learningRate: 0.05,
      epochs: 20,
      shuffleSeed: 10,
      beta: 0.9,
      nesterov: false,
      beta1: 0.9,
      beta2: 0.999,
      rho: 0.9,
      epsilon: 1e-8,
      l2: 0,
      costEvery: 1,
      ...train,
    },
  };
}
