// Harness smoke suite (owned by the e2e harness): the installed NN Lab extension is present in a real VS Code
// host, activates, and registers every command its manifest contributes. It grows with package.json.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { suite, test } from '../driver/mocha';
import { activateNnlab } from './activate';

suite('NN Lab extension in a real VS Code host', () => {
  test('host facts', () => {
    console.log(
      `vscode ${vscode.version}, node ${process.version}, uiKind ${vscode.env.uiKind}, remote ${vscode.env.remoteName}`,
    );
    assert.match(vscode.version, /^1\.\d+\.\d+/);
  });

  test('the extension is installed and activates', async function () {
    this.timeout(30_000);
    const { ext } = await activateNnlab();
    assert.equal(ext.isActive, true);
  });

  test('every contributed command is registered', async () => {
    const { ext } = await activateNnlab();
    const contributed: string[] = (ext.packageJSON.contributes?.commands ?? []).map(
      (c: { command: string }) => c.command,
    );
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });
});
