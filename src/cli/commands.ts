/** The command table of `nnlab`: one entry per subcommand, each in its own file. */
import type { Command } from './io';
import { runCommand } from './run';
import { gradcheckCommand } from './gradcheck';
import { exportCommand } from './export';

export const COMMANDS: Command[] = [runCommand, gradcheckCommand, exportCommand];
