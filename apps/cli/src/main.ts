import { CommanderError } from 'commander';
import { EXIT } from './cli/usage.js';
import { createProgram, type CliDeps } from './cli/program.js';

export { EXIT, UsageError } from './cli/usage.js';
export type { CliDeps, CliIo } from './cli/program.js';

/** Commander's codes for output that is not an error ('commander.help' is both: see below). */
const SUCCESS_CODES = new Set(['commander.helpDisplayed', 'commander.version']);

/**
 * Runs the CLI with `argv` (without node and script) and resolves to the exit code; it never calls
 * process.exit. Usage errors are printed (`error: ...`) and give 2; help and version give 0;
 * failures at run time (unreadable data, export errors) reject, for bin.ts to print.
 */
export async function main(argv: readonly string[], deps: Partial<CliDeps> = {}): Promise<number> {
  const { program, context } = createProgram(deps);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (SUCCESS_CODES.has(err.code) || (err.code === 'commander.help' && err.exitCode === 0)) return EXIT.ok;
    // Everything else is a usage error, already printed through the error output: unknown command
    // or option, missing or invalid value, no command at all (commander prints the help to stderr).
    return EXIT.usage;
  }
  return context.exitCode;
}
