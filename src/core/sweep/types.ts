/** A sweep as the validator reads it from an experiment's `sweep` and `search` keys. */
import type { JsonNode } from '../experiment/jsonc';

export type RandomSpecKind = 'uniform' | 'logUniform' | 'intUniform' | 'choice';

export type SweepSpec =
  /** A grid list; under random search, drawn from uniformly. */
  | { kind: 'list'; values: unknown[]; nodes: JsonNode[] }
  | { kind: 'uniform' | 'logUniform' | 'intUniform'; low: number; high: number; node: JsonNode }
  | { kind: 'choice'; values: unknown[]; nodes: JsonNode[] };

export interface SweepParam {
  /** The dotted path as written, e.g. `train.learningRate`. */
  path: string;
  segments: string[];
  spec: SweepSpec;
}

export interface PruneSettings {
  /** Epoch, counted from 1, at which trials are compared. */
  after: number;
  quantile: number;
}

export interface SweepDefinition {
  params: SweepParam[];
  method: 'grid' | 'random';
  /** Random search only. */
  trials?: number;
  seed: number;
  prune?: PruneSettings;
}

/** One trial: the value of every swept path, and for list specs which item it came from (for positions). */
export interface TrialValues {
  values: unknown[];
  /** Per param: the list index, or -1 for a value drawn from a range spec. */
  picks: number[];
}
