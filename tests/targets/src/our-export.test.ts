import * as tf from '@tensorflow/tfjs';
import { quantizationFor, type TargetModel, type TargetProfile } from '@qatkit/core';
import { exportTflite, readTflite } from '@qatkit/exporter-tflite';
import { mobilenetV2 } from '@qatkit/models';
import { default8bit } from '@qatkit/scheme-8bit';
import { calibrate, exportOptionsOf, initBackend, quantizeModel, toGraph } from '@qatkit/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TARGETS } from './shared-models.js';

/**
 * qatkit's own MobileNetV2 (0.35, 96×96×3, 10 classes), exported as a full-integer .tflite with
 * int8 I/O, per-channel (the default) and per-tensor weights, checked on every target.
 */
let perChannel: TargetModel;
let perTensor: TargetModel;

function exportMobileNetV2(perAxis: boolean, io: 'int8' | 'uint8' | 'float32' = 'int8'): TargetModel {
  const model = mobilenetV2({ alpha: 0.35, inputShape: [96, 96, 3], classes: 10, seed: 3 });
  const qat = quantizeModel(model, { inputRange: [0, 1], scheme: default8bit({ perAxis }) });
  const images = tf.randomUniform([4, 96, 96, 3], 0, 1, 'float32', 1);
  calibrate(qat, [[images]]);
  const bytes = exportTflite(toGraph(qat), { io });
  for (const t of [model, qat, images]) t.dispose();
  return readTflite(bytes);
}

beforeAll(async () => {
  await initBackend('wasm');
  perChannel = exportMobileNetV2(true);
  perTensor = exportMobileNetV2(false);
});

const check = (name: string, model: TargetModel) => TARGETS[name]!.check(model);

describe('our MobileNetV2 export on the targets', () => {
  it('runs fully on the Edge TPU and on NNAPI at API 30', () => {
    for (const name of ['edgetpu', 'nnapi']) {
      for (const model of [perChannel, perTensor]) {
        const r = check(name, model);
        const off = r.ops.filter((o) => o.placement !== 'accelerator').map((o) => `${o.opcode}: ${o.findings[0]?.values ?? ''}`);
        expect(off, name).toEqual([]);
        expect(r.summary).toMatchObject({ verdict: 'accelerator', partitions: 1, transitions: 0 });
      }
    }
  });

  it('gets the per-channel performance warning on the i.MX 8M Plus, and none with per-tensor weights', () => {
    const channel = check('imx8mp', perChannel);
    const weighted = channel.ops.filter((o) => ['CONV_2D', 'DEPTHWISE_CONV_2D'].includes(o.opcode));
    expect(weighted.length).toBeGreaterThan(30);
    expect(weighted.every((o) => o.placement === 'accelerator' && o.findings.some((f) => f.id === 'VX-G4'))).toBe(true);
    expect(channel.summary.warnings).toBe(weighted.length);
    const tensor = check('imx8mp', perTensor);
    expect(tensor.summary).toMatchObject({ verdict: 'accelerator', warnings: 0 });
  });

  it('runs on Ethos-U too (per-axis only on convolutions, as qatkit exports)', () => {
    expect(check('ethos-u', perChannel).summary.verdict).toBe('accelerator');
  });

  it('targets steer quantization: quantizationFor(all four) gives scheme and export options that check clean on each', () => {
    const targets: TargetProfile[] = Object.values(TARGETS);
    const plan = quantizationFor(targets);
    expect(plan).toMatchObject({ scheme: { perAxis: false }, export: { io: 'int8' }, batch: 1, activationBits: [8] });
    expect(plan.because).toContain('imx8mp: VX-G4: per-channel weights run much slower than per-tensor');
    const steered = exportMobileNetV2(plan.scheme.perAxis, plan.export.io);
    for (const t of targets) {
      const r = t.check(steered);
      expect([t.name, r.summary.verdict, r.summary.warnings]).toEqual([t.name, 'accelerator', 0]);
    }
  });

  it('quantizeModel(model, { targets }) applies the targets: the export checks clean on each, with no option given by hand', () => {
    for (const [name, target] of [['imx8mp', TARGETS['imx8mp']!], ['all four', undefined]] as const) {
      const targets = target ? [target] : Object.values(TARGETS);
      const model = mobilenetV2({ alpha: 0.35, inputShape: [96, 96, 3], classes: 10, seed: 3 });
      const qat = quantizeModel(model, { inputRange: [0, 1], targets });
      calibrate(qat, [tf.randomUniform([4, 96, 96, 3], 0, 1, 'float32', 1)]);
      const exported = readTflite(exportTflite(toGraph(qat), exportOptionsOf(qat)));
      for (const t of targets) expect([name, t.name, t.check(exported).summary.verdict, t.check(exported).summary.warnings]).toEqual([name, t.name, 'accelerator', 0]);
      model.dispose();
      qat.dispose();
    }
    // A per-channel scheme given by hand contradicts the i.MX 8M Plus: refused, with the vendor's reason.
    expect(() => quantizeModel(mobilenetV2({ alpha: 0.35, inputShape: [96, 96, 3], classes: 10 }), { scheme: default8bit(), targets: [TARGETS['imx8mp']!] })).toThrow(
      /the default-8bit scheme quantizes conv weights per channel, but targets imx8mp want per-tensor weights \(imx8mp: VX-G4: per-channel weights run much slower than per-tensor; .*\); pass default8bit\(\{ perAxis: false \}\)/,
    );
  });

  it('with float32 I/O the Edge TPU leaves the input QUANTIZE (and output DEQUANTIZE) on the CPU', () => {
    const r = check('edgetpu', exportMobileNetV2(true, 'float32'));
    const off = r.ops.filter((o) => o.placement !== 'accelerator');
    expect(off.map((o) => [o.opcode, o.findings[0]!.id])).toEqual([
      ['QUANTIZE', 'CORAL-G9'],
      ['DEQUANTIZE', 'CORAL-UNLISTED'],
    ]);
    expect(r.summary).toMatchObject({ verdict: 'partial', partitions: 1, transitions: 2 });
  });
});
