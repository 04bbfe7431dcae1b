import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { readTflite } from '@qatkit/exporter-tflite';
import type { CommandContext } from '../cli/program.js';
import { EXIT, UsageError, nonEmpty } from '../cli/usage.js';
import { checkDocument } from '../check/check-json.js';
import { renderHtml } from '../check/check-html.js';
import { formatReport } from '../check/check-text.js';
import { DEFAULT_TARGETS, TARGETS_HELP, parseTarget } from '../check/target-specs.js';
import { writeFileAtomic } from '../io/atomic-write.js';

interface RawCheckOptions {
  readonly target?: unknown;
  readonly json?: unknown;
  readonly html?: unknown;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export const CHECK_EXIT_HELP = `
Exit codes:
  ${EXIT.ok}  every op runs on every named accelerator
  ${EXIT.failure}  the file cannot be read, or is not a valid .tflite (MALFORMED_MODEL)
  ${EXIT.usage}  usage error: unknown target or setting, missing file
  ${EXIT.notAccelerated}  some op falls back to the CPU, or a target refuses the model
`;

/** `qatkit check model.tflite --target edgetpu --target nnapi:30 … [--json] [--html report.html]`. */
export function registerCheck(program: Command, ctx: CommandContext, version: string): void {
  program
    .command('check')
    .argument('<model>', 'a .tflite file (schema 3, from any converter)')
    .summary('say op by op where a .tflite runs on NPU targets (Edge TPU, NNAPI, i.MX 8M Plus, Ethos-U), and why')
    .description(
      'Reads a .tflite file and checks it against each target\'s published rules: for every op, whether it runs on ' +
        'the accelerator, falls back to the CPU, or makes the whole model fail; the rule in the vendor\'s words, the ' +
        'values that broke it, a fix, and the rule\'s source and confidence. Partitions as each delegate cuts them; ' +
        'ops and MACs on the accelerator; CPU↔accelerator transitions. Exits 0 only when the whole model runs on ' +
        'every named accelerator, so it works as a CI gate.',
    )
    .option('-t, --target <target>', `a target, repeatable (default: ${DEFAULT_TARGETS.join(', ')})`, collect)
    .option('--json', 'print the reports as JSON (schema qatkit-check/1, see the README) instead of text')
    .option('--html <file>', 'also write a self-contained HTML report: the graph coloured by placement beside the table')
    .showHelpAfterError('(run "qatkit check --help" for the options)')
    .addHelpText('after', `\nTargets:\n${TARGETS_HELP}\n${CHECK_EXIT_HELP}`)
    .action(async (file: unknown, raw: RawCheckOptions, command: Command) => {
      let targets;
      let html: string | undefined;
      try {
        nonEmpty('<model>', file);
        const specs = Array.isArray(raw.target) && raw.target.length > 0 ? (raw.target as string[]) : DEFAULT_TARGETS;
        targets = specs.map(parseTarget);
        html = raw.html === undefined ? undefined : nonEmpty('--html', raw.html);
      } catch (err) {
        if (err instanceof UsageError) command.error(`error: ${err.message}`, { exitCode: EXIT.usage, code: 'qatkit.usage' });
        throw err;
      }
      const bytes = new Uint8Array(await readFile(file as string));
      const model = readTflite(bytes);
      const reports = targets.map((t) => t.check(model));
      const doc = checkDocument(basename(file as string), bytes.length, model, reports);
      if (raw.json === true) ctx.io.out(`${JSON.stringify(doc, null, 2)}\n`);
      else ctx.io.out(`${doc.model.file}: ${doc.model.ops} ops, ${doc.model.subgraphs} subgraph${doc.model.subgraphs === 1 ? '' : 's'}\n\n${reports.map(formatReport).join('\n\n')}\n`);
      if (html !== undefined) {
        await writeFileAtomic(html, renderHtml(doc, model, version));
        if (raw.json !== true) ctx.io.out(`\nwrote ${html}\n`);
      }
      if (!doc.ok) ctx.exitCode = EXIT.notAccelerated;
    });
}
