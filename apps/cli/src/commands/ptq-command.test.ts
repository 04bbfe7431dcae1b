import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTflite } from '@qatkit/exporter-tflite';
import { initBackend } from '@qatkit/tfjs';
import { runCli as run, saveModelTo as saveTo } from '../test-utils/cli.js';
import { ptqOptions } from './ptq-command.js';

const SUBSET = new URL('../../data/fashion-mnist-subset', import.meta.url).pathname;

let dir: string;
let modelJson: string;
beforeAll(async () => {
  await initBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'qatkit-ptq-'));
  const model = tf.sequential({
    name: 'tiny',
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, strides: 2, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  modelJson = await saveTo(model, dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('qatkit ptq', () => {
  it('calibrates a saved float model on images and writes an int8 .tflite, with progress on stderr', async () => {
    const out = join(dir, 'out', 'tiny.tflite');
    const r = await run(['ptq', modelJson, '--method', 'percentile', '--percentile', '99.9', '--data', SUBSET, '--samples', '96', '--batch-size', '32', '--io', 'uint8', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^wrote .*tiny\.tflite \(int8 tflite, uint8 I\/O, \d+ bytes; percentile calibration on 96 images\)\n$/);
    expect(r.err).toContain('calibrating (percentile 99.9): 3/3 batches (100%)');
    const m = readTflite(new Uint8Array(await readFile(out)));
    expect(m.subgraphs[0]!.operators.map((o) => o.opcode)).toEqual(['QUANTIZE', 'CONV_2D', 'RESHAPE', 'FULLY_CONNECTED', 'QUANTIZE']);
  });

  it('defaults to MSE and writes model-ptq-mse.tflite beside model.json', async () => {
    const r = await run(['ptq', modelJson, '--data', SUBSET, '--samples', '32']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('model-ptq-mse.tflite');
  });

  it('names a wrong value with exit code 2', async () => {
    for (const [args, message] of [
      [['--method', 'kl'], '--method must be minmax, ema, percentile or mse, got "kl"'],
      [['--method', 'minmax', '--percentile', '99'], '--percentile goes with --method percentile'],
      [['--method', 'percentile', '--percentile', '0'], '--percentile must be a number in (0, 100]'],
      [['--input-range', '1,0'], '--input-range must be two numbers "min,max" with min < max, got "1,0"'],
      [['--samples', '0'], '--samples must be a positive integer'],
    ] as const) {
      const r = await run(['ptq', modelJson, ...args]);
      expect(r).toMatchObject({ code: 2, err: expect.stringContaining(message) });
    }
  });

  it('refuses a model that does not take 28×28×1 images', async () => {
    const other = await saveTo(tf.sequential({ layers: [tf.layers.dense({ inputShape: [5], units: 2 })] }), await mkdtemp(join(dir, 'dense-')));
    const r = await run(['ptq', other, '--samples', '8']);
    expect(r).toMatchObject({ code: 2, err: expect.stringContaining('ptq calibrates on 28×28×1 Fashion-MNIST images, but the model takes [5]') });
  });

  it('parses options without loading anything', () => {
    expect(ptqOptions('m.json', { method: 'ema', samples: '10', batchSize: '5', inputRange: '-1,1', format: 'onnx', io: 'int8' })).toEqual({
      model: 'm.json', method: 'ema', samples: 10, batchSize: 5, inputRange: [-1, 1], format: 'onnx', io: 'int8',
    });
  });
});
