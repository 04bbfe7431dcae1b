import { activationQuantization } from '@qatkit/core';
import { loadLiteRt, type LiteRt } from '@qatkit/litert-runner';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTflite } from '../reader/read-tflite.js';
import { floatError, int8Agreement } from '../test-utils/compare.js';
import { ACT, NetBuilder, type Net } from '../test-utils/net-builder.js';
import { exportTflite } from './export-tflite.js';

/**
 * Concatenation, reductions, padding, slicing, transposition and resizing on LiteRT, int8 and
 * float. Each net is the graph input followed by the op under test (plus, for concatenation,
 * ops that give its inputs one shared set of parameters).
 */

type Build = (nb: NetBuilder, x: string) => string;

const IN = [1, 5, 6, 3];

function net(name: string, build: Build, float: boolean): Net {
  const nb = new NetBuilder(name, float, 13);
  const x = nb.input([...IN], [-3, 2]);
  return nb.build([build(nb, x)]);
}

const resize = (kind: 'ResizeNearestNeighbor' | 'ResizeBilinear', alignCorners: boolean, halfPixelCenters: boolean, shape: number[]): Build =>
  (nb, x) => nb.op(kind, 'resize', [x], { alignCorners, halfPixelCenters }, { shape });

const CASES: Record<string, Build> = {
  // Three inputs sharing x's parameters: x itself, a transposed copy and a ReLU told to keep them.
  'concatenation of 3 (axis -1)': (nb, x) => {
    const t = nb.op('Transpose', 't', [x], { perm: [0, 1, 2, 3] });
    const r = nb.op('Relu', 'r', [x], {}, { output: nb.tensor(x).quantization! });
    return nb.op('Concatenation', 'cat', [x, t, r], { axis: -1, activation: 'none' });
  },
  'concatenation of 3 convs with one output range (axis 1, relu6)': (nb, x) => {
    const shared = activationQuantization(-4, 4, ACT);
    const conv = (label: string) => {
      const w = nb.weights(label, [2, 1, 1, 3], 0, 3);
      return nb.op('Conv2D', label, [x, w, nb.bias(label, 2, x, w)], { strides: [1, 1], dilations: [1, 1], padding: 'same', activation: 'none' }, { output: shared });
    };
    return nb.op('Concatenation', 'cat', [conv('a'), conv('b'), conv('c')], { axis: 1, activation: 'relu6' });
  },
  'mean over H, W': (nb, x) => nb.op('Mean', 'mean', [x], { axes: [1, 2], keepDims: false }),
  'mean over C, keepDims': (nb, x) => nb.op('Mean', 'mean', [x], { axes: [-1], keepDims: true }),
  'reduce-max over H, W': (nb, x) => nb.op('ReduceMax', 'max', [x], { axes: [1, 2], keepDims: false }),
  'reduce-max over W, keepDims': (nb, x) => nb.op('ReduceMax', 'max', [x], { axes: [2], keepDims: true }),
  'pad (ZeroPadding2D)': (nb, x) => nb.op('Pad', 'pad', [x], { paddings: [[0, 0], [1, 2], [2, 1], [0, 0]] }),
  'slice (Cropping2D)': (nb, x) => nb.op('Slice', 'slice', [x], { begin: [0, 1, 2, 0], size: [1, 3, -1, 2] }),
  'transpose (Permute)': (nb, x) => nb.op('Transpose', 'perm', [x], { perm: [0, 3, 1, 2] }),
  'resize nearest ×2': resize('ResizeNearestNeighbor', false, false, [1, 10, 12, 3]),
  'resize nearest 5×6 → 7×9, alignCorners': resize('ResizeNearestNeighbor', true, false, [1, 7, 9, 3]),
  'resize nearest 5×6 → 8×4, halfPixelCenters': resize('ResizeNearestNeighbor', false, true, [1, 8, 4, 3]),
  'resize bilinear ×2': resize('ResizeBilinear', false, false, [1, 10, 12, 3]),
  'resize bilinear 5×6 → 7×9, alignCorners': resize('ResizeBilinear', true, false, [1, 7, 9, 3]),
  'resize bilinear 5×6 → 8×4, halfPixelCenters': resize('ResizeBilinear', false, true, [1, 8, 4, 3]),
};
const names = Object.keys(CASES);

let rt: LiteRt;
beforeAll(async () => {
  rt = await loadLiteRt();
});

describe('layout and reduction ops on LiteRT', () => {
  it.each(names)('int8 %s is within one step of the reference', async (name) => {
    const a = await int8Agreement(rt, net(name, CASES[name]!, false));
    expect(a.withinOne).toBeGreaterThanOrEqual(0.99);
    expect(a.worst).toBeLessThanOrEqual(2);
  });

  it.each(names)('float %s matches the reference within 1e-5', async (name) => {
    expect(await floatError(rt, net(name, CASES[name]!, true))).toBeLessThan(1e-5);
  });

  const sg = (name: string) => readTflite(exportTflite(net(name, CASES[name]!, false).graph, { io: 'int8' })).subgraphs[0]!;

  it('writes the constant inputs TFLite needs, and op_version.cc’s versions', () => {
    const constants = (name: string) => {
      const g = sg(name);
      const op = g.operators.at(-1)!;
      return { op: [op.opcode, op.version], inputs: op.inputs.slice(1).map((i) => [g.tensors[i]!.type, g.tensors[i]!.shape]) };
    };
    expect(constants('mean over H, W')).toEqual({ op: ['MEAN', 2], inputs: [['INT32', [2]]] });
    expect(constants('pad (ZeroPadding2D)')).toEqual({ op: ['PAD', 2], inputs: [['INT32', [4, 2]]] });
    expect(constants('slice (Cropping2D)')).toEqual({ op: ['SLICE', 2], inputs: [['INT32', [4]], ['INT32', [4]]] });
    expect(constants('transpose (Permute)')).toEqual({ op: ['TRANSPOSE', 2], inputs: [['INT32', [4]]] });
    expect(constants('resize nearest ×2')).toEqual({ op: ['RESIZE_NEAREST_NEIGHBOR', 2], inputs: [['INT32', [2]]] });
    expect(constants('resize bilinear 5×6 → 8×4, halfPixelCenters').op).toEqual(['RESIZE_BILINEAR', 3]);
    expect(constants('resize nearest 5×6 → 7×9, alignCorners').op).toEqual(['RESIZE_NEAREST_NEIGHBOR', 3]);
    expect(constants('concatenation of 3 (axis -1)')).toEqual({ op: ['CONCATENATION', 2], inputs: [['INT8', [1, 5, 6, 3]], ['INT8', [1, 5, 6, 3]]] });
  });

  it('writes a concatenation’s fused activation as its own op (LiteRT ignores CONCATENATION’s own)', () => {
    const g = sg('concatenation of 3 convs with one output range (axis 1, relu6)');
    expect(g.operators.slice(-2).map((o) => o.opcode)).toEqual(['CONCATENATION', 'RELU6']);
    const [concat, relu6] = g.operators.slice(-2);
    expect(g.tensors[concat!.outputs[0]!]).toMatchObject({ name: 'cat/pre_activation', shape: [1, 15, 6, 2] });
    expect(relu6!.inputs).toEqual(concat!.outputs);
    expect(g.tensors[relu6!.outputs[0]!]!.name).toBe('cat');
  });

  it('handles rank 5 (and 6), with op_version.cc’s higher-rank versions', async () => {
    const build = (float: boolean) => {
      const nb = new NetBuilder('rank5', float, 21);
      const x = nb.input([1, 2, 3, 4, 2]);
      const m = nb.op('ReduceMax', 'm', [x], { axes: [1, 3], keepDims: true });
      const sub = nb.op('Sub', 'sub', [x, m], { activation: 'none' });
      const t = nb.op('Transpose', 't', [sub], { perm: [0, 4, 2, 3, 1] });
      const p = nb.op('Pad', 'p', [t], { paddings: [[0, 0], [1, 0], [0, 1], [1, 1], [0, 0]] });
      return nb.build([nb.op('Slice', 's', [p], { begin: [0, 1, 0, 1, 0], size: [1, 1, 2, 2, -1] })]);
    };
    const ops = readTflite(exportTflite(build(false).graph, { io: 'int8' })).subgraphs[0]!.operators;
    expect(ops.map((o) => [o.opcode, o.version])).toEqual([['REDUCE_MAX', 2], ['SUB', 3], ['TRANSPOSE', 4], ['PAD', 4], ['SLICE', 5]]);
    expect((await int8Agreement(rt, build(false))).withinOne).toBeGreaterThanOrEqual(0.99);
    expect(await floatError(rt, build(true))).toBeLessThan(1e-5);
  });
});
