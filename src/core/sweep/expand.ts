/**
 * Deterministic expansion of a sweep into trials, and their names.
 *
 * Grid: every combination of the lists, in the order an odometer counts, the first key varying slowest (like
 * itertools.product over the keys in file order). Random: `trials` draws from numpy's RandomState seeded with
 * `search.seed`; per trial, the keys are drawn in file order: uniform a + (b − a)·u, logUniform exp(log a +
 * (log b − log a)·u), intUniform randint(a, b + 1), lists and choice values[randint(0, n)]. The same file always
 * gives the same trials, and since no seed changes across trials, a trial equals the standalone experiment with
 * the same values.
 */
import { RandomState } from '../random';
import type { SweepDefinition, SweepParam, TrialValues } from './types';

/** How many values the grid takes for each key, in order (1 for a key given by a random spec). */
function gridSizes(params: readonly SweepParam[]): number[] {
  return params.map((p) => (p.spec.kind === 'list' ? p.spec.values.length : 1));
}

/** The number of trials of a grid search: the product of the lists' lengths. */
export function gridSize(params: readonly SweepParam[]): number {
  return gridSizes(params).reduce((a, b) => a * b, 1);
}

function gridTrials(params: SweepParam[]): TrialValues[] {
  const sizes = gridSizes(params);
  const total = gridSize(params);
  const trials: TrialValues[] = [];
  for (let t = 0; t < total; t++) {
    const picks: number[] = new Array(params.length);
    let rest = t;
    for (let i = params.length - 1; i >= 0; i--) {
      picks[i] = rest % sizes[i]!;
      rest = Math.floor(rest / sizes[i]!);
    }
    trials.push({
      picks,
      values: params.map((p, i) => (p.spec.kind === 'list' ? p.spec.values[picks[i]!] : undefined)),
    });
  }
  return trials;
}

function draw(rng: RandomState, param: SweepParam): { value: unknown; pick: number } {
  const spec = param.spec;
  switch (spec.kind) {
    case 'list':
    case 'choice': {
      const pick = rng.randint(0, spec.values.length) as number;
      return { value: spec.values[pick], pick };
    }
    case 'uniform':
      return { value: spec.low + (spec.high - spec.low) * rng.randomSample(), pick: -1 };
    case 'logUniform': {
      const a = Math.log(spec.low);
      return { value: Math.exp(a + (Math.log(spec.high) - a) * rng.randomSample()), pick: -1 };
    }
    case 'intUniform':
      return { value: rng.randint(spec.low, spec.high + 1) as number, pick: -1 };
  }
}

function randomTrials(def: SweepDefinition): TrialValues[] {
  const rng = new RandomState(def.seed);
  const trials: TrialValues[] = [];
  for (let t = 0; t < (def.trials ?? 0); t++) {
    const drawn = def.params.map((p) => draw(rng, p));
    trials.push({ values: drawn.map((d) => d.value), picks: drawn.map((d) => d.pick) });
  }
  return trials;
}

export function expandSweep(def: SweepDefinition): TrialValues[] {
  return def.method === 'random' ? randomTrials(def) : gridTrials(def.params);
}

/** A value as it appears in a trial name: drawn floats to 4 significant digits, lists and objects as compact JSON. */
function nameValue(value: unknown, drawn: boolean): string {
  if (typeof value === 'number')
    return drawn && !Number.isInteger(value) ? String(Number(value.toPrecision(4))) : String(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/**
 * The labels a trial name uses for the swept paths: the last segment (`learningRate`), or the whole path where
 * two swept paths share a last segment (`data.seed`, `model.seed`).
 */
function paramLabels(def: SweepDefinition): string[] {
  const last = def.params.map((p) => p.segments[p.segments.length - 1]!);
  return def.params.map((p, i) => (last.filter((l) => l === last[i]).length > 1 ? p.path : last[i]!));
}

/** `NAME[learningRate=0.001,batchSize=32]` for each trial; a name that repeats (rounded draws) gets `#2`, `#3`… */
export function trialNames(name: string, def: SweepDefinition, trials: readonly TrialValues[]): string[] {
  const labels = paramLabels(def);
  const seen = new Map<string, number>();
  return trials.map((trial) => {
    const parts = trial.values.map((v, i) => `${labels[i]}=${nameValue(v, trial.picks[i] === -1)}`);
    const base = `${name}[${parts.join(',')}]`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  });
}

/** The swept values of a trial by full path, as results carry them (`{ "train.learningRate": 0.001 }`). */
export function sweepRecord(def: SweepDefinition, trial: TrialValues): Record<string, unknown> {
  return Object.fromEntries(def.params.map((p, i) => [p.path, trial.values[i]]));
}
