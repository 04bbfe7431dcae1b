import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '@qatkit/exporter-onnx';
import { exportTflite } from '@qatkit/exporter-tflite';
import { calibrate, initBackend, quantizeModel, toFloatGraph, toGraph } from '@qatkit/tfjs';
import { runCli as run, saveModelTo as saveTo } from '../test-utils/cli.js';

let dir: string;
let floatModel: tf.LayersModel;
let qat: tf.LayersModel;
beforeAll(async () => {
  await initBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'qatkit-export-'));
  floatModel = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  qat = quantizeModel(floatModel, { inputRange: [0, 1] });
  calibrate(qat, [tf.randomUniform([8, 8, 8, 1], 0, 1, 'float32', 1)]);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('qatkit export', () => {
  it('writes a saved QAT model as the int8 .onnx and .tflite the exporters give for it in memory', async () => {
    const path = await saveTo(qat, await mkdtemp(join(dir, 'qat-')));
    const onnx = await run(['export', path, '--format', 'onnx', '--io', 'int8', '-o', join(dir, 'out', 'm.onnx')]);
    expect(onnx).toMatchObject({ code: 0, err: '' });
    expect(onnx.out).toMatch(/^wrote .*m\.onnx \(int8 onnx, int8 I\/O, \d+ bytes\)\n$/);
    expect(Buffer.from(await readFile(join(dir, 'out', 'm.onnx'))).equals(Buffer.from(exportOnnx(toGraph(qat), { io: 'int8' })))).toBe(true);
    expect((await run(['export', path, '--format', 'tflite'])).code).toBe(0);
    expect(Buffer.from(await readFile(path.replace('model.json', 'model.tflite'))).equals(Buffer.from(exportTflite(toGraph(qat))))).toBe(true);
  });

  it('writes a float model as a float file, and refuses integer I/O for it with a usage error', async () => {
    const path = await saveTo(floatModel, await mkdtemp(join(dir, 'float-')));
    expect((await run(['export', path, '--format', 'onnx'])).out).toContain('(float onnx, float32 I/O');
    expect(Buffer.from(await readFile(path.replace('model.json', 'model.onnx'))).equals(Buffer.from(exportOnnx(toFloatGraph(floatModel))))).toBe(true);
    const refused = await run(['export', path, '--format', 'tflite', '--io', 'uint8']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('is a float model (not saved from quantizeModel), which exports with float32 I/O only; got --io uint8');
  });

  it('names a missing or wrong flag with exit code 2, and fails at run time on a missing file', async () => {
    const noFormat = await run(['export', 'x/model.json']);
    expect(noFormat.code).toBe(2);
    expect(noFormat.err).toContain("required option '--format <format>' not specified");
    const badIo = await run(['export', 'x/model.json', '--format', 'onnx', '--io', 'int16']);
    expect(badIo).toMatchObject({ code: 2, err: expect.stringContaining('--io must be float32, uint8 or int8, got "int16"') });
    await expect(run(['export', join(dir, 'missing', 'model.json'), '--format', 'onnx'])).rejects.toThrow(/ENOENT/);
  });
});
