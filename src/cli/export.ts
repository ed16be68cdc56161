/**
 * `nnlab export FILE -e NAME [--format py|ipynb] [-o OUT]`: one experiment as a course-style numpy program or a
 * Jupyter notebook of it (src/core/export), to stdout or atomically to OUT. Exit codes: 0 written, 1 the
 * experiment cannot be exported, 2 the file is invalid (or a bad command line).
 */
import { dirname, relative, resolve } from 'node:path';
import { version } from '../../package.json';
import { didYouMean, suggest } from '../core/experiment/suggest';
import { loadExperimentFile } from '../node/experiment';
import { exportNotebook, exportProblem, numpyScript, type ExportFormat } from '../core/export';
import { writeFileAtomic } from '../runner/atomicFile';
import { oneFile, parseArgs } from './args';
import { formatDiagnostic } from './format';
import { UsageError, type CliIO, type Command } from './io';

const USAGE = `Usage: nnlab export FILE -e NAME [--format py|ipynb] [-o OUT]

Write experiment NAME of FILE as a self-contained numpy program (--format py, the default) or a Jupyter notebook
(--format ipynb) that trains the same network with the same data, seeds and optimizer, and prints NN Lab's epoch
costs and accuracies (docs/python.md).

Options:
  -e, --experiment NAME  the experiment to export
  -f, --format FORMAT    py (default) or ipynb
  -o, --output OUT       write to OUT (atomically) instead of stdout
  -h, --help             show this help

Exit codes: 0 written, 1 the experiment cannot be exported, 2 the file is invalid.`;

async function exportCommandRun(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, [
    { name: 'experiment', short: 'e', value: true },
    { name: 'format', short: 'f', value: true },
    { name: 'output', short: 'o', value: true },
    { name: 'help', short: 'h' },
  ]);
  if (args.flags.has('help')) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const file = oneFile(args);
  const name = args.values.get('experiment')?.[0];
  if (name === undefined) throw new UsageError('which experiment? give -e NAME');
  const format = (args.values.get('format')?.[0] ?? 'py') as ExportFormat;
  if (format !== 'py' && format !== 'ipynb') throw new UsageError(`--format is py or ipynb, got ${format}`);
  const output = args.values.get('output')?.[0];

  const loaded = loadExperimentFile(file);
  for (const d of loaded.diagnostics) io.stderr(`${formatDiagnostic(file, d)}\n`);
  if (loaded.fileErrors) return 2;
  const entry = loaded.entries.find((e) => e.name === name);
  if (!entry) {
    const names = loaded.entries.map((e) => e.name);
    io.stderr(
      `nnlab export: unknown experiment ${JSON.stringify(name)}${didYouMean(suggest(name, names))} (experiments: ${names.join(', ') || 'none'})\n`,
    );
    return 2;
  }
  const config = entry.config;
  const problem = config
    ? exportProblem(config)
    : entry.sweep
      ? `"${name}" is a sweep; export one of its settings as a plain experiment`
      : `"${name}" has errors`;
  if (!config || problem) {
    io.stderr(`nnlab export: ${problem}\n`);
    return 1;
  }
  const baseDir = dirname(resolve(loaded.file));
  const outDir = output ? dirname(resolve(output)) : process.cwd();
  const options = {
    source: relative(outDir, resolve(loaded.file)) || loaded.file,
    version,
    csvPath: (path: string) => relative(outDir, resolve(baseDir, path)),
  };
  const text = format === 'py' ? numpyScript(config, options) : exportNotebook(config, options);
  if (output) await writeFileAtomic(resolve(output), text);
  else io.stdout(text);
  return 0;
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'write an experiment as a numpy script or a Jupyter notebook that gives the same costs',
  usage: USAGE,
  run: exportCommandRun,
};
