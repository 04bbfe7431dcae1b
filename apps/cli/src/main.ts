import { parseArgs } from 'node:util';
import { DEMO_DEFAULTS, runDemo, type DemoOptions } from './commands/demo.js';

/** Wrong flags or values: exit code 2, as is usual for command-line usage errors. */
export class UsageError extends Error {}

const HELP = `qatkit — quantization-aware training for TensorFlow.js, deployed as int8 TFLite

Usage:
  qatkit demo [options]   train a CNN on Fashion-MNIST, fine-tune it with QAT, export int8
                          .tflite files and score them on LiteRT

Demo options:
  --data DIR          folder with Fashion-MNIST IDX files (train-/t10k- images/labels, .gz or not);
                      default: /usr/share/datasets/fashion-mnist if present, else the bundled subset
  --out DIR           where model.tflite and model-uint8.tflite go (default: ${DEMO_DEFAULTS.out})
  --epochs N          float training epochs (default ${DEMO_DEFAULTS.epochs})
  --qat-epochs N      QAT fine-tuning epochs (default ${DEMO_DEFAULTS.qatEpochs})
  --train-size N      training images used (default ${DEMO_DEFAULTS.trainSize})
  --test-size N       test images scored (default ${DEMO_DEFAULTS.testSize})
  --backend NAME      tfjs backend: wasm (default), cpu, or tensorflow (needs @tensorflow/tfjs-node)
  -h, --help          this text
`;

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got "${value}"`);
  return n;
}


/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      epochs: { type: 'string' },
      'qat-epochs': { type: 'string' },
      'train-size': { type: 'string' },
      'test-size': { type: 'string' },
      backend: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  const [command] = positionals;
  if (values.help || !command) {
    process.stdout.write(HELP);
    return command || values.help ? 0 : 1;
  }
  if (command !== 'demo') throw new UsageError(`unknown command "${command}"; try "qatkit --help"`);
  const backend = values.backend ?? DEMO_DEFAULTS.backend;
  if (backend !== 'wasm' && backend !== 'cpu' && backend !== 'tensorflow') throw new UsageError(`--backend must be wasm, cpu or tensorflow, got "${backend}"`);
  const options: DemoOptions = {
    ...(values.data ? { data: values.data } : {}),
    out: values.out ?? DEMO_DEFAULTS.out,
    backend,
    epochs: positiveInt('epochs', values.epochs, DEMO_DEFAULTS.epochs),
    qatEpochs: positiveInt('qat-epochs', values['qat-epochs'], DEMO_DEFAULTS.qatEpochs),
    trainSize: positiveInt('train-size', values['train-size'], DEMO_DEFAULTS.trainSize),
    testSize: positiveInt('test-size', values['test-size'], DEMO_DEFAULTS.testSize),
    batchSize: DEMO_DEFAULTS.batchSize,
  };
  await runDemo(options);
  return 0;
}

