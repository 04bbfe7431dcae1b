import * as tf from '@tensorflow/tfjs';
import type { TargetModel } from '@qatkit/core';
import { exportTflite, readTflite } from '@qatkit/exporter-tflite';
import { nbit, type NbitOptions } from '@qatkit/scheme-nbit';
import { calibrate, initBackend, quantizeModel, toGraph } from '@qatkit/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TARGETS } from './shared-models.js';

/**
 * scheme-nbit exports on the four targets: every op that touches a tensor narrower than its
 * storage (4-bit weights in INT8, as readTflite reports from "qatkit.bits") gets the target's
 * note that it runs on the int8 kernels, and stays on the accelerator; an 8-bit export gets none.
 */

const NOTE: Readonly<Record<string, string>> = { edgetpu: 'CORAL-NBIT', nnapi: 'NN-NBIT', imx8mp: 'VX-NBIT', 'ethos-u': 'VELA-NBIT' };
const L = tf.layers;

/** conv+relu → conv → depthwise → pool → dense, batch 1: the shape every target accelerates. */
function smallNet(): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      L.conv2d({ inputShape: [8, 8, 3], batchSize: 1, filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' }),
      L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'c2' }),
      L.depthwiseConv2d({ kernelSize: 3, padding: 'same', activation: 'relu', name: 'dw' }),
      L.maxPooling2d({ poolSize: 2, name: 'pool' }),
      L.flatten({ name: 'flat' }),
      L.dense({ units: 5, name: 'head' }),
    ],
  });
  model.layers.forEach((layer, i) => layer.setWeights(layer.weights.map((w, k) => tf.randomUniform(w.shape as number[], -0.6, 0.6, 'float32', 10 * i + k))));
  return model;
}

/** QAT-ready model with `options`, calibrated (no training: placement does not depend on it), int8 I/O. */
function exportNbit(options: NbitOptions): TargetModel {
  const qat = quantizeModel(smallNet(), { scheme: nbit(options), inputRange: [0, 1] });
  calibrate(qat, [tf.randomUniform([8, 8, 8, 3], 0, 1, 'float32', 1)]);
  return readTflite(exportTflite(toGraph(qat), { io: 'int8' }));
}

const narrowOps = (m: TargetModel): number[] => {
  const sg = m.subgraphs[0]!;
  const narrow = (t: number) => t >= 0 && (sg.tensors[t]!.bits ?? 8) < 8;
  return sg.operators.flatMap((op, i) => (op.inputs.some(narrow) || op.outputs.some(narrow) ? [i] : []));
};

beforeAll(async () => {
  await initBackend('wasm');
});

describe('n-bit exports on the targets', () => {
  it.each([
    ['4-bit weights, 4-bit activations', { weightBits: 4, activationBits: 4 }],
    ['3-bit weights, 6-bit activations, per tensor', { weightBits: 3, activationBits: 6, perAxis: false }],
  ] as const)('%s: a note on every op with narrow tensors, and every op on the accelerator', (_, options) => {
    const model = exportNbit(options);
    const expected = narrowOps(model);
    // The clamps and every weighted op carry narrow tensors; QUANTIZE at the int8 input may not.
    expect(expected.length).toBeGreaterThanOrEqual(5);
    for (const [name, target] of Object.entries(TARGETS)) {
      const r = target.check(model);
      expect([name, r.summary.verdict]).toEqual([name, 'accelerator']);
      const noted = r.ops.filter((o) => o.findings.some((f) => f.id === NOTE[name])).map((o) => o.index);
      expect(noted, name).toEqual(expected);
      const note = r.ops[expected[0]!]!.findings.find((f) => f.id === NOTE[name])!;
      expect(note).toMatchObject({ effect: 'info', values: expect.stringMatching(/^\d-bit (input|weights|output) ".+" in INT8/) });
      expect(note.rule).toMatch(/no (size or )?speed gain on this device/);
      // Notes are not warnings: the summary counts none for them.
      expect(r.summary.warnings, name).toBe(r.ops.reduce((a, o) => a + o.findings.filter((f) => f.effect === 'warn').length, 0));
    }
    const conv = model.subgraphs[0]!.tensors.find((t) => t.name === 'c2/weights');
    expect(conv?.bits).toBe(options.weightBits);
  });

  it('an 8-bit export gets no note', () => {
    const model = exportNbit({ weightBits: 8, activationBits: 8 });
    expect(narrowOps(model)).toEqual([]);
    for (const [name, target] of Object.entries(TARGETS)) {
      const r = target.check(model);
      expect([name, r.summary.verdict]).toEqual([name, 'accelerator']);
      expect(r.ops.flatMap((o) => o.findings.filter((f) => f.id === NOTE[name]))).toEqual([]);
    }
  });
});
