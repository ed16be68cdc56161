// Python model modules and numpy export in a real VS Code host (issue 16's acceptance): the ∇ Check gradients lens
// above a referenced .py module's backward def, the course bug's failing W2 and b1 in the panel and the Testing
// view, the verdict on the lens, a Python exception as a diagnostic at its line, and Export as numpy script.
// Needs python3 with numpy (Debian's /usr/bin/python3 + python3-numpy, or NNLAB_E2E_PYTHON); the workspace is the
// harness's throwaway copy of examples/.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { suite, suiteSetup, test } from '../driver/mocha';
import type { NnlabApi } from '../../../src/extension/extension';
import type { TestRecord } from '../../../src/extension/testing';
import { activateNnlab } from './activate';
import { waitFor } from './waitFor';

const PYTHON = process.env.NNLAB_E2E_PYTHON ?? '/usr/bin/python3';

const lenses = (uri: vscode.Uri) =>
  vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
const lineOf = (uri: vscode.Uri, pattern: RegExp) =>
  readFileSync(uri.fsPath, 'utf8')
    .split('\n')
    .findIndex((l) => pattern.test(l));

suite('Python model modules in a real VS Code host', () => {
  let api: NnlabApi;
  let dir: vscode.Uri;

  suiteSetup(async function () {
    this.timeout(120_000);
    const nnlab = await activateNnlab();
    api = nnlab.api;
    const folder = nnlab.workspace;
    dir = vscode.Uri.joinPath(folder, 'gradient-checking');
    // No Python extension in this host: the setting names the interpreter. Written to the workspace's settings file
    // directly: WorkspaceConfiguration.update took about 30 s per call in this host.
    const file = vscode.Uri.joinPath(folder, '.vscode', 'settings.json').fsPath;
    let settings: Record<string, unknown> = {};
    try {
      settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      // no settings file yet
    }
    mkdirSync(vscode.Uri.joinPath(folder, '.vscode').fsPath, { recursive: true });
    writeFileSync(file, JSON.stringify({ ...settings, 'nnlab.python.path': PYTHON }, null, 2));
    await waitFor(
      'nnlab.python.path to reach the host',
      () => vscode.workspace.getConfiguration('nnlab').get<string>('python.path') === PYTHON || undefined,
      90_000,
    );
  });

  test('the lens above def backward_propagation_n checks the course bug: W2 and b1 fail in the panel, the Testing view and the lens', async function () {
    this.timeout(120_000);
    const moduleUri = vscode.Uri.joinPath(dir, 'buggy_model.py');
    const experiments = vscode.Uri.joinPath(dir, 'python.nnlab.json');
    const def = lineOf(moduleUri, /^def backward_propagation_n\(/);
    assert.ok(def > 0);
    await vscode.window.showTextDocument(moduleUri);
    const lens = await waitFor('the ∇ Check gradients lens on buggy_model.py', async () =>
      (await lenses(moduleUri)).find((l) => l.command?.title === '∇ Check gradients (python-buggy)'),
    );
    assert.equal(lens.range.start.line, def, 'the lens sits on the configured backward def');
    const record = (await vscode.commands.executeCommand<TestRecord>(
      lens.command!.command,
      ...lens.command!.arguments!,
    ))!;
    assert.equal(record.state, 'failed', JSON.stringify(record).slice(0, 600));
    assert.equal(api.testResult(`${experiments.toString()}#python-buggy`)?.state, 'failed');
    const params = new Set(record.messages.map((m) => m.message.split('[')[0]));
    assert.deepEqual([...params].sort(), ['W2', 'b1']);
    for (const m of record.messages) {
      assert.equal(m.uri, moduleUri.toString(), 'failures land at the module');
      assert.equal(m.line, def, 'at its backward def');
    }
    const panel = api.panelState();
    assert.equal(panel.view, 'gradcheck');
    assert.ok(
      Math.abs(panel.gradcheck!.difference - 0.2850931568) <= 1e-9,
      `difference ${panel.gradcheck!.difference}`,
    );
    assert.deepEqual(
      panel
        .gradcheck!.parameters.filter((t) => !t.passed)
        .map((t) => t.name)
        .sort(),
      ['W2', 'b1'],
    );
    const verdict = await waitFor('the verdict lens', async () =>
      (await lenses(moduleUri)).find((l) => l.command?.title.startsWith('∇ ✗')),
    );
    assert.equal(verdict.command!.title, '∇ ✗ W2, b1 (0.285)');
    assert.equal(verdict.range.start.line, def);
  });

  test('the fixed module passes, and its lens says so', async function () {
    this.timeout(120_000);
    const moduleUri = vscode.Uri.joinPath(dir, 'fixed_model.py');
    await vscode.window.showTextDocument(moduleUri);
    const lens = await waitFor('the lens on fixed_model.py', async () =>
      (await lenses(moduleUri)).find((l) => l.command?.title === '∇ Check gradients (python-fixed)'),
    );
    assert.equal(lens.range.start.line, lineOf(moduleUri, /^def backward\(/));
    const record = (await vscode.commands.executeCommand<TestRecord>(
      lens.command!.command,
      ...lens.command!.arguments!,
    ))!;
    assert.equal(record.state, 'passed', JSON.stringify(record).slice(0, 600));
    const verdict = await waitFor('the ✓ lens', async () =>
      (await lenses(moduleUri)).find((l) => l.command?.title.startsWith('∇ ✓')),
    );
    assert.equal(verdict.command!.title, '∇ ✓ 1.2e-7');
  });

  test('a Python exception becomes a diagnostic at the line that raised it, and goes when the module is fixed', async function () {
    this.timeout(120_000);
    const moduleUri = vscode.Uri.joinPath(dir, 'raising_model.py');
    const source = readFileSync(vscode.Uri.joinPath(dir, 'fixed_model.py').fsPath, 'utf8');
    // The learner's typo: W2 where W3 belongs, in the forward pass.
    const broken = source.replace('Z3 = np.dot(W3, A2) + b3', 'Z3 = np.dot(W2, A1.T) + b3');
    assert.notEqual(broken, source);
    writeFileSync(moduleUri.fsPath, broken);
    const experiments = vscode.Uri.joinPath(dir, 'raising.nnlab.json');
    writeFileSync(
      experiments.fsPath,
      '{ "experiments": { "raising": { "model": { "module": "./raising_model.py" } } } }\n',
    );
    const line = lineOf(moduleUri, /Z3 = np\.dot\(W2, A1\.T\)/);
    const record = (await vscode.commands.executeCommand<TestRecord>('nnlab.checkGradients', {
      uri: experiments.toString(),
      experiment: 'raising',
    }))!;
    assert.equal(record.state, 'errored', JSON.stringify(record).slice(0, 600));
    assert.match(
      record.messages[0]!.message,
      /^\.\/raising_model\.py: forward\(\) raised ValueError: shapes \(3,5\) and \(3,5\) not aligned/,
    );
    assert.match(record.messages[0]!.message, /Traceback \(most recent call last\)/);
    assert.equal(record.messages[0]!.uri, moduleUri.toString());
    assert.equal(record.messages[0]!.line, line);
    const diagnostics = await waitFor('the diagnostic', () => {
      const d = vscode.languages.getDiagnostics(moduleUri).filter((x) => x.source === 'NN Lab');
      return d.length ? d : undefined;
    });
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.range.start.line, line);
    assert.equal(diagnostics[0]!.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diagnostics[0]!.message, /forward\(\) raised ValueError: shapes \(3,5\) and \(3,5\) not aligned/);

    writeFileSync(moduleUri.fsPath, source);
    const again = (await vscode.commands.executeCommand<TestRecord>('nnlab.checkGradients', {
      uri: experiments.toString(),
      experiment: 'raising',
    }))!;
    assert.equal(again.state, 'passed', JSON.stringify(again).slice(0, 600));
    assert.deepEqual(
      vscode.languages.getDiagnostics(moduleUri).filter((x) => x.source === 'NN Lab'),
      [],
    );
  });

  test('Export as numpy script writes the course program beside the experiment file and opens it', async function () {
    this.timeout(60_000);
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'optimization.nnlab.json');
    const written = await vscode.commands.executeCommand<vscode.Uri>('nnlab.exportNumpyScript', {
      uri: uri.toString(),
      experiment: 'adam',
    });
    assert.equal(written.fsPath, vscode.Uri.joinPath(uri, '..', 'optimization-adam.py').fsPath);
    assert.ok(existsSync(written.fsPath));
    const text = readFileSync(written.fsPath, 'utf8');
    assert.match(text, /make_moons\(n_samples=300, noise=0\.2\)/);
    assert.match(text, /def update_parameters\(parameters, grads, learning_rate\):/);
    await waitFor(
      'the script to open',
      () => vscode.window.activeTextEditor?.document.uri.fsPath === written.fsPath || undefined,
    );
    const notebook = await vscode.commands.executeCommand<vscode.Uri>('nnlab.exportNotebook', {
      uri: uri.toString(),
      experiment: 'adam',
    });
    assert.equal(notebook.fsPath, vscode.Uri.joinPath(uri, '..', 'optimization-adam.ipynb').fsPath);
    assert.equal((JSON.parse(readFileSync(notebook.fsPath, 'utf8')) as { nbformat: number }).nbformat, 4);
  });
});
