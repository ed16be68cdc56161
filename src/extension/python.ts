/**
 * Which Python runs a learner's model module: the environment the Python extension has selected for the file's
 * workspace folder when that extension is installed, else the setting nnlab.python.path, else python3 on PATH.
 * Asked only when a check needs Python, so the Python extension is never activated for anything else.
 */
import * as vscode from 'vscode';
import { PythonExtension, PVSC_EXTENSION_ID } from '@vscode/python-extension';
import { DEFAULT_PYTHON } from '../runner/python/check';
import { config } from './config';

export interface Interpreter {
  python: string;
  /** Where the choice came from, for the log. */
  source: 'python extension' | 'nnlab.python.path' | 'default';
}

async function fromPythonExtension(resource: vscode.Uri, log: vscode.LogOutputChannel): Promise<string | undefined> {
  if (!vscode.extensions.getExtension(PVSC_EXTENSION_ID)) return undefined;
  try {
    const api = await PythonExtension.api();
    const active = api.environments.getActiveEnvironmentPath(resource);
    const env = await api.environments.resolveEnvironment(active);
    return env?.executable.uri?.fsPath;
  } catch (e) {
    log.warn(
      `the Python extension did not give an interpreter (${(e as Error).message}); using nnlab.python.path or python3`,
    );
    return undefined;
  }
}

export async function interpreterFor(resource: vscode.Uri, log: vscode.LogOutputChannel): Promise<Interpreter> {
  const selected = await fromPythonExtension(resource, log);
  if (selected) return { python: selected, source: 'python extension' };
  const setting = config.pythonPath(resource);
  if (setting) return { python: setting, source: 'nnlab.python.path' };
  return { python: DEFAULT_PYTHON, source: 'default' };
}
