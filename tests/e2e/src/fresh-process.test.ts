import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAgreement } from '@qatkit/cli';
import { readTflite } from '@qatkit/exporter-tflite';
import { loadLiteRt } from '@qatkit/litert-runner';
import { calibrate, initBackend, quantizeModel } from '@qatkit/tfjs';
import { compareOutput } from './deployed.js';

/** Save → load in a fresh process → continue training → export: the QAT model's files are enough. */

const dir = mkdtempSync(join(tmpdir(), 'qatkit-fresh-'));
beforeAll(async () => {
  await initBackend('cpu');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a QAT model saved with tf.io', () => {
  it('loads in a fresh process after importing @qatkit/tfjs alone, trains on, and exports a model LiteRT agrees with', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [10, 10, 1], filters: 4, kernelSize: 3, useBias: false, name: 'conv' }),
        tf.layers.batchNormalization({ name: 'bn' }),
        tf.layers.reLU({ name: 'relu' }),
        tf.layers.flatten({ name: 'flat' }),
        tf.layers.dense({ units: 3, activation: 'softmax', name: 'out' }),
      ],
    });
    const qat = quantizeModel(model, { inputRange: [0, 1] });
    calibrate(qat, [tf.randomUniform([16, 10, 10, 1], 0, 1, 'float32', 20)]);
    await qat.save(
      tf.io.withSaveHandler(async (a) => {
        writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }], userDefinedMetadata: a.userDefinedMetadata }));
        writeFileSync(join(dir, 'weights.bin'), new Uint8Array(a.weightData as ArrayBuffer));
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const script = new URL('./fixtures/continue-training.ts', import.meta.url).pathname;
    execFileSync(process.execPath, ['--import', 'tsx', script, dir], { stdio: 'inherit', timeout: 180_000 });

    const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as { loss: number[]; test: number[]; predictions: number[] };
    expect(result.loss).toHaveLength(2);
    const bytes = new Uint8Array(readFileSync(join(dir, 'continued.tflite')));
    const ops = readTflite(bytes).subgraphs[0]!.operators.map((o) => o.opcode);
    expect(ops).toEqual(['QUANTIZE', 'CONV_2D', 'RESHAPE', 'FULLY_CONNECTED', 'SOFTMAX', 'DEQUANTIZE']);
    const rt = await loadLiteRt();
    const compiled = await rt.compile(bytes);
    const deployed = Array.from({ length: 8 }, (_, s) => [compiled.run([{ data: Float32Array.from(result.test.slice(s * 100, (s + 1) * 100)), shape: [1, 10, 10, 1] }])[0]!.data as Float32Array]);
    compiled.dispose();
    // The output is the softmax, fixed at steps of 1/256.
    const verdict = checkAgreement(compareOutput(Float32Array.from(result.predictions), deployed, 0, 1 / 256));
    expect(verdict.ok, verdict.message).toBe(true);
  });
});
