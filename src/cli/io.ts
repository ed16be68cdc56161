/** What a command may touch of the process, so tests and main.ts can supply it. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Progress bars only on an interactive terminal. */
  stderrIsTTY: boolean;
  /** Terminal width for the progress bar. */
  columns: number;
}

/** A wrong command line: main.ts prints the message and the usage, and exits with 2. */
export class UsageError extends Error {}

export interface Command {
  name: string;
  /** One line for `nnlab --help`. */
  summary: string;
  /** The full usage text for `nnlab COMMAND --help`. */
  usage: string;
  /** Returns the exit code. */
  run(args: string[], io: CliIO): Promise<number>;
}
