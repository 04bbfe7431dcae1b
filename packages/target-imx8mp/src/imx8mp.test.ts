import { buildTargetModel as model, constTensor as konst, modelTensor as act } from '@qatkit/core';
import { describe, expect, it } from 'vitest';
import { imx8mp } from './imx8mp.js';

const npu = imx8mp();
const perAxis = { scale: Array(8).fill(0.01), zeroPoint: Array(8).fill(0), quantizedDimension: 0 };
const conv = (type = 'INT8', perChannel = false, biasType = 'INT32') =>
  model(
    [act([1, 8, 8, 4], type), konst([8, 3, 3, 4], 'INT8', { name: 'w', ...(perChannel ? { quantization: perAxis } : {}) }), konst([8], biasType), act([1, 8, 8, 8], type)],
    [['CONV_2D', [0, 1, 2], [3], { fusedActivationFunction: 'RELU6' }]],
  );

describe('imx8mp()', () => {
  it('runs a per-tensor int8 conv on the NPU with no warning', () => {
    const r = npu.check(conv());
    expect(r.ops[0]).toMatchObject({ placement: 'accelerator', findings: [] });
    expect(r.summary.warnings).toBe(0);
  });

  it('warns on per-channel weights: accepted, but much slower', () => {
    const r = npu.check(conv('INT8', true));
    expect(r.ops[0]!.placement).toBe('accelerator');
    expect(r.ops[0]!.findings[0]).toMatchObject({ id: 'VX-G4', effect: 'warn', confidence: 'SEC', values: 'per-channel weights "w" (8 scales)' });
    expect(r.ops[0]!.findings[0]!.fix).toMatch(/per-tensor weights/);
    expect(r.summary.warnings).toBe(1);
  });

  it('leaves 16x8 convolutions on the CPU: int16 output and int64 bias', () => {
    const r = npu.check(conv('INT16', true, 'INT64'));
    expect(r.ops[0]).toMatchObject({ placement: 'cpu' });
    expect(r.ops[0]!.findings.map((f) => f.id)).toEqual(['VX-G1-INT64', 'VX-G1-OUTPUT', 'VX-G5']);
    expect(r.ops[0]!.findings.some((f) => f.effect === 'warn')).toBe(false); // no speed warning for CPU ops
  });

  it('delegates float ops but warns they are slow', () => {
    const r = npu.check(model([act([1, 8], 'FLOAT32'), act([1, 8], 'FLOAT32')], [['RELU', [0], [1]]]));
    expect(r.ops[0]).toMatchObject({ placement: 'accelerator', findings: [{ id: 'VX-G7', effect: 'warn' }] });
  });

  it('needs constant shape operands and a static output', () => {
    const r = npu.check(model([act([1, 8]), act([2], 'INT32'), act([2, 4])], [['RESHAPE', [0, 1], [2]]]));
    expect(r.ops[0]!.findings[0]).toMatchObject({ id: 'VX-RESHAPE-SHAPE', values: 'shape is computed at run time' });
  });

  it('cuts unlimited partitions around unregistered ops', () => {
    const ops = ['RELU', 'CUMSUM', 'RELU', 'TOPK_V2', 'RELU', 'SVDF', 'RELU'];
    const tensors = [...ops, ''].map((_, i) => act([1, 8], 'INT8', { name: `x${i}` }));
    const r = npu.check(model(tensors, ops.map((op, i) => [op, [i], [i + 1]] as const)));
    expect(r.summary).toMatchObject({ partitions: 4, transitions: 6, opsOnAccelerator: 4 });
    expect(r.ops[1]).toMatchObject({ placement: 'cpu', status: 'Fallback unsupported op to TfLite' });
  });

  it('accepts an int8 LSTM with int16 cell state, not a float one', () => {
    const inputs = Array.from({ length: 24 }, (_, k) => (k === 0 ? 0 : k === 18 ? 1 : k === 19 ? 2 : -1));
    const lstm = (type: string) => model([act([1, 28, 28], type), act([1, 20], type, { isVariable: true }), act([1, 20], type === 'INT8' ? 'INT16' : type, { isVariable: true }), act([1, 28, 20], type)], [['UNIDIRECTIONAL_SEQUENCE_LSTM', inputs, [3]]]);
    expect(npu.check(lstm('INT8')).ops[0]!.placement).toBe('accelerator');
    expect(npu.check(lstm('FLOAT32')).ops[0]!.findings.map((f) => f.id)).toEqual(['VX-LSTM-INPUT', 'VX-LSTM-STATE']);
  });

  it('asks for per-tensor weights', () => {
    expect(npu.requirements).toMatchObject({ perAxisWeights: false, activationBits: [8] });
  });
});
