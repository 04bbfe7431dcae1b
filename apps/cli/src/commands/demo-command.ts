import { Option, type Command } from 'commander';
import type { CommandContext } from '../cli/program.js';
import { EXIT, EXIT_CODES_HELP, UsageError, nonEmpty, oneOf, positiveInt } from '../cli/usage.js';
import { DEMO_ARCHS } from '../train/demo-archs.js';
import { ARCH_BUDGET, DEMO_DEFAULTS, type DemoOptions } from './demo-options.js';

const BACKENDS = ['wasm', 'cpu', 'tensorflow'] as const;

/** An option whose default the help shows as the bare value (5, not "5"). */
const valued = (flags: string, description: string, value: string | number) => new Option(flags, description).default(String(value), String(value));

/** "5 for cnn, 3 for mobilenetv2, …": the per-architecture defaults, for the help text. */
const budgets = (key: 'epochs' | 'trainSize') => DEMO_ARCHS.map((a) => `${ARCH_BUDGET[a][key]} for ${a}`).join(', ');

/** Raw option values as commander stores them: strings from the command line, or the defaults. */
interface RawDemoOptions {
  readonly arch?: unknown;
  readonly data?: unknown;
  readonly out?: unknown;
  readonly epochs?: unknown;
  readonly qatEpochs?: unknown;
  readonly trainSize?: unknown;
  readonly testSize?: unknown;
  readonly backend?: unknown;
}

/** Checks every value and names the flag that is wrong; throws UsageError. */
export function demoOptions(raw: RawDemoOptions, args: readonly string[]): DemoOptions {
  if (args.length > 0) {
    // Only reachable after "--" (or with a stray word): pnpm passes "pnpm demo -- --data x" on as is.
    const hint = args[0]!.startsWith('-') ? ' (options after "--" are read as arguments; with pnpm write "pnpm demo --data DIR", without "--")' : '';
    throw new UsageError(`qatkit demo takes no arguments, got "${args.join(' ')}"${hint}`);
  }
  const arch = oneOf('--arch', raw.arch, DEMO_ARCHS);
  return {
    arch,
    ...(raw.data === undefined ? {} : { data: nonEmpty('--data', raw.data) }),
    out: nonEmpty('--out', raw.out),
    backend: oneOf('--backend', raw.backend, BACKENDS),
    epochs: raw.epochs === undefined ? ARCH_BUDGET[arch].epochs : positiveInt('--epochs', raw.epochs),
    qatEpochs: positiveInt('--qat-epochs', raw.qatEpochs),
    trainSize: raw.trainSize === undefined ? ARCH_BUDGET[arch].trainSize : positiveInt('--train-size', raw.trainSize),
    testSize: positiveInt('--test-size', raw.testSize),
    batchSize: DEMO_DEFAULTS.batchSize,
  };
}

/** `qatkit demo`: float training → QAT → int8 TFLite → LiteRT, failing when LiteRT disagrees with QAT. */
export function registerDemo(program: Command, ctx: CommandContext): void {
  program
    .command('demo')
    .summary('train a CNN (or MobileNetV2, ResNet-20) on Fashion-MNIST, fine-tune it with QAT, export int8 .tflite files and score them on LiteRT')
    .description(
      'Trains a CNN (or, with --arch, MobileNetV2 or ResNet-20) on Fashion-MNIST, fine-tunes it with quantization-aware training, exports ' +
        'model.tflite (float32 I/O) and model-uint8.tflite (uint8 I/O) to --out, runs both on LiteRT, and checks ' +
        'that their outputs agree with the QAT model (at least 99% of outputs within one output quantization step).',
    )
    .addOption(valued('--arch <name>', `model: ${DEMO_ARCHS.join(', ')} (cnn: the quick CNN with BatchNorm; mobilenetv2: alpha 0.35; resnet: ResNet-20)`, DEMO_DEFAULTS.arch))
    .option('--data <dir>', 'folder with Fashion-MNIST IDX files (train-/t10k- images/labels, .gz or not) (default: /usr/share/datasets/fashion-mnist if present, else the bundled subset)')
    .addOption(valued('--out <dir>', 'where model.tflite and model-uint8.tflite go', DEMO_DEFAULTS.out))
    .option('--epochs <n>', `float training epochs (default: ${budgets('epochs')})`)
    .addOption(valued('--qat-epochs <n>', 'QAT fine-tuning epochs', DEMO_DEFAULTS.qatEpochs))
    .option('--train-size <n>', `training images used, at most the set has (default: ${budgets('trainSize')})`)
    .addOption(valued('--test-size <n>', 'test images scored (at most the set has)', DEMO_DEFAULTS.testSize))
    .addOption(valued('--backend <name>', `tfjs backend: ${BACKENDS.join(', ')} (tensorflow needs @tensorflow/tfjs-node)`, DEMO_DEFAULTS.backend))
    .allowExcessArguments(true) // checked in demoOptions, to explain the pnpm "--" case
    .showHelpAfterError('(run "qatkit demo --help" for the options)')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (raw: RawDemoOptions, command: Command) => {
      let options: DemoOptions;
      try {
        options = demoOptions(raw, command.args);
      } catch (err) {
        if (err instanceof UsageError) command.error(`error: ${err.message}`, { exitCode: EXIT.usage, code: 'qatkit.usage' });
        throw err;
      }
      const result = await ctx.runDemo(options);
      const failed = result.checks.filter((c) => !c.verdict.ok);
      for (const c of failed) ctx.io.err(`error: ${c.io} I/O: ${c.verdict.message}\n`);
      if (failed.length > 0) {
        ctx.io.err(`the files are written (${result.files.join(', ')}) for inspection, but do not deploy them: they do not behave like the trained model\n`);
        ctx.exitCode = EXIT.disagreement;
      }
    });
}
