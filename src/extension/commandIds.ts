/**
 * Every command id NN Lab contributes, in one table: package.json's `contributes.commands` lists exactly these
 * (test/unit/commands.test.ts), commands.ts registers a handler for each, and code refers to an id through this
 * table, never as a string. The code-lens commands come from the server's contract (src/protocol/lsp.ts).
 * Imports no `vscode`, so unit tests read it.
 */
import { Commands } from '../protocol/lsp';

export const CommandIds = {
  ...Commands,
  exportNumpyScript: 'nnlab.exportNumpyScript',
  exportNotebook: 'nnlab.exportNotebook',
  runAllInFile: 'nnlab.runAllInFile',
  cancelRun: 'nnlab.cancelRun',
  pauseRun: 'nnlab.pauseRun',
  resumeRun: 'nnlab.resumeRun',
  stepRun: 'nnlab.stepRun',
  runControls: 'nnlab.runControls',
  cancelAll: 'nnlab.cancelAll',
  showPanel: 'nnlab.showPanel',
  openRunHistory: 'nnlab.openRunHistory',
  refreshRunHistory: 'nnlab.refreshRunHistory',
  openRun: 'nnlab.openRun',
  newExperimentFile: 'nnlab.newExperimentFile',
  saveReport: 'nnlab.saveReport',
} as const;

export type ContributedCommand = (typeof CommandIds)[keyof typeof CommandIds];
