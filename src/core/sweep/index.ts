/** Sweeps: `sweep`/`search` in experiment files, their expansion into trials, and pruning (docs/experiment-files.md). */
export type { SweepDefinition, SweepParam, SweepSpec, PruneSettings, TrialValues } from './types';
export { sweepablePaths, fieldForSweepPath } from './paths';
export { checkSweep } from './validate';
export { expandSweep, gridSize, trialNames, sweepRecord } from './expand';
export { Pruner, quantile, type PruneDecision } from './prune';
