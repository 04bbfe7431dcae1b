import { Option, type Command } from 'commander';
import type { CommandContext } from '../cli/program.js';
import { EXIT, UsageError, nonEmpty, oneOf } from '../cli/usage.js';
import { EXPORT_FORMATS, EXPORT_IO, type ExportModelOptions } from './export-options.js';

interface RawExportOptions {
  readonly format?: unknown;
  readonly io?: unknown;
  readonly out?: unknown;
}

/** Checks every value and names the flag that is wrong; throws UsageError. */
export function exportOptions(model: unknown, raw: RawExportOptions): ExportModelOptions {
  return {
    model: nonEmpty('MODEL_JSON', model),
    format: oneOf('--format', raw.format, EXPORT_FORMATS),
    io: oneOf('--io', raw.io, EXPORT_IO),
    ...(raw.out === undefined ? {} : { out: nonEmpty('--out', raw.out) }),
  };
}

/** `qatkit export MODEL_DIR/model.json --format tflite|onnx [--io …] [-o FILE]`. */
export function registerExport(program: Command, ctx: CommandContext): void {
  program
    .command('export')
    .argument('<model-json>', 'model.json of a model saved with tfjs model.save (weight files beside it)')
    .summary('export a saved QAT model as an int8 .tflite or .onnx file (a float model as a float file)')
    .description(
      'Loads a tfjs-layers model saved with model.save and writes it as a .tflite (TFLite schema 3) or .onnx ' +
        '(QDQ form) file. A QAT model (saved from quantizeModel) exports as its full-integer graph; any other ' +
        'model as a float file, with float32 I/O. The file is written atomically.',
    )
    .addOption(new Option('--format <format>', `file format: ${EXPORT_FORMATS.join(', ')}`).makeOptionMandatory())
    .addOption(new Option('--io <type>', `model input/output type: ${EXPORT_IO.join(', ')} (int8 and uint8 need a QAT model)`).default('float32'))
    .option('-o, --out <file>', 'output file (default: model.<format> beside model.json)')
    .showHelpAfterError('(run "qatkit export --help" for the options)')
    .action(async (model: unknown, raw: RawExportOptions, command: Command) => {
      try {
        const options = exportOptions(model, raw);
        const { exportModel } = await import('./export-model.js');
        const result = await exportModel(options);
        ctx.io.out(`wrote ${result.file} (${result.kind} ${options.format}, ${options.io} I/O, ${result.bytes} bytes)\n`);
      } catch (err) {
        if (err instanceof UsageError) command.error(`error: ${err.message}`, { exitCode: EXIT.usage, code: 'qatkit.usage' });
        throw err;
      }
    });
}
