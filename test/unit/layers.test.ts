import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = process.cwd();
const check = (at: string) =>
  spawnSync(process.execPath, [join(root, 'scripts/check-layers.mjs'), '--root', at], { encoding: 'utf8' });

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

test('the repository follows its layer rules', () => {
  const r = check(root);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /every import follows the layer rules/);
});

test('--edges counts the import statements between layers', () => {
  const dir = tree({
    'src/core/matrix.ts': 'export const zeros = 0;\n',
    'src/core/nn/a.ts': "import { zeros } from '../matrix';\nimport type { X } from 'vega-lite';\n",
    'src/node/read.ts':
      "import { readFileSync } from 'node:fs';\nimport { zeros } from '../core/matrix';\nexport const v = () => import('vega');\n",
  });
  try {
    const r = spawnSync(process.execPath, [join(root, 'scripts/check-layers.mjs'), '--root', dir, '--edges'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      '| from \\ to | core | Node built-ins | packages (run time) |',
      '|---|---:|---:|---|',
      '| core | 1 |  |  |',
      '| node | 1 | 1 | vega 1 |',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a planted violation of each kind fails with the file, the line and the rule', () => {
  const dir = tree({
    'src/core/nn/fine.ts': "import { zeros } from '../matrix';\nimport type { Config } from 'vega-lite';\n",
    'src/core/matrix.ts': 'export const zeros = 0;\n',
    'src/core/nn/bad.ts': "// a comment\nimport { readFileSync } from 'node:fs';\nimport * as vscode from 'vscode';\n",
    'src/core/datasets/up.ts': "export { run } from '../../runner/pool';\n",
    'src/runner/pool.ts': "import { window } from 'vscode';\nexport const run = 1;\n",
    'src/protocol/wire.ts': "import type { Panel } from '../extension/panel';\n",
    'webview/app.ts': "import { h } from '../src/server/hover';\nimport { spec } from '../src/charts/specs';\n",
    'src/charts/specs.ts': 'export const spec = 1;\n',
    // The files that were Node-side exceptions until #15 get none now: the core runs without Node and without vega.
    'src/core/datasets/csv.ts': "import type { Stats } from 'node:fs';\n",
    // The chart model is portable too: the webview bundles it.
    'src/charts/render.ts':
      "import type { TopLevelSpec } from 'vega-lite';\nexport const render = () => import('vega');\n",
    'src/charts/rows.ts': "import type { ChartRun } from '../protocol/charts';\nimport { cwd } from 'node:process';\n",
    'src/protocol/charts.ts':
      "import type { Activation } from '../core/types';\nimport type { Row } from '../charts/rows';\n",
    // The node layer may use Node, vega and the core, but not the layers that use it.
    'src/node/charts/svg.ts':
      "import { readFileSync } from 'node:fs';\nimport { spec } from '../../charts/specs';\nexport const svg = () => import('vega');\n",
    'src/node/datasets/read.ts': "import { run } from '../../runner/pool';\n",
    'src/cli/charts.ts': "import { svg } from '../node/charts/svg';\nimport * as vega from 'vega';\n",
  });
  try {
    const r = check(dir);
    assert.equal(r.status, 1);
    const lines = r.stderr.trim().split('\n');
    assert.deepEqual(lines.slice(0, -1).sort(), [
      'layers: src/charts/render.ts:2 imports the package vega; charts may import no package',
      'layers: src/charts/rows.ts:2 imports the Node built-in node:process; charts must run without Node',
      'layers: src/cli/charts.ts:2 imports the package vega; cli may import no package',
      'layers: src/core/datasets/csv.ts:1 imports the Node built-in node:fs; core must run without Node',
      'layers: src/core/datasets/up.ts:1 imports ../../runner/pool (layer runner); core may import core',
      'layers: src/core/nn/bad.ts:2 imports the Node built-in node:fs; core must run without Node',
      'layers: src/core/nn/bad.ts:3 imports the package vscode; core may import jsonc-parser',
      'layers: src/node/datasets/read.ts:1 imports ../../runner/pool (layer runner); node may import node, charts, protocol, core',
      'layers: src/protocol/charts.ts:2 imports ../charts/rows (layer charts); protocol may import protocol, core',
      'layers: src/protocol/wire.ts:1 imports ../extension/panel (layer extension); protocol may import protocol, core',
      'layers: src/runner/pool.ts:1 imports the package vscode; runner may import no package',
      'layers: webview/app.ts:1 imports ../src/server/hover (layer server); webview may import webview, protocol, charts',
    ]);
    assert.match(lines.at(-1)!, /^layers: 12 import\(s\) break the layer rules/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
