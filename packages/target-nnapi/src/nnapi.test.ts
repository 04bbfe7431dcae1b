import { buildTargetModel as model, constTensor as konst, isQatkitError, modelTensor as act } from '@qatkit/core';
import { describe, expect, it } from 'vitest';
import { nnapi } from './nnapi.js';

const perAxis = { scale: Array(8).fill(0.01), zeroPoint: Array(8).fill(0), quantizedDimension: 0 };
const conv = (opts: { type?: string; perChannel?: boolean; bias?: boolean; version?: number; dilation?: number } = {}) => {
  const { type = 'INT8', perChannel = false, bias = true, version = 3, dilation = 1 } = opts;
  const w = konst([8, 3, 3, 4], 'INT8', perChannel ? { quantization: perAxis } : {});
  return model([act([1, 8, 8, 4], type), w, konst([8], 'INT32'), act([1, 8, 8, 8], type)], [['CONV_2D', bias ? [0, 1, 2] : [0, 1], [3], { dilationWFactor: dilation, dilationHFactor: dilation, fusedActivationFunction: 'NONE' }, { version }]]);
};
const at = (api: number) => nnapi({ apiLevel: api });

describe('nnapi()', () => {
  it('delegates an int8 conv at API 30 and names NNAPI\'s deprecation', () => {
    const r = at(30).check(conv());
    expect(r.ops[0]).toMatchObject({ placement: 'accelerator', status: 'delegated to NNAPI' });
    expect(r.notes.map((n) => [n.id, n.effect])).toEqual([['NN-G13', 'info'], ['NN-G10', 'info']]);
    expect(at(35).check(conv()).notes[0]).toMatchObject({ effect: 'warn', values: 'API 35: NNAPI is deprecated on this Android version' });
    expect(at(35).title).toBe('Android NNAPI (API 35, deprecated)');
  });

  it('follows the API level: int8 before 29, per-channel filters before 29, dilation before 29', () => {
    expect(at(28).check(conv()).ops[0]!.findings[0]).toMatchObject({ id: 'NN-QUANT-TYPES', values: 'input 0 is INT8; API 28 takes FLOAT32, UINT8' });
    expect(at(28).check(conv({ type: 'UINT8', perChannel: true })).ops[0]!.findings.map((f) => f.id)).toContain('NN-G4');
    expect(at(29).check(conv({ perChannel: true })).ops[0]!.placement).toBe('accelerator');
    expect(at(28).check(conv({ type: 'UINT8', dilation: 2 })).ops[0]!.findings.map((f) => f.values)).toContain('dilation 2×2');
  });

  it('checks op versions and the delegate\'s own refusals', () => {
    expect(at(30).check(conv({ version: 6 })).ops[0]!.findings[0]).toMatchObject({ values: 'op version 6 > 5', effect: 'cpu' });
    expect(at(30).check(conv({ bias: false })).ops[0]).toMatchObject({ placement: 'cpu', status: 'Conv2D with omitted bias not supported' });
    const hybrid = model([act([1, 8], 'FLOAT32'), konst([4, 8]), act([1, 4], 'FLOAT32')], [['FULLY_CONNECTED', [0, 1], [2]]]);
    expect(at(28).check(hybrid).ops[0]!.status).toBe('Hybrid version of this op is not supported by NN API.');
    expect(at(29).check(hybrid).ops[0]!.placement).toBe('accelerator');
  });

  it('needs API 29 for QUANTIZE and int8 output from API 30', () => {
    const q = model([act([1, 8], 'FLOAT32'), act([1, 8])], [['QUANTIZE', [0], [1]]]);
    expect(at(28).check(q).ops[0]!.findings[0]).toMatchObject({ values: 'Android API level 28 < 29' });
    expect(at(29).check(q).ops[0]!.findings.map((f) => f.values)).toContain('INT8 output at API 29');
    expect(at(30).check(q).ops[0]!.placement).toBe('accelerator');
  });

  it('keeps only the 3 largest partitions (max_number_delegated_partitions)', () => {
    const ops = ['RELU', 'RELU', 'HARD_SWISH', 'RELU', 'CUMSUM', 'RELU', 'RELU', 'RELU', 'CUMSUM', 'RELU', 'CUMSUM', 'RELU', 'RELU'];
    const tensors = [...ops, ''].map((_, i) => act([1, 8], 'INT8', { name: `x${i}` }));
    const m = model(tensors, ops.map((op, i) => [op, [i], [i + 1]] as const));
    const r = at(30).check(m);
    expect(r.partitions.map((p) => p.ops)).toEqual([[0, 1, 2, 3], [5, 6, 7], [11, 12]]);
    expect(r.ops[9]).toMatchObject({ placement: 'cpu', status: 'not among the largest delegated partitions' });
    expect(nnapi({ maxPartitions: 0 }).check(m).summary.partitions).toBe(4);
  });

  it('refuses a model TFLite cannot load (quantized_dimension out of range)', () => {
    const bias = konst([8], 'INT32', { quantization: { ...perAxis, quantizedDimension: 3 } });
    const m = model([act([1, 8, 8, 8]), konst([1, 3, 3, 8], 'INT8', { quantization: { ...perAxis, quantizedDimension: 3 } }), bias, act([1, 8, 8, 8])], [['DEPTHWISE_CONV_2D', [0, 1, 2], [3], {}, { version: 3 }]]);
    expect(at(30).check(m).summary.verdict).toBe('blocked');
  });

  it('takes any I/O at API 30, uint8 below; per-channel from 29', () => {
    expect(at(30).requirements).toMatchObject({ perAxisWeights: true, io: ['int8', 'uint8', 'float32'] });
    expect(at(28).requirements).toMatchObject({ perAxisWeights: false, io: ['uint8'] });
    for (const apiLevel of [26, 36, 30.5]) {
      try {
        nnapi({ apiLevel });
        expect.unreachable();
      } catch (e) {
        expect(isQatkitError(e, 'INVALID_OPTION')).toBe(true);
      }
    }
  });
});
