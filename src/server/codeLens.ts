/**
 * Code lenses with typed command arguments (the rust-analyzer way: the server decides what can be run,
 * the client only executes commands from src/protocol/lsp.ts).
 */
import type { CodeLens, Command, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { JsonNode } from '../core/experiment/jsonc';
import type { ExperimentEntry } from '../core/experiment/resolve';
import { Commands, type CompareCommandArgs, type ExperimentCommandArgs } from '../protocol/lsp';
import { property } from './tree';

/**
 * The lenses above one experiment, in display order, from the core's resolved entry. Each maker returns
 * undefined when it does not apply, so a new kind of lens is one more maker here.
 */
type ExperimentLensMaker = (uri: string, entry: ExperimentEntry) => Command | undefined;

const experimentLensMakers: ExperimentLensMaker[] = [
  // Running a sweep experiment runs its trials; the title says how many (known once the sweep is valid).
  // A model-module experiment only supports gradient checks (NN Lab does not train users' modules), so it gets
  // no Run lens rather than one that can only answer with an error.
  (uri, e) =>
    e.config?.model.module
      ? undefined
      : command(e.sweep ? `▶ Run sweep (${e.sweep.trials.length} trials)` : '▶ Run', Commands.runExperiment, {
          uri,
          experiment: e.name,
        }),
  (uri, e) => command('∇ Check gradients', Commands.checkGradients, { uri, experiment: e.name }),
  // One network of NN Lab's own can be written out as a numpy program; a module or a sweep has none to write.
  (uri, e) =>
    e.config && !e.sweep && !e.config.model.module
      ? command('⤓ Export to numpy', Commands.exportNumpy, { uri, experiment: e.name })
      : undefined,
];

function command(title: string, id: typeof Commands.compareExperiments, args: CompareCommandArgs): Command;
function command(
  title: string,
  id: typeof Commands.runExperiment | typeof Commands.checkGradients | typeof Commands.exportNumpy,
  args: ExperimentCommandArgs,
): Command;
function command(title: string, id: string, args: unknown): Command {
  return { title, command: id, arguments: [args] };
}

/** A lens sits on the key's line; a zero-width range at the key's start is all the client needs. */
function at(doc: TextDocument, offset: number): Range {
  const start = doc.positionAt(offset);
  return { start, end: start };
}

export function codeLenses(
  doc: TextDocument,
  root: JsonNode | undefined,
  entries: readonly ExperimentEntry[],
): CodeLens[] {
  const lenses: CodeLens[] = [];
  const experiments = property(root, 'experiments');
  if (experiments && entries.length > 0) {
    const names = entries.map((e) => e.name);
    lenses.push({
      range: at(doc, experiments.key.offset),
      command: command('⇄ Compare all', Commands.compareExperiments, { uri: doc.uri, experiments: names }),
    });
  }
  for (const entry of entries) {
    for (const make of experimentLensMakers) {
      const cmd = make(doc.uri, entry);
      if (cmd) lenses.push({ range: at(doc, entry.offset), command: cmd });
    }
  }
  return lenses;
}
