/**
 * Export an experiment as a course-style numpy program (numpy.ts) or a Jupyter notebook of it (notebook.ts).
 *   numpyScript(config, options) → the .py text      exportNotebook(config, options) → the .ipynb text
 * docs/python.md describes the programs.
 */
import type { ExperimentConfig } from '../types';
import { notebook } from './notebook';
import { numpySections, type ExportOptions } from './numpy';

export { exportProblem, numpyScript, numpySections, type ExportOptions, type ExportSection } from './numpy';
export { notebook } from './notebook';

export type ExportFormat = 'py' | 'ipynb';

export function exportNotebook(config: ExperimentConfig, options: ExportOptions): string {
  return notebook(numpySections(config, options));
}
