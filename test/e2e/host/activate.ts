// The in-host suites' one way to start: the installed NN Lab activated, its API, and the harness's workspace folder
// (a throwaway copy of examples/).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { NnlabApi } from '../../../src/extension/extension';

export const NNLAB_ID = 'nnlab.nnlab';

export interface ActiveNnlab {
  ext: vscode.Extension<NnlabApi>;
  api: NnlabApi;
  workspace: vscode.Uri;
}

/** Activates the installed extension (failing the caller if it is not installed); returns it with its API. */
export async function activateNnlab(): Promise<ActiveNnlab> {
  const ext = vscode.extensions.getExtension<NnlabApi>(NNLAB_ID);
  assert.ok(ext, `${NNLAB_ID} is not installed`);
  const api = await ext.activate();
  return { ext, api, workspace: vscode.workspace.workspaceFolders![0]!.uri };
}
