import { Option, type Command } from 'commander';
import type { CommandContext } from '../cli/program.js';
import { EXIT, UsageError, nonEmpty, oneOf, positiveInt } from '../cli/usage.js';
import { EXPORT_FORMATS, EXPORT_IO } from './export-options.js';
import { PTQ_DEFAULTS, PTQ_METHODS, type PtqOptions } from './ptq-options.js';

interface RawPtqOptions {
  readonly method?: unknown;
  readonly percentile?: unknown;
  readonly data?: unknown;
  readonly samples?: unknown;
  readonly batchSize?: unknown;
  readonly inputRange?: unknown;
  readonly format?: unknown;
  readonly io?: unknown;
  readonly out?: unknown;
}

/** "lo,hi" with two finite numbers, lo < hi. */
function range(flag: string, value: unknown): [number, number] {
  const parts = typeof value === 'string' ? value.split(',').map((s) => (s.trim() === '' ? Number.NaN : Number(s))) : [];
  if (parts.length !== 2 || !parts.every(Number.isFinite) || !(parts[0]! < parts[1]!)) {
    throw new UsageError(`${flag} must be two numbers "min,max" with min < max, got "${String(value)}"`);
  }
  return [parts[0]!, parts[1]!];
}

/** Checks every value and names the flag that is wrong; throws UsageError. */
export function ptqOptions(model: unknown, raw: RawPtqOptions): PtqOptions {
  const method = oneOf('--method', raw.method, PTQ_METHODS);
  let percentile: number | undefined;
  if (raw.percentile !== undefined) {
    if (method !== 'percentile') throw new UsageError(`--percentile goes with --method percentile, got --method ${method}`);
    percentile = typeof raw.percentile === 'string' && raw.percentile.trim() !== '' ? Number(raw.percentile) : Number.NaN;
    if (!(percentile > 0 && percentile <= 100)) throw new UsageError(`--percentile must be a number in (0, 100], e.g. 99.99; got "${String(raw.percentile)}"`);
  }
  return {
    model: nonEmpty('MODEL_JSON', model),
    method,
    ...(percentile === undefined ? {} : { percentile }),
    ...(raw.data === undefined ? {} : { data: nonEmpty('--data', raw.data) }),
    samples: positiveInt('--samples', raw.samples),
    batchSize: positiveInt('--batch-size', raw.batchSize),
    inputRange: range('--input-range', raw.inputRange),
    format: oneOf('--format', raw.format, EXPORT_FORMATS),
    io: oneOf('--io', raw.io, EXPORT_IO),
    ...(raw.out === undefined ? {} : { out: nonEmpty('--out', raw.out) }),
  };
}

const valued = (flags: string, description: string, value: string | number) => new Option(flags, description).default(String(value), String(value));

/** `qatkit ptq MODEL_DIR/model.json --method minmax|ema|percentile|mse [--data DIR] …`. */
export function registerPtq(program: Command, ctx: CommandContext): void {
  program
    .command('ptq')
    .argument('<model-json>', 'model.json of a float model saved with tfjs model.save (weight files beside it), input 28×28×1 images')
    .summary('post-training quantization: calibrate a float model on Fashion-MNIST images and write it as an int8 .tflite or .onnx')
    .description(
      'Quantizes a trained float tfjs-layers model without training: wraps it with fake-quant layers, sets the ' +
        'activation ranges from --samples Fashion-MNIST training images (scaled to [0, 1]) by --method, and writes ' +
        'the full-integer model atomically. Methods: minmax (extremes), ema (moving average, as QAT tracks ranges), ' +
        'percentile (tails beyond --percentile cut), mse (ranges minimizing the quantization error; weights clipped ' +
        'per channel the same way). Progress goes to stderr.',
    )
    .addOption(valued('--method <name>', `calibration method: ${PTQ_METHODS.join(', ')}`, PTQ_DEFAULTS.method))
    .option('--percentile <p>', 'for --method percentile: the percentile kept, in (0, 100] (default: 99.99)')
    .option('--data <dir>', 'folder with Fashion-MNIST IDX files (default: /usr/share/datasets/fashion-mnist if present, else the bundled subset)')
    .addOption(valued('--samples <n>', 'calibration images (from the training split)', PTQ_DEFAULTS.samples))
    .addOption(valued('--batch-size <n>', 'images per calibration batch', PTQ_DEFAULTS.batchSize))
    .addOption(valued('--input-range <min,max>', "the model input's real range (pixels are scaled to [0, 1])", PTQ_DEFAULTS.inputRange))
    .addOption(valued('--format <format>', `file format: ${EXPORT_FORMATS.join(', ')}`, PTQ_DEFAULTS.format))
    .addOption(valued('--io <type>', `model input/output type: ${EXPORT_IO.join(', ')}`, PTQ_DEFAULTS.io))
    .option('-o, --out <file>', 'output file (default: model-ptq-<method>.<format> beside model.json)')
    .showHelpAfterError('(run "qatkit ptq --help" for the options)')
    .action(async (model: unknown, raw: RawPtqOptions, command: Command) => {
      try {
        const options = ptqOptions(model, raw);
        const { runPtq } = await import('./ptq-model.js');
        const result = await runPtq(options, ctx.io.err);
        ctx.io.out(`wrote ${result.file} (int8 ${options.format}, ${options.io} I/O, ${result.bytes} bytes; ${options.method} calibration on ${result.samples} images)\n`);
      } catch (err) {
        if (err instanceof UsageError) command.error(`error: ${err.message}`, { exitCode: EXIT.usage, code: 'qatkit.usage' });
        throw err;
      }
    });
}
