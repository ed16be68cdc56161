/** The file-level entry: read an experiment file from disk and resolve it. Node only (fs). */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataShapeProvider } from '../../core/experiment/dataShape';
import { makeDiagnostic, LineIndex } from '../../core/experiment/diagnostics';
import { resolveExperimentText, type ResolvedFile } from '../../core/experiment/resolve';
import { datasetShape } from './dataShape';
import { moduleExists } from './files';

export interface LoadedExperimentFile extends ResolvedFile {
  /** The absolute path read. */
  file: string;
  /** The file's text ('' when it could not be read). */
  text: string;
}

export function loadExperimentFile(
  path: string,
  options: { dataShape?: DataShapeProvider; advice?: boolean; workerMemoryMb?: number } = {},
): LoadedExperimentFile {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'this is a folder, not an experiment file'
          : `cannot read the file (${code ?? String(e)})`;
    const diagnostic = makeDiagnostic(new LineIndex(''), { code: 'file', message, path: [], offset: 0, length: 0 });
    return { file, text: '', experiments: [], entries: [], diagnostics: [diagnostic], fileErrors: true };
  }
  const resolved = resolveExperimentText(text, {
    baseDir: dirname(file),
    dataShape: options.dataShape ?? datasetShape,
    moduleExists,
    ...(options.workerMemoryMb === undefined ? {} : { workerMemoryMb: options.workerMemoryMb }),
    ...(options.advice === undefined ? {} : { advice: options.advice }),
  });
  return { file, text, ...resolved };
}
