// The resolver must survive anything an editor sends while the user types: mutated example files never make
// it throw, and every diagnostic range lies inside the text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolveExperimentText } from '../../src/core/experiment';
import { datasetShape, moduleExists } from '../../src/node/experiment';
import { RandomState } from '../../src/core/random';

const sources = ['examples/initialization.nnlab.json', 'examples/optimization.nnlab.json'].map((f) =>
  readFileSync(f, 'utf8'),
);
sources.push(`{
  "defaults": { "data": { "dataset": "moons", "samples": 50 }, "model": { "layers": [2, 3, 1] } },
  "experiments": {
    "s": { "sweep": { "train.learningRate": [0.1, 0.01], "model.layers": [[2, 4, 1]] }, "search": { "prune": { "after": 3 } } },
    "r": { "sweep": { "train.l2": { "uniform": [0, 1] }, "train.epochs": { "intUniform": [1, 3] } }, "search": { "method": "random", "trials": 3, "seed": 1 } },
    "d": { "train": { "decay": { "type": "step", "rate": 0.5, "every": 2 }, "batchSize": 8 } }
  }
}`);
const TOKENS = [
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '"',
  '1e308',
  '-1',
  '0',
  'null',
  'true',
  '"x"',
  '[[[[[[[[',
  '{"a":{"b":{"c":{}}}}',
  '2.5',
  '"csv"',
  '"sweep"',
];

function mutate(text: string, rng: RandomState): string {
  if (text.length === 0) return TOKENS[rng.randint(0, TOKENS.length) as number]!;
  const at = rng.randint(0, text.length + 1) as number;
  switch (rng.randint(0, 5) as number) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + (rng.randint(0, 4) as number));
    case 1:
      return text.slice(0, at) + text.slice(at, at + 6) + text.slice(at);
    case 2:
      return text.slice(0, at) + TOKENS[rng.randint(0, TOKENS.length) as number] + text.slice(at);
    case 3:
      return text.slice(0, at);
    default: {
      const from = rng.randint(0, text.length) as number;
      return text.slice(0, at) + text.slice(from, from + 12) + text.slice(at);
    }
  }
}

test('1000 mutated files: no throw, every range inside the text', () => {
  const rng = new RandomState(2024);
  let diagnostics = 0;
  for (let i = 0; i < 1000; i++) {
    let text = sources[i % sources.length]!;
    const steps = 1 + (rng.randint(0, 3) as number);
    for (let k = 0; k < steps; k++) text = mutate(text, rng);
    const r = resolveExperimentText(text, { baseDir: process.cwd(), dataShape: datasetShape, moduleExists });
    for (const d of r.diagnostics) {
      assert.ok(
        d.offset >= 0 && d.offset + d.length <= text.length,
        `range ${d.offset}+${d.length} outside ${text.length} (case ${i})`,
      );
      assert.ok(
        d.line >= 1 && d.column >= 1 && (d.endLine > d.line || (d.endLine === d.line && d.endColumn >= d.column)),
      );
      assert.ok(d.message.length > 0);
    }
    diagnostics += r.diagnostics.length;
  }
  assert.ok(diagnostics > 1000, 'mutations should produce diagnostics');
});
