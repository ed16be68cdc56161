// Containment in a real VS Code host (issue 13's acceptance): a run that exhausts its worker's memory fails alone
// and the next run in the same window succeeds; a /dev/zero data path gets a diagnostic while the language server
// keeps answering hover and completion. The workspace is the harness's throwaway copy of examples/.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { suite, suiteSetup, suiteTeardown, test } from '../driver/mocha';
import type { NnlabApi } from '../../../src/extension/extension';
import type { RunReport } from '../../../src/extension/runs';
import { activateNnlab } from './activate';
import { waitFor } from './waitFor';

suite('NN Lab containment in a real VS Code host', () => {
  let api: NnlabApi;
  let ws: vscode.Uri;

  suiteSetup(async function () {
    this.timeout(60_000);
    ({ api, workspace: ws } = await activateNnlab());
  });

  suiteTeardown(async () => {
    await vscode.workspace
      .getConfiguration('nnlab')
      .update('workerMemoryMb', undefined, vscode.ConfigurationTarget.Global);
  });

  test('a run that exhausts its worker memory fails alone; the next run in the window succeeds', async function () {
    this.timeout(240_000);
    // A million columns: the header's names alone need more than a 32 MB heap, while the network's arrays
    // (1M weights, 16 MB) pass the check made before training.
    const columns = 1_000_000;
    const header = Array.from({ length: columns }, (_, i) => `c${i}`).join(',');
    const row = (label: number) => `${'0.5,'.repeat(columns)}${label}`;
    writeFileSync(vscode.Uri.joinPath(ws, 'wide.csv').fsPath, `${header},y\n${row(0)}\n${row(1)}\n`);
    const uri = vscode.Uri.joinPath(ws, 'containment.nnlab.json');
    const experiments = {
      wide: {
        data: { dataset: 'csv', path: 'wide.csv' },
        model: { layers: [columns, 1, 1] },
        train: { epochs: 1, learningRate: 0.1 },
      },
      after: {
        data: { dataset: 'moons', samples: 200 },
        model: { layers: [2, 5, 1] },
        train: { epochs: 300, learningRate: 0.5 },
      },
    };
    writeFileSync(uri.fsPath, JSON.stringify({ experiments }, null, 2));
    await vscode.workspace.getConfiguration('nnlab').update('workerMemoryMb', 32, vscode.ConfigurationTarget.Global);
    // Workers made before the change keep their old limit; the pool retires idle ones after 10 s.
    await waitFor(
      'no idle workers from earlier suites',
      () => (api.poolStats()?.workers ?? 0) === 0 || undefined,
      60_000,
    );

    const failed = await vscode.commands.executeCommand<RunReport>('nnlab.runExperiment', {
      uri: uri.toString(),
      experiment: 'wide',
    });
    console.log(`[mocha] [containment] wide: ${failed.status} ${failed.result?.error ?? failed.message ?? ''}`);
    assert.equal(failed.status, 'error', JSON.stringify(failed).slice(0, 300));
    assert.match(
      failed.result?.error ?? failed.message ?? '',
      /ran out of memory: a worker may use 32 MB \(change it with the nnlab\.workerMemoryMb setting/,
    );

    const ok = await vscode.commands.executeCommand<RunReport>('nnlab.runExperiment', {
      uri: uri.toString(),
      experiment: 'after',
    });
    assert.equal(ok.status, 'ok', JSON.stringify(ok).slice(0, 300));
    assert.equal(ok.result?.costs.length, 300);
  });

  test('a /dev/zero data path shows a diagnostic, and the server still answers hover and completion', async function () {
    this.timeout(120_000);
    const uri = vscode.Uri.joinPath(ws, 'zero.nnlab.json');
    const text = JSON.stringify(
      {
        experiments: {
          zero: {
            data: { dataset: 'csv', path: '/dev/zero' },
            model: { layers: [2, 3, 1] },
            train: { epochs: 10, learningRate: 0.1 },
          },
        },
      },
      null,
      2,
    );
    writeFileSync(uri.fsPath, text);
    const started = Date.now();
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    // Untrusted (the harness's default), /dev/zero is outside the workspace folders; trusted, it is a device.
    const expected = vscode.workspace.isTrusted
      ? '/dev/zero: this is a device, not a file; NN Lab reads data only from regular files'
      : '/dev/zero: this file is outside the workspace folders, and this workspace is not trusted; NN Lab reads data only inside them until you trust the workspace';
    const diagnostic = await waitFor('the /dev/zero diagnostic', () =>
      vscode.languages.getDiagnostics(uri).find((d) => d.message === expected),
    );
    console.log(`[mocha] [containment] /dev/zero diagnostic after ${Date.now() - started} ms: ${diagnostic.message}`);
    const pathLine = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('/dev/zero'));
    assert.equal(diagnostic.range.start.line, pathLine, 'at data.path');

    const rateLine = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('"learningRate"'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      uri,
      new vscode.Position(rateLine, 12),
    );
    assert.ok(
      hovers.some((h) => h.contents.some((c) => String((c as vscode.MarkdownString).value ?? c).includes('learning'))),
      'hover answers',
    );
    const completions = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      uri,
      new vscode.Position(rateLine, 9),
    );
    assert.ok(
      completions.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label).includes('optimizer')),
      'completion answers',
    );
  });
});
