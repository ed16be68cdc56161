// `nnlab run --json`: an experiment that did not validate carries its own errors, as stderr prints them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test("--json carries each invalid experiment's errors with the positions and text of stderr, sweep paths included", () => {
  const work = mkdtempSync(join(tmpdir(), 'nnlab-json-errors-'));
  const file = join(work, 'sweeps.nnlab.json');
  writeFileSync(
    file,
    `{ "defaults": { "data": { "dataset": "moons", "samples": 40 }, "model": { "layers": [2, 3, 1] }, "train": { "epochs": 5 } },
  "experiments": {
    "ok": {},
    "path": { "sweep": { "train.learningRat": [0.1, 0.2] } },
    "value": { "sweep": { "train.learningRate": [0.1, -2] } },
    "two": { "model": { "layers": [3, 3, 1] }, "train": { "epochs": -1 } }
  } }`,
  );
  const r = spawnSync(process.execPath, [join(process.cwd(), 'dist/cli.js'), 'run', file, '--json', '-j', '1'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 1, r.stderr);
  const byName = new Map((JSON.parse(r.stdout).experiments as any[]).map((e) => [e.name, e]));
  const stderrLines = r.stderr.trim().split('\n');
  for (const name of ['path', 'value', 'two']) {
    const e = byName.get(name);
    assert.equal(e.status, 'error');
    assert.notEqual(e.error, 'the experiment is invalid', name);
    assert.ok(e.diagnostics.length >= 1, name);
    for (const d of e.diagnostics) {
      // The same problem, at the same place, with the same words as on stderr.
      assert.ok(
        stderrLines.includes(`${file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [at ${d.path}]`),
        `${name}: ${JSON.stringify(d)}`,
      );
    }
  }
  assert.match(
    byName.get('path').error,
    /^4:26: unknown parameter path "train\.learningRat"; did you mean "train\.learningRate"\?/,
  );
  assert.deepEqual(
    byName.get('two').diagnostics.map((d: any) => d.path),
    ['experiments.two.model.layers[0]', 'experiments.two.train.epochs'],
  );
  assert.equal(byName.get('ok').diagnostics, undefined);
});
