import { QatkitError, type Graph, type Op, type Tensor } from '@qatkit/core';
import { describe, expect, it } from 'vitest';
import { buildNet, smallCnn } from '../test-utils/build-net.js';
import { exportTflite } from './export-tflite.js';

const base = smallCnn().graph;

function withTensor(graph: Graph, name: string, patch: (t: Tensor) => Tensor): Graph {
  return { ...graph, tensors: { ...graph.tensors, [name]: patch(graph.tensors[name]!) } };
}

function withOp(graph: Graph, index: number, patch: (op: Op) => Op): Graph {
  return { ...graph, ops: graph.ops.map((op, i) => (i === index ? patch(op) : op)) };
}

function exportError(graph: Graph, io: 'float32' | 'int8' | 'uint8' = 'int8'): QatkitError {
  try {
    exportTflite(graph, { io });
  } catch (e) {
    if (e instanceof QatkitError) return e;
    throw e;
  }
  throw new Error('export succeeded');
}

describe('exportTflite refuses what TFLite cannot run', () => {
  it('rejects an unknown op kind, naming the op', () => {
    const graph = withOp(base, 1, (op) => ({ ...op, kind: 'Gelu' }) as unknown as Op);
    const e = exportError(graph);
    expect(e.code).toBe('UNSUPPORTED_OP');
    expect(e.message).toMatch(/op "maxpool_1" has kind "Gelu"/);
    expect(e.message).toMatch(/supported: Conv2D/);
  });

  it('rejects an activation without quantization, naming the tensor', () => {
    const graph = withTensor(base, 'conv_0', ({ quantization: _q, ...t }) => t);
    const e = exportError(graph);
    expect(e.code).toBe('UNSUPPORTED_OP');
    expect(e.message).toMatch(/"conv_0" has no quantization parameters/);
  });

  it('rejects float weights', () => {
    const graph = withTensor(base, 'dense_3/weights', (t) => ({ ...t, dtype: 'float32', data: Float32Array.from(t.data!) }));
    const e = exportError(graph);
    expect(e.message).toMatch(/op "dense_3" \(FullyConnected\) weights "dense_3\/weights" must be constant int8 data \(got constant float32\)/);
  });

  it('rejects data stored in the wrong typed array', () => {
    const graph = withTensor(base, 'conv_0/weights', (t) => ({ ...t, data: Float32Array.from(t.data!) }));
    expect(exportError(graph).message).toMatch(/"conv_0\/weights" is int8 but holds a Float32Array/);
  });

  it('rejects asymmetric weights and weights quantized along the wrong axis', () => {
    const asym = withTensor(base, 'conv_0/weights', (t) => ({ ...t, quantization: { ...t.quantization!, zeroPoint: [0, 1, 0, 0] } }));
    expect(exportError(asym).message).toMatch(/must be symmetric/);
    const { graph: dw } = buildNet('dw', [1, 4, 4, 4], [{ kind: 'depthwise', multiplier: 1, kernel: [3, 3] }]);
    const wrongAxis = withTensor(dw, 'depthwise_0/weights', (t) => ({ ...t, quantization: { ...t.quantization!, scale: [0.1, 0.1, 0.1], zeroPoint: [0, 0, 0], axis: 1 } }));
    expect(exportError(wrongAxis).message).toMatch(/quantized along axis 1; TFLite DepthwiseConv2D needs axis 3/);
    const wrongLayout = withTensor(dw, 'depthwise_0/weights', (t) => ({ ...t, shape: [4, 3, 3, 1], quantization: { ...t.quantization!, axis: 0 } }));
    expect(exportError(wrongLayout).message).toMatch(/op "depthwise_0" \(DepthwiseConv2D\): weights must be \[1, kh, kw, channels × multiplier\], got \[4, 3, 3, 1\]/);
  });

  it('rejects a bias whose scale is not input × weight scale', () => {
    const graph = withTensor(base, 'conv_0/bias', (t) => ({ ...t, quantization: { ...t.quantization!, scale: t.quantization!.scale.map((s) => s * 2) } }));
    expect(exportError(graph).message).toMatch(/bias "conv_0\/bias" must have scale = input scale × weight scale/);
  });

  it('enforces the kernels’ fixed and shared output parameters', () => {
    const softmax = withTensor(base, 'softmax_4', (t) => ({ ...t, quantization: { ...t.quantization!, zeroPoint: [0] } }));
    expect(exportError(softmax).message).toMatch(/"softmax_4" must be quantized with scale 0.00390625, zero point -128/);
    const pool = withTensor(base, 'maxpool_1', (t) => ({ ...t, quantization: { ...t.quantization!, scale: [t.quantization!.scale[0]! * 1.5] } }));
    expect(exportError(pool).message).toMatch(/op "maxpool_1" \(MaxPool2D\) output "maxpool_1" must be quantized with scale/);
  });

  it('rejects per-axis activations and mismatched shapes', () => {
    const perAxis = withTensor(base, 'input', (t) => ({ ...t, quantization: { ...t.quantization!, scale: [0.1, 0.1, 0.1], zeroPoint: [0, 0, 0], axis: 3 } }));
    expect(exportError(perAxis).message).toMatch(/is quantized per axis/);
    const reshape = withTensor(base, 'flatten_2', (t) => ({ ...t, shape: [1, 60] }));
    const e = exportError(reshape);
    expect(e.code).toBe('INVALID_SHAPE');
    expect(e.message).toMatch(/op "flatten_2" \(Reshape\)/);
  });

  it('rejects io wrapping of a tensor it cannot convert, and unknown io values', () => {
    const floatInput = withTensor(base, 'input', (t) => ({ ...t, dtype: 'int16' }));
    expect(exportError(floatInput, 'uint8').message).toMatch(/graph input "input" is int16; io 'uint8' can only wrap quantized int8 inputs/);
    expect(() => exportTflite(base, { io: 'int4' as 'int8' })).toThrow(/io must be one of float32, int8, uint8/);
  });

  it('runs core validation first', () => {
    const broken = { ...base, outputs: ['nowhere'] };
    expect(exportError(broken).code).toBe('INVALID_GRAPH');
  });

  it('rejects a requantization ratio XNNPACK refuses, naming the op, the values and the fix', () => {
    const graph = withTensor(base, 'dense_3', (t) => ({ ...t, quantization: { ...t.quantization!, scale: [1e-9] } }));
    const e = exportError(graph);
    expect(e.code).toBe('INVALID_RANGE');
    expect(e.message).toMatch(/op "dense_3" \(FullyConnected\): requantization ratio input scale × weight scale \/ output scale = .* is ≥ 256, which XNNPACK refuses/);
    expect(e.message).toMatch(/requantFloor/);
  });

  it('rejects an int32 bias without accumulator headroom', () => {
    const graph = withTensor(base, 'dense_3/bias', (t) => ({ ...t, data: Int32Array.from(t.data!, (v, i) => (i === 1 ? 2147483647 : v)) }));
    expect(exportError(graph).message).toMatch(/op "dense_3" \(FullyConnected\): int32 bias "dense_3\/bias" channel 1 is 2147483647, beyond ±1073741824/);
  });

  it('rejects an elementwise op whose output shape differs from its input', () => {
    const { graph: relu } = buildNet('relu', [1, 4], [{ kind: 'relu' }]);
    const out = relu.ops[0]!.outputs[0]!;
    const e = exportError(withTensor(relu, out, (t) => ({ ...t, shape: [1, 5] })));
    expect(e.code).toBe('INVALID_SHAPE');
    expect(e.message).toMatch(/computes shape \[1, 4\] but its output .* says \[1, 5\]/);
  });

  it('rejects an empty graph and things that are not graphs, with no bytes and no TypeError', () => {
    expect(exportError({ ...base, ops: [] }).message).toMatch(/has no ops/);
    for (const notAGraph of [undefined, null, 42, 'model', {}, { ...base, tensors: null }]) {
      const e = exportError(notAGraph as unknown as Graph);
      expect(e.code).toBe('INVALID_GRAPH');
      expect(e.message).toMatch(/expected a qatkit Graph/);
    }
  });

  it('rejects a quantized conv without a bias, which LiteRT refuses to prepare', () => {
    const graph = withOp(base, 0, (op) => ({ ...op, inputs: op.inputs.slice(0, 2) }) as Op);
    const e = exportError(graph);
    expect(e.code).toBe('UNSUPPORTED_OP');
    expect(e.message).toMatch(/op "conv_0" \(Conv2D\) is quantized but has no bias; TFLite's int8 Conv2D needs an int32 bias input/);
  });
});
