import type { TargetReport } from '@qatkit/core';
import { describe, expect, it } from 'vitest';
import { modelFiles, readModel, TARGETS } from './shared-models.js';

/**
 * Every model of ../shared/models on every target: verdict, ops on the accelerator / all ops,
 * partitions, and the rule that decides the first op not on the accelerator, as the vendors'
 * tables say (shared/reference/targets.md). `-` = every op on the accelerator.
 */
type Row = readonly [verdict: string, on: string, partitions: number, reason: string];
const EXPECTED: Readonly<Record<string, Readonly<Record<string, Row>>>> = {
  'conv0.tflite': { edgetpu: ['cpu', '0/1', 0, 'CORAL-G7'], nnapi: ['cpu', '0/1', 0, 'NN-G3-TYPE'], imx8mp: ['cpu', '0/1', 0, 'VX-G1-INT64'], 'ethos-u': ['accelerator', '1/1', 1, '-'] },
  'conv10.tflite': { edgetpu: ['cpu', '0/1', 0, 'CORAL-G7'], nnapi: ['cpu', '0/1', 0, 'NN-G3-TYPE'], imx8mp: ['cpu', '0/1', 0, 'VX-G1-INT64'], 'ethos-u': ['accelerator', '1/1', 1, '-'] },
  'hello_world_float.tflite': { edgetpu: ['blocked', '0/3', 0, 'CORAL-G6'], nnapi: ['accelerator', '3/3', 1, '-'], imx8mp: ['accelerator', '3/3', 1, '-'], 'ethos-u': ['cpu', '0/3', 0, 'VELA-QUANTISED'] },
  'hello_world_int8.tflite': { edgetpu: ['accelerator', '3/3', 1, '-'], nnapi: ['accelerator', '3/3', 1, '-'], imx8mp: ['accelerator', '3/3', 1, '-'], 'ethos-u': ['accelerator', '3/3', 1, '-'] },
  'keyword_scrambled.tflite': { edgetpu: ['partial', '1/15', 1, 'CORAL-G7'], nnapi: ['partial', '3/15', 3, 'NN-QUANTIZE-TYPES'], imx8mp: ['partial', '5/15', 5, 'VX-QUANTIZE'], 'ethos-u': ['partial', '6/15', 6, 'VELA-UNLISTED'] },
  'keyword_scrambled_8bit.tflite': { edgetpu: ['partial', '1/15', 1, 'CORAL-G7'], nnapi: ['partial', '3/15', 3, 'NN-QUANTIZE-TYPES'], imx8mp: ['partial', '5/15', 5, 'VX-QUANTIZE'], 'ethos-u': ['partial', '6/15', 6, 'VELA-UNLISTED'] },
  'micro_speech_quantized.tflite': { edgetpu: ['accelerator', '4/4', 1, '-'], nnapi: ['accelerator', '4/4', 1, '-'], imx8mp: ['accelerator', '4/4', 1, '-'], 'ethos-u': ['accelerator', '4/4', 1, '-'] },
  'mobilenet_v2_quantized_1x3x224x224.tflite': { edgetpu: ['accelerator', '84/84', 1, '-'], nnapi: ['accelerator', '84/84', 1, '-'], imx8mp: ['accelerator', '84/84', 1, '-'], 'ethos-u': ['partial', '83/84', 1, 'VELA-TRANSPOSE'] },
  'person_detect.tflite': { edgetpu: ['blocked', '0/31', 0, 'TFLITE-QUANT-DIM'], nnapi: ['blocked', '0/31', 0, 'TFLITE-QUANT-DIM'], imx8mp: ['blocked', '0/31', 0, 'TFLITE-QUANT-DIM'], 'ethos-u': ['accelerator', '31/31', 1, '-'] },
  'person_detect_vela.tflite': { edgetpu: ['cpu', '0/1', 0, 'CORAL-UNLISTED'], nnapi: ['cpu', '0/1', 0, 'NN-UNLISTED'], imx8mp: ['cpu', '0/1', 0, 'VX-UNLISTED'], 'ethos-u': ['accelerator', '1/1', 1, '-'] },
  'trained_lstm.tflite': { edgetpu: ['blocked', '0/4', 0, 'CORAL-G6'], nnapi: ['accelerator', '4/4', 1, '-'], imx8mp: ['partial', '3/4', 1, 'VX-LSTM-INPUT'], 'ethos-u': ['cpu', '0/4', 0, 'VELA-QUANTISED'] },
  'trained_lstm_int8.tflite': { edgetpu: ['accelerator', '4/4', 1, '-'], nnapi: ['accelerator', '4/4', 1, '-'], imx8mp: ['accelerator', '4/4', 1, '-'], 'ethos-u': ['accelerator', '4/4', 1, '-'] },
};

const firstReason = (r: TargetReport): string => r.ops.find((o) => o.placement !== 'accelerator')?.findings[0]?.id ?? '-';
const reports = new Map<string, Record<string, TargetReport>>();
const report = (file: string, target: string): TargetReport => {
  if (!reports.has(file)) {
    const model = readModel(file);
    reports.set(file, Object.fromEntries(Object.entries(TARGETS).map(([name, t]) => [name, t.check(model)])));
  }
  return reports.get(file)![target]!;
};

describe('every shared model on every target', () => {
  it('covers every file in shared/models', () => {
    expect(modelFiles()).toEqual(Object.keys(EXPECTED));
  });

  const cases = Object.entries(EXPECTED).flatMap(([file, row]) => Object.entries(row).map(([target, expected]) => [file, target, expected] as const));
  it.each(cases)('%s on %s', (file, target, [verdict, on, partitions, reason]) => {
    const r = report(file, target);
    expect([r.summary.verdict, `${r.summary.opsOnAccelerator}/${r.summary.ops}`, r.summary.partitions, firstReason(r)]).toEqual([verdict, on, partitions, reason]);
    // bookkeeping holds on every report
    expect(r.ops.filter((o) => o.placement === 'accelerator').every((o) => o.partition !== undefined)).toBe(true);
    expect(r.summary.macsOnAccelerator).toBeLessThanOrEqual(r.summary.macs);
    for (const f of r.ops.flatMap((o) => o.findings)) expect(f.source.length).toBeGreaterThan(10);
  });
});

describe('what the issue asks of the profiles, on real files', () => {
  it('a float model is refused by the Edge TPU: "Model not quantized"', () => {
    const op = report('hello_world_float.tflite', 'edgetpu').ops[0]!;
    expect(op).toMatchObject({ placement: 'blocks', status: 'Model not quantized' });
    expect(op.findings[0]!.values).toBe('float tensor "serving_default_dense_input:0" FLOAT32 [1, 1]');
  });

  it('int16-activation convolutions fall back on the Edge TPU and the i.MX 8M Plus, and run on Ethos-U (16x8)', () => {
    for (const file of ['conv0.tflite', 'conv10.tflite']) {
      expect(report(file, 'edgetpu').ops[0]).toMatchObject({ placement: 'cpu', status: 'Operation is working on an unsupported data type' });
      const vx = report(file, 'imx8mp').ops[0]!;
      expect(vx.placement).toBe('cpu');
      expect(vx.findings.find((f) => f.id === 'VX-G1-OUTPUT')).toMatchObject({ status: 'Int16 output is not supported', values: expect.stringMatching(/^INT16 output ".*" \[1, \d+, \d+, \d+\]$/) });
      expect(report(file, 'ethos-u').ops[0]!.placement).toBe('accelerator');
    }
    expect(report('conv0.tflite', 'edgetpu').ops[0]!.findings[0]!.values).toMatch(/^INT16 tensor ".*" \[1, 8, 166, 2\]$/);
  });

  it('the ethos-u custom operator runs on Ethos-U only', () => {
    for (const [target, status] of [['edgetpu', 'Operation not supported'], ['nnapi', 'Unsupported operation type.'], ['imx8mp', 'Fallback unsupported op to TfLite']] as const) {
      expect(report('person_detect_vela.tflite', target).ops[0]).toMatchObject({ opcode: 'CUSTOM:ethos-u', placement: 'cpu', status });
    }
    expect(report('person_detect_vela.tflite', 'ethos-u').ops[0]).toMatchObject({ opcode: 'CUSTOM:ethos-u', placement: 'accelerator' });
  });

  it('places the LSTM per target', () => {
    const lstm = (file: string, target: string) => report(file, target).ops.find((o) => o.opcode === 'UNIDIRECTIONAL_SEQUENCE_LSTM')!;
    // int8: Coral lists LSTM from runtime 14 (unconfirmed); NNAPI validates it (the driver may refuse int8); VX and Vela take it
    expect(lstm('trained_lstm_int8.tflite', 'edgetpu')).toMatchObject({ placement: 'accelerator', unconfirmed: true });
    expect(lstm('trained_lstm_int8.tflite', 'nnapi')).toMatchObject({ placement: 'accelerator', findings: [{ id: 'NN-LSTM-INT8', effect: 'warn', confidence: 'UNCONFIRMED' }] });
    expect(lstm('trained_lstm_int8.tflite', 'imx8mp').placement).toBe('accelerator');
    expect(lstm('trained_lstm_int8.tflite', 'ethos-u').placement).toBe('accelerator');
    // float: refused by Coral, delegated by NNAPI, CPU on VX ("input must be uint8/int8") and on Ethos-U
    expect(lstm('trained_lstm.tflite', 'edgetpu').placement).toBe('blocks');
    expect(lstm('trained_lstm.tflite', 'nnapi').placement).toBe('accelerator');
    expect(lstm('trained_lstm.tflite', 'imx8mp').findings[0]).toMatchObject({ id: 'VX-LSTM-INPUT', values: 'FLOAT32 input' });
    expect(lstm('trained_lstm.tflite', 'ethos-u').findings[0]!.id).toBe('VELA-QUANTISED');
  });

  it('cuts the keyword model as each delegate does: one Edge TPU segment, 3 NNAPI partitions, unlimited on VX and Vela', () => {
    const edge = report('keyword_scrambled_8bit.tflite', 'edgetpu');
    expect(edge.ops.filter((o) => o.status === 'More than one subgraph is not supported').map((o) => o.opcode)).toEqual(['FULLY_CONNECTED', 'FULLY_CONNECTED', 'FULLY_CONNECTED', 'FULLY_CONNECTED']);
    const nn = report('keyword_scrambled_8bit.tflite', 'nnapi');
    expect(nn.ops.filter((o) => o.findings[0]?.id === 'PARTITION-largest').map((o) => o.index)).toEqual([8, 12]); // five 1-op FC partitions (2, 4, 6, 8, 12): the last two dropped
    expect(report('keyword_scrambled_8bit.tflite', 'imx8mp').summary).toMatchObject({ partitions: 5, transitions: 10 });
  });

  it('counts MACs: MobileNetV2 is 300.8 M MACs, all on the Edge TPU; the Ethos-U leaves only the input transpose', () => {
    const edge = report('mobilenet_v2_quantized_1x3x224x224.tflite', 'edgetpu').summary;
    expect(edge).toMatchObject({ macs: 300774272, macsOnAccelerator: 300774272, transitions: 0 });
    const ethos = report('mobilenet_v2_quantized_1x3x224x224.tflite', 'ethos-u');
    expect(ethos.summary).toMatchObject({ macsOnAccelerator: 300774272, transitions: 1 });
    expect(ethos.ops[0]!.findings[0]!.values).toBe('permutation [0, 2, 3, 1] of [1, 3, 224, 224]');
  });

  it('names the tensor TFLite refuses in person_detect, says where that is unconfirmed, and lets Ethos-U (TFLM) run it', () => {
    const blocking = report('person_detect.tflite', 'nnapi').ops.find((o) => o.placement === 'blocks')!;
    expect(blocking.findings[0]!.values).toBe('tensor "MobilenetV1/MobilenetV1/Conv2d_0/Conv2D_bias" INT32 [8] has quantized_dimension 3, outside [0, 1)');
    expect(blocking.unconfirmed).toBe(false);
    expect(report('person_detect.tflite', 'edgetpu').ops[0]!.unconfirmed).toBe(true);
  });

  it('warns on the i.MX 8M Plus for every per-channel weight tensor of MobileNetV2', () => {
    const r = report('mobilenet_v2_quantized_1x3x224x224.tflite', 'imx8mp');
    expect(r.summary.warnings).toBe(52);
    expect(new Set(r.ops.flatMap((o) => o.findings.map((f) => f.id)))).toEqual(new Set(['VX-G4']));
  });
});
