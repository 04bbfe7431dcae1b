import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { runDemo } from '../commands/demo.js';
import { registerCheck } from '../commands/check-command.js';
import { registerDemo } from '../commands/demo-command.js';
import { registerExport } from '../commands/export-command.js';
import { registerPtq } from '../commands/ptq-command.js';
import { registerStudy } from '../commands/study-command.js';
import { EXIT, EXIT_CODES_HELP } from './usage.js';

/** Where help, errors and command verdicts go: the process streams, or a buffer in tests. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** What the commands need from outside; tests swap the slow parts (training) for fakes. */
export interface CliDeps {
  readonly io: CliIo;
  readonly runDemo: typeof runDemo;
}

/** Passed to every command's register function; an action sets `exitCode` when it is not 0. */
export interface CommandContext extends CliDeps {
  exitCode: number;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** The version in this package's package.json (two levels up from src/cli and from dist/cli). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

/**
 * The `qatkit` program. Every command registers itself with `program.command(...)` after the
 * settings below, so it inherits them: errors throw (main turns them into exit codes), output goes
 * through `io`, and a usage error ends with a pointer to --help.
 */
export function createProgram(deps: Partial<CliDeps> = {}): { program: Command; context: CommandContext } {
  // The demo's training stack (tfjs) loads only when the demo runs: `qatkit check` starts fast.
  const lazyDemo: typeof runDemo = async (options) => (await import('../commands/demo.js')).runDemo(options);
  const context: CommandContext = { io: deps.io ?? processIo, runDemo: deps.runDemo ?? lazyDemo, exitCode: EXIT.ok };
  const { io } = context;
  const program = new Command('qatkit')
    .description('quantization-aware training for TensorFlow.js, deployed as full-integer TFLite and checked on LiteRT')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print help')
    .helpCommand('help [command]', 'print help for a command')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: (text, write) => write(text) })
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run "qatkit --help" for usage)')
    .addHelpText('after', `${EXIT_CODES_HELP}\nRun "qatkit <command> --help" for a command's options.`);
  registerDemo(program, context);
  registerExport(program, context);
  registerPtq(program, context);
  registerStudy(program, context);
  registerCheck(program, context, packageVersion());
  return { program, context };
}
