/**
 * NN Lab's trainer: the public API of src/core/nn. Other modules import from here only.
 *
 *   initializeParameters(model) → Parameters
 *       W1, b1, W2, b2, … drawn as the course does: RandomState(model.seed), then randn(n_l, n_{l−1})·scale for
 *       each layer in order (zeros: nothing drawn; random: initScale; he: √(2/fan_in); xavier: √(1/fan_in));
 *       biases 0.
 *
 *   trainExperiment(config, { train, test? }, hooks?, options?) → { result: RunResult, parameters }
 *       Synchronous. hooks.onEpoch(epoch, cost, testCost?) after every epoch; hooks.shouldStop() is polled before
 *       every epoch (true → status 'cancelled', history kept). Non-finite parameters after an epoch → status
 *       'diverged', divergedAtEpoch set, costs kept, accuracies null. A model/data mismatch → status 'error'.
 *       result.costs has one epoch-mean cost per epoch; result.testCosts (with a test set) has one entry per
 *       `costEvery` epochs, testCosts[k] for epoch k·costEvery. Seeding and cost conventions: see train.ts.
 *
 *   costAndGradients(params, X, Y, model, { l2, dropoutMasks?, keepProb? }) → { cost, grads, preActivations }
 *       One exact forward/backward pass over all columns of X: cost = mean cross-entropy + λ/(2m)·ΣW²,
 *       grads keyed dW1, db1, …, preActivations Z1 … ZL.
 *
 *   predictProba(params, model, X) → Matrix (1 × m for sigmoid, classes × m for softmax)
 *   predict(params, model, X) → labels (p > 0.5 for sigmoid, argmax for softmax)
 *   accuracy(params, model, dataset) → fraction correct
 *
 * Lower-level pieces (optimizers, mini-batches, parameter layout) are exported for tests and benchmarks.
 */
export { initializeParameters, initialFlatParameters, initScale } from './init';
export {
  trainExperiment,
  type EpochProbe,
  type TrainData,
  type TrainHooks,
  type TrainOptions,
  type TrainOutcome,
} from './train';
export {
  costAndGradients,
  costFunction,
  type CostAndGradients,
  type CostAndGradientsOptions,
  type CostFunction,
} from './gradients';
export { predictProba, predict, labelsFromProba } from './predict';
export { accuracy } from './metrics';
export { ACTIVATIONS, LEAKY_SLOPE, type ActivationFns } from './activations';
export { Optimizer, createOptimizer, type UpdateRule } from './optimizers';
export { learningRateAt } from './schedule';
export { randomMiniBatches, permutationInto, shuffleEpoch } from './batches';
export { parameterLayout, viewsOf, flatten, type ParameterLayout } from './params';
