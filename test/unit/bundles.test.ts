// What each built bundle contains, from its source map: the extension host's and the language server's bundles
// hold no trainer, so no training step can run on their threads; the worker's and the CLI's do (else this test
// would prove nothing). Replaces timing the host's event loop as a test; the delay is measured in `npm run bench`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const TRAINER = ['src/core/nn/train.ts', 'src/core/nn/gradients.ts', 'src/core/nn/optimizers.ts'];

function sources(bundle: string): string[] {
  const map = JSON.parse(readFileSync(join(process.cwd(), 'dist', `${bundle}.js.map`), 'utf8')) as {
    sources: string[];
  };
  return map.sources.map((s) => s.replace(/^(\.\.\/)+/, ''));
}

test('the extension host and the language server bundle no trainer; the training worker and the CLI do', () => {
  for (const bundle of ['extension', 'server']) {
    assert.deepEqual(
      sources(bundle).filter((s) => TRAINER.includes(s)),
      [],
      `dist/${bundle}.js`,
    );
  }
  for (const bundle of ['worker', 'cli']) {
    assert.deepEqual(
      sources(bundle)
        .filter((s) => TRAINER.includes(s))
        .sort(),
      [...TRAINER].sort(),
      `dist/${bundle}.js`,
    );
  }
});

test('the CSV load helper bundles the CSV parser and no trainer', () => {
  const bundled = sources('csv-part-worker');
  assert.ok(bundled.includes('src/core/datasets/csvParse.ts'));
  assert.deepEqual(
    bundled.filter((s) => TRAINER.includes(s)),
    [],
  );
});
