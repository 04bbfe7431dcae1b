import { buildTargetModel as model, constTensor as konst, isQatkitError, modelTensor as act } from '@qatkit/core';
import { describe, expect, it } from 'vitest';
import { edgetpu } from './edgetpu.js';

const tpu = edgetpu();
const check = (m: ReturnType<typeof model>, profile = tpu) => profile.check(m);
const conv = (type = 'INT8', out = type) =>
  model([act([1, 8, 8, 4], type), konst([8, 3, 3, 4]), konst([8], 'INT32'), act([1, 8, 8, 8], out)], [['CONV_2D', [0, 1, 2], [3], { dilationWFactor: 1, dilationHFactor: 1, fusedActivationFunction: 'NONE' }]]);

describe('edgetpu()', () => {
  it('maps an int8 conv, and counts its MACs on the Edge TPU', () => {
    const r = check(conv());
    expect(r.ops[0]).toMatchObject({ placement: 'accelerator', status: 'Mapped to Edge TPU', findings: [], macs: 8 * 8 * 8 * 36 });
    expect(r.summary).toMatchObject({ verdict: 'accelerator', macsOnAccelerator: 18432, partitions: 1 });
  });

  it('refuses a float model as a whole ("Model not quantized")', () => {
    const r = check(conv('FLOAT32'));
    expect(r.summary.verdict).toBe('blocked');
    expect(r.ops[0]).toMatchObject({ placement: 'blocks', status: 'Model not quantized' });
    expect(r.ops[0]!.findings[0]).toMatchObject({ id: 'CORAL-G6', effect: 'blocks', confidence: 'SEC', values: 'float tensor "t1x8x8x4" FLOAT32 [1, 8, 8, 4]' });
  });

  it('leaves int16 activations (16x8) on the CPU: "Operation is working on an unsupported data type"', () => {
    const r = check(conv('INT16'));
    expect(r.ops[0]).toMatchObject({ placement: 'cpu', status: 'Operation is working on an unsupported data type' });
    expect(r.ops[0]!.findings[0]!.values).toBe('INT16 tensor "t1x8x8x4" [1, 8, 8, 4]');
  });

  it('maps everything but a float input QUANTIZE, which a uint8/int8 I/O export avoids', () => {
    const m = model([act([1, 8], 'FLOAT32'), act([1, 8]), act([1, 8])], [['QUANTIZE', [0], [1]], ['RELU', [1], [2]]]);
    const r = check(m);
    expect(r.ops.map((o) => o.placement)).toEqual(['cpu', 'accelerator']);
    expect(r.ops[0]!.findings[0]).toMatchObject({ id: 'CORAL-G9', status: 'Operation is otherwise supported, but not mapped due to some unspecified limitation', fix: 'export with int8 or uint8 I/O' });
  });

  it('runs everything after the first unsupported op on the CPU ("More than one subgraph is not supported")', () => {
    const tensors = [0, 1, 2, 3].map((i) => act([1, 16], 'INT8', { name: `x${i}` }));
    const r = check(model(tensors, [['RELU', [0], [1]], ['HARD_SWISH', [1], [2]], ['RELU', [2], [3]]]));
    expect(r.ops.map((o) => [o.opcode, o.placement, o.status])).toEqual([
      ['RELU', 'accelerator', 'Mapped to Edge TPU'],
      ['HARD_SWISH', 'cpu', 'Operation not supported'],
      ['RELU', 'cpu', 'More than one subgraph is not supported'],
    ]);
    expect(r.summary).toMatchObject({ verdict: 'partial', partitions: 1, transitions: 1 });
  });

  it('checks the 3-innermost-dimensions rule, Softmax size and batch', () => {
    const batch2 = check(model([act([2, 8, 8, 3]), act([2, 8, 8, 3])], [['RELU', [0], [1]]]));
    expect(batch2.ops[0]!.findings[0]).toMatchObject({ id: 'CORAL-G4', values: 'tensor "t2x8x8x3" [2, 8, 8, 3] has size 2 outside its 3 innermost dimensions' });
    const big = check(model([act([1, 20000]), act([1, 20000])], [['SOFTMAX', [0], [1], { beta: 1 }]]));
    expect(big.ops[0]!.findings[0]).toMatchObject({ id: 'CORAL-SOFTMAX', values: 'Softmax over 20000 elements > 16,000' });
    const twoD = check(model([act([1, 10, 10]), act([1, 10, 10])], [['SOFTMAX', [0], [1], { beta: 1 }]]));
    expect(twoD.ops[0]!.findings[0]!.values).toBe('input [1, 10, 10] is not 1-D');
  });

  it('gates ops by runtime version and says the runtime column is unconfirmed', () => {
    const m = model([act([1, 4, 4, 2]), konst([4], 'INT32', { values: [0, 2, 1, 3] }), act([1, 4, 4, 2])], [['TRANSPOSE', [0, 1], [2]]]);
    expect(check(m).ops[0]!.placement).toBe('accelerator');
    const old = check(m, edgetpu({ runtime: 13 })).ops[0]!;
    expect(old).toMatchObject({ placement: 'cpu', unconfirmed: true });
    expect(old.findings[0]).toMatchObject({ values: 'Edge TPU runtime 13 < 14', confidence: 'UNCONFIRMED' });
  });

  it('blocks the compile on op versions the compiler cannot parse and on run-time shapes', () => {
    const tconv = model([konst([4], 'INT32', { values: [1, 8, 8, 4] }), konst([4, 3, 3, 4]), act([1, 4, 4, 4]), act([1, 8, 8, 4])], [['TRANSPOSE_CONV', [0, 1, 2], [3], {}, { version: 4 }]]);
    expect(check(tconv).ops[0]!.findings[0]).toMatchObject({ id: 'CORAL-G5', effect: 'blocks', values: expect.stringContaining("Didn't find op for builtin opcode 'TRANSPOSE_CONV' version '4'") });
    const reshape = model([act([1, 8]), act([2], 'INT32'), act([2, 4])], [['RESHAPE', [0, 1], [2]]]);
    expect(check(reshape).ops[0]).toMatchObject({ placement: 'blocks', status: 'Attempting to use a delegate that only supports static-sized tensors with a graph that has dynamic-sized tensors.' });
  });

  it('warns when parameters overflow the ~7 MiB on-chip cache', () => {
    const w = konst([1000, 8000], 'INT8', { dataLength: 8_000_000 });
    const r = check(model([act([1, 8000]), w, act([1, 1000])], [['FULLY_CONNECTED', [0, 1], [2]]]));
    expect(r.notes[0]).toMatchObject({ id: 'CORAL-G10', effect: 'warn', values: '7.63 MiB of parameters on the Edge TPU > ~7 MiB usable: the rest is streamed each inference' });
    expect(r.summary.warnings).toBe(1);
  });

  it('asks for int8/uint8 I/O and batch 1, and refuses unknown runtimes', () => {
    expect(tpu.requirements).toMatchObject({ perAxisWeights: true, io: ['int8', 'uint8'], batch: 1, activationBits: [8] });
    expect(tpu.settings).toEqual({ runtime: 14 });
    try {
      edgetpu({ runtime: 15 });
      expect.unreachable();
    } catch (e) {
      expect(isQatkitError(e, 'INVALID_OPTION')).toBe(true);
    }
  });
});
