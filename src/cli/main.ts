/** `nnlab`: the headless front end. Dispatches to the command table and turns usage errors into exit code 2. */
import { version } from '../../package.json';
import { COMMANDS } from './commands';
import { UsageError, type CliIO } from './io';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `NN Lab ${version}: train and check small neural networks from experiment files.

Usage: nnlab COMMAND [options]

Commands:
${lines.join('\n')}

Options:
  -h, --help     show this help (nnlab COMMAND --help for a command's options)
  -v, --version  print the version

Experiment files are documented in docs/experiment-files.md.
`;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    io.stdout(help());
    return first === undefined ? 2 : 0;
  }
  if (first === '-v' || first === '--version') {
    io.stdout(`${version}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) {
    io.stderr(`nnlab: unknown command ${JSON.stringify(first)}\n\n${help()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`nnlab ${command.name}: ${e.message}\n\n${command.usage}\n`);
      return 2;
    }
    throw e;
  }
}

const io: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
  // A pseudo-terminal may report 0 columns.
  columns: process.stderr.columns || 80,
};

// `nnlab run … --json | head` closes the pipe early; that is the reader's choice, not a crash.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv.slice(2), io).then(
  (code) => {
    // Let a large --json document drain before exiting.
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`nnlab: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  },
);
