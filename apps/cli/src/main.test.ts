import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError, main } from './main.js';

describe('qatkit CLI arguments', () => {
  it('prints help and exits 0 with --help, 1 without a command', async () => {
    expect(await main(['--help'])).toBe(0);
    expect(await main([])).toBe(1);
  });
  it.each([
    [['train'], /unknown command "train"/],
    [['demo', '--epochs', 'two'], /--epochs must be a positive integer, got "two"/],
    [['demo', '--test-size', '0'], /--test-size must be a positive integer/],
    [['demo', '--backend', 'webgpu'], /--backend must be wasm, cpu or tensorflow/],
    [['demo', '--nope'], /Unknown option '--nope'/],
  ])('rejects %j as a usage error', async (argv, message) => {
    const err = await main(argv).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(String(err)).toMatch(message);
  });
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
