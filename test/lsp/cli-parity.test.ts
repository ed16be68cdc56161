/**
 * One source of truth: the same invalid file through `nnlab run` and through the server gives the same
 * messages, severities and positions. The CLI prints `FILE:LINE:COL: SEVERITY: MESSAGE [at PATH]` (1-based).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { PARITY } from './fixtures';
import { ROOT, startClient } from './harness';

const CLI = resolve(ROOT, 'dist/cli.js');
const LINE = /^(.*):(\d+):(\d+): (error|warning): (.*?)(?: \[at [^\]]*\])?$/;

test('nnlab run and the language server report the same problems at the same positions', async () => {
  assert.ok(existsSync(CLI), 'dist/cli.js is built by `node scripts/build.mjs`');
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-parity-'));
  const file = join(dir, 'parity.nnlab.json');
  writeFileSync(file, PARITY);
  try {
    const run = spawnSync(process.execPath, [CLI, 'run', file], { encoding: 'utf8' });
    assert.equal(run.status, 1, `one experiment fails, the other runs:\n${run.stderr}`);
    const fromCli = run.stderr
      .split('\n')
      .map((l) => LINE.exec(l))
      .filter((m) => m !== null && m[1] === file)
      .map((m) => `${m![2]}:${m![3]} ${m![4]}: ${m![5]}`);

    const client = await startClient();
    try {
      const diagnostics = await client.open(pathToFileURL(file).href, PARITY);
      const fromServer = diagnostics.map(
        (d) =>
          `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity === DiagnosticSeverity.Error ? 'error' : 'warning'}: ${d.message}`,
      );
      assert.equal(fromServer.length, 5, fromServer.join('\n'));
      assert.deepEqual(fromServer, fromCli);
    } finally {
      assert.equal(await client.close(), 0);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
