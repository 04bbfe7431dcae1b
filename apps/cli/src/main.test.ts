import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { DemoOptions, DemoResult } from './commands/demo.js';
import { checkAgreement } from './deploy/check-agreement.js';
import { main } from './main.js';

const AGREES: DemoResult = {
  files: ['out/model.tflite', 'out/model-uint8.tflite'],
  checks: [
    { io: 'float32', verdict: checkAgreement({ argmax: 1, withinOneStep: 1, maxSteps: 0.5, outputs: 100, beyondOneStep: 0 }) },
    { io: 'uint8', verdict: checkAgreement({ argmax: 1, withinOneStep: 1, maxSteps: 0.5, outputs: 100, beyondOneStep: 0 }) },
  ],
};

/** Runs the CLI with captured output and a fake demo (no training), unless `runDemo` is given. */
async function run(argv: string[], result: DemoResult = AGREES) {
  let out = '';
  let err = '';
  const runDemo = vi.fn(async (_o: DemoOptions) => result);
  const code = await main(argv, { io: { out: (s) => void (out += s), err: (s) => void (err += s) }, runDemo });
  return { code, out, err, runDemo };
}

describe('qatkit help and version', () => {
  it('prints the program help on stdout and exits 0', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      expect(r.out).toMatch(/^Usage: qatkit \[options\] \[command\]/);
      const flat = r.out.replace(/\s+/g, ' ');
      expect(flat).toContain('demo [options] train a CNN (or MobileNetV2, ResNet-20) on Fashion-MNIST');
      expect(flat).toMatch(/Exit codes: 0 success .* 2 usage error: .* 3 the deployed int8 model disagrees/);
    }
  });

  it('prints the demo help with every option and its default, and exits 0', async () => {
    for (const argv of [['demo', '--help'], ['help', 'demo'], ['demo', '--epochs', '-1', '-h']]) {
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^Usage: qatkit demo \[options\]/);
      for (const flag of ['--data <dir>', '--out <dir>', '--epochs <n>', '--qat-epochs <n>', '--train-size <n>', '--test-size <n>', '--backend <name>']) expect(r.out).toContain(flag);
      // Help wraps to the terminal width: compare with whitespace collapsed.
      const flat = r.out.replace(/\s+/g, ' ');
      expect(flat).toContain('--epochs <n> float training epochs (default: 5 for cnn, 3 for mobilenetv2, 2 for resnet)');
      expect(flat).toContain('--arch <name>');
      expect(flat).toContain('(default: qatkit-demo)');
      expect(flat).toContain('3 the deployed int8 model disagrees with the QAT model');
      expect(r.runDemo).not.toHaveBeenCalled();
    }
  });

  it('prints the package version with --version and -V', async () => {
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await run(['--version'])).toMatchObject({ code: 0, out: `${version}\n` });
    expect(await run(['-V'])).toMatchObject({ code: 0, out: `${version}\n` });
  });

  it('prints the help on stderr and exits 2 without a command', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^Usage: qatkit/);
  });
});

describe('qatkit usage errors', () => {
  it.each([
    [['demo', '--bogus'], "error: unknown option '--bogus'"],
    [['--bogus', 'demo'], "error: unknown option '--bogus'"],
    [['train'], "error: unknown command 'train'"],
    [['demo', '--epochs', '-1'], 'error: --epochs must be a positive integer, got "-1"'],
    [['demo', '--epochs=-1'], 'error: --epochs must be a positive integer, got "-1"'],
    [['demo', '--epochs', 'abc'], 'error: --epochs must be a positive integer, got "abc"'],
    [['demo', '--epochs', 'two'], 'error: --epochs must be a positive integer, got "two"'],
    [['demo', '--qat-epochs', '1.5'], 'error: --qat-epochs must be a positive integer, got "1.5"'],
    [['demo', '--train-size', '-3'], 'error: --train-size must be a positive integer, got "-3"'],
    [['demo', '--test-size', '0'], 'error: --test-size must be a positive integer, got "0"'],
    [['demo', '--backend', 'webgpu'], 'error: --backend must be wasm, cpu or tensorflow, got "webgpu"'],
    [['demo', '--data', ''], 'error: --data must not be empty'],
    [['demo', '--epochs'], "error: option '--epochs <n>' argument missing"],
    [['demo', 'extra'], 'error: qatkit demo takes no arguments, got "extra"'],
    [['demo', '--', '--data', 'x'], 'error: qatkit demo takes no arguments, got "--data x" (options after "--" are read as arguments; with pnpm write "pnpm demo --data DIR", without "--")'],
  ])('%j → exit 2 and %s', async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const [first, ...rest] = r.err.trimEnd().split('\n');
    expect(first).toBe(message);
    expect(rest.at(-1)).toMatch(/^\(run "qatkit (demo )?--help" for (usage|the options)\)$/);
    expect(r.runDemo).not.toHaveBeenCalled();
  });

  it('suggests the command meant', async () => {
    const r = await run(['dmeo']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("error: unknown command 'dmeo'\n(Did you mean demo?)");
  });
});

describe('qatkit demo', () => {
  it('passes defaults, and the values given, to the demo', async () => {
    const r = await run(['demo']);
    expect(r.code).toBe(0);
    expect(r.runDemo).toHaveBeenCalledWith({ arch: 'cnn', out: 'qatkit-demo', backend: 'wasm', epochs: 5, qatEpochs: 1, trainSize: 12000, testSize: 10000, batchSize: 64 });
    const given = await run(['demo', '--arch', 'resnet', '--data', 'd', '--out', 'o', '--epochs', '2', '--qat-epochs=3', '--train-size', '100', '--test-size', '50', '--backend', 'cpu']);
    expect(given.runDemo).toHaveBeenCalledWith({ arch: 'resnet', data: 'd', out: 'o', backend: 'cpu', epochs: 2, qatEpochs: 3, trainSize: 100, testSize: 50, batchSize: 64 });
  });

  it('gives each architecture its own training budget unless --epochs/--train-size are given', async () => {
    const r = await run(['demo', '--arch', 'mobilenetv2']);
    expect(r.runDemo).toHaveBeenCalledWith(expect.objectContaining({ arch: 'mobilenetv2', epochs: 3, trainSize: 8000 }));
    const given = await run(['demo', '--arch', 'mobilenetv2', '--epochs', '7']);
    expect(given.runDemo).toHaveBeenCalledWith(expect.objectContaining({ arch: 'mobilenetv2', epochs: 7, trainSize: 8000 }));
  });

  it('names the architectures when --arch is unknown', async () => {
    const r = await run(['demo', '--arch', 'vgg']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('error: --arch must be cnn, mobilenetv2 or resnet, got "vgg"');
  });

  it('exits 3 and says what disagreed when a deployed model disagrees with the QAT model', async () => {
    const bad = checkAgreement({ argmax: 0.1, withinOneStep: 0.1, maxSteps: 112.4, outputs: 20, beyondOneStep: 18 });
    const r = await run(['demo'], { ...AGREES, checks: [AGREES.checks[0]!, { io: 'uint8', verdict: bad }] });
    expect(r.code).toBe(3);
    expect(r.err).toContain(
      'error: uint8 I/O: the deployed int8 model disagrees with the QAT model: 18 of 20 outputs (90.00%) are more than one output quantization step apart ' +
        '(at most 1.00% allowed); largest difference 112.40 steps; argmax agreement 10.00%\n',
    );
    expect(r.err).not.toContain('float32 I/O');
    expect(r.err).toContain('out/model.tflite, out/model-uint8.tflite');
  });
});

describe('qatkit demo with bad data (the real demo, which fails before training)', () => {
  it('says which file is missing when --data names a folder without Fashion-MNIST', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qatkit-data-'));
    await expect(main(['demo', '--data', dir])).rejects.toThrow(/train-images-idx3-ubyte/);
    await expect(main(['demo', '--data', join(dir, 'does-not-exist')])).rejects.toThrow(/does-not-exist/);
  });
  it('says the file is not IDX when it is garbage', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qatkit-data-'));
    for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
      await writeFile(join(dir, f), 'not an idx file at all');
    }
    await expect(main(['demo', '--data', dir])).rejects.toThrow(/magic|IDX/i);
  });
});
