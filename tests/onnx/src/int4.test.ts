import { activationQuantization, GraphBuilder, type Graph, type Quantization, type Tensor } from '@qatkit/core';
import { exportOnnx } from '@qatkit/exporter-onnx';
import { loadLiteRt, type LiteRt } from '@qatkit/litert-runner';
import { loadOnnxRuntime, type OnnxRuntime } from '@qatkit/onnx-runner';
import onnxProto from 'onnx-proto';
import { beforeAll, describe, expect, it } from 'vitest';
import { agreement, runBoth } from './both-runtimes.js';
import { checkModels } from './onnx-checker.js';

/**
 * Sub-8-bit tensors as ONNX INT4 (opset 21) on onnxruntime: a net with a 4-bit input, 4-bit
 * per-axis conv weights, 2-bit per-axis depthwise weights, 4-bit and 2-bit per-tensor dense
 * weights and 4-bit activations (each clamped to its 4-bit range by a fused ReLU6 over [0, 6], as
 * a sub-8-bit scheme's clamps do) before 8-bit logits. LiteRT runs the same graph with int8 storage as the integer
 * reference; opset 21 (INT4) and opset 13 (int8 storage) must both agree with it within one step.
 */

let rt: LiteRt;
let ort: OnnxRuntime;
beforeAll(async () => {
  rt = await loadLiteRt();
  ort = await loadOnnxRuntime();
});

const spec = (bits: number) => ({ bits, symmetric: false, narrowRange: false, signed: true });
/** A ReLU6 output on 4 bits: [0, 6] is exactly levels -8..7 (scale 0.4). */
const RELU6_4BIT = activationQuantization(0, 6, spec(4));

/** Deterministic weight levels in [-m, m] (narrow range), with every level present. */
const levels = (n: number, m: number, seed: number) => Int8Array.from({ length: n }, (_, i) => ((i * 7 + seed * 5 + ((i * i) % 3)) % (2 * m + 1)) - m);

function weights(g: GraphBuilder, name: string, shape: number[], bits: number, scales: number[], axis?: number): string {
  const m = 2 ** (bits - 1) - 1;
  const q: Quantization = { scale: scales, zeroPoint: scales.map(() => 0), ...(axis === undefined ? {} : { axis }), bits, signed: true, narrowRange: true };
  return g.addTensor({ name, shape, dtype: 'int8', data: levels(shape.reduce((a, b) => a * b, 1), m, name.length), quantization: q });
}

function bias(g: GraphBuilder, name: string, values: number[], inScale: number, wScales: number[]): string {
  const scales = values.map((_, c) => inScale * wScales[wScales.length === 1 ? 0 : c]!);
  return g.addTensor({
    name, shape: [values.length], dtype: 'int32',
    data: Int32Array.from(values, (v, c) => Math.round(v / scales[c]!)),
    quantization: { scale: scales, zeroPoint: scales.map(() => 0), ...(wScales.length > 1 ? { axis: 0 } : {}), bits: 32, signed: true, narrowRange: false },
  });
}

function int4Net(): Graph {
  const g = new GraphBuilder('int4_net');
  const act = (name: string, shape: number[], q: Quantization = RELU6_4BIT) => g.addTensor({ name, shape, dtype: 'int8', quantization: q });
  const x = act('x', [1, 6, 6, 3], activationQuantization(-1, 1, spec(4)));
  const inScale = g.tensor(x).quantization!.scale[0]!;
  const conv = { strides: [1, 1] as [number, number], dilations: [1, 1] as [number, number], padding: 'same' as const, activation: 'relu6' as const };
  // 3×3×3×3 = 81 and 1×3×3×3 = 27 weights: odd counts, so the last INT4 byte is half padding.
  const cw = [0.25, 0.2, 0.3];
  g.addOp('Conv2D', 'conv', [x, weights(g, 'conv/w', [3, 3, 3, 3], 4, cw, 0), bias(g, 'conv/b', [0.5, 1, -0.3], inScale, cw)], [act('a', [1, 6, 6, 3])], conv);
  const dw = [0.3, 0.5, 0.4];
  g.addOp('DepthwiseConv2D', 'dw', ['a', weights(g, 'dw/w', [1, 3, 3, 3], 2, dw, 3), bias(g, 'dw/b', [0.2, -0.4, 1], 0.4, dw)], [act('d', [1, 6, 6, 3])], { ...conv, depthMultiplier: 1 });
  g.addOp('MaxPool2D', 'pool', ['d'], [act('p', [1, 3, 3, 3])], { poolSize: [2, 2], strides: [2, 2], padding: 'valid', activation: 'none' });
  g.addOp('Reshape', 'flatten', ['p'], [act('f', [1, 27])], { shape: [1, 27] });
  g.addOp('FullyConnected', 'fc1', ['f', weights(g, 'fc1/w', [7, 27], 4, [0.05])], [act('h', [1, 7])], { activation: 'relu6' });
  // 8-bit logits (no clamp needed: |logit| ≤ 7 × 6 × 0.4) show the 4-bit layers' results finely.
  g.addOp('FullyConnected', 'fc2', ['h', weights(g, 'fc2/w', [5, 7], 2, [0.4])], [act('logits', [1, 5], activationQuantization(-16.8, 16.8, spec(8)))], { activation: 'none' });
  return g.setInputs([x]).setOutputs(['logits']).build();
}

/** The net with its 4-bit activations stored unsigned (uint8 in the IR, levels + 8): the same real values. */
function unsignedActivations(graph: Graph): Graph {
  const tensors: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(graph.tensors)) {
    const q = t.quantization;
    const shift = !t.data && q && q.bits === 4 ? 8 : 0;
    tensors[name] = shift ? { ...t, dtype: 'uint8', quantization: { ...q!, signed: false, zeroPoint: q!.zeroPoint.map((z) => z + shift) } } : t;
  }
  return { ...graph, tensors };
}

const samples = (n: number) => [Float32Array.from({ length: n * 108 }, (_, i) => Math.sin(i * 0.61 + (i * i) % 13))];

interface Decoded { graph: { node: { opType: string; input: string[] }[]; initializer: { name: string; dataType: number; dims: number[]; rawData: Uint8Array }[] } }
const decode = (bytes: Uint8Array) => onnxProto.onnx.ModelProto.toObject(onnxProto.onnx.ModelProto.decode(bytes), { longs: Number, arrays: true }) as Decoded;

describe('INT4 storage on onnxruntime', () => {
  const graph = int4Net();

  it.each([
    ['opset 21: INT4', { opset: 21 }],
    ['opset 21 with uint8 activations', { opset: 21, activations: 'uint8' as const }],
    ['opset 13: int8 storage', { opset: 13 }],
  ])('%s agrees with LiteRT within one step (int8 and float32 I/O)', async (_, options) => {
    for (const io of ['int8', 'float32'] as const) {
      const runs = await runBoth(rt, ort, graph, samples(16), 16, { ...options, io });
      const step = io === 'int8' ? 1 : graph.tensors.logits!.quantization!.scale[0]!;
      const a = agreement(runs.tflite, runs.onnx, 0, step);
      expect(a.withinOneStep, `${io}: max ${a.maxSteps} steps`).toBe(1);
      // The outputs use the 4-bit grid, not one level.
      expect(new Set(runs.onnx.flatMap((o) => [...o[0]!])).size).toBeGreaterThan(4);
    }
  });

  it('UINT4 activations (unsigned 4-bit) give the same outputs as the signed net on LiteRT', async () => {
    const unsigned = unsignedActivations(graph);
    const lite = await runBoth(rt, ort, graph, samples(16), 16, { io: 'float32' });
    for (const opset of [21, 13]) {
      const bytes = exportOnnx(unsigned, { opset });
      expect(decode(bytes).graph.initializer.find((t) => t.name === 'a:zero_point')!.dataType).toBe(opset === 21 ? 21 : onnxProto.onnx.TensorProto.DataType.UINT8);
      const session = await ort.compile(bytes);
      const outs: Float32Array[][] = [];
      for (let s = 0; s < 16; s++) outs.push((await session.run([{ data: samples(16)[0]!.slice(s * 108, (s + 1) * 108), shape: [1, 6, 6, 3] }])).map((o) => Float32Array.from(o.data)));
      await session.dispose();
      const a = agreement(lite.tflite, outs, 0, graph.tensors.logits!.quantization!.scale[0]!);
      expect(a.withinOneStep, `opset ${opset}: max ${a.maxSteps} steps`).toBe(1);
    }
  });

  it('stores 4- and 2-bit weights and activations as INT4, packed, and int8 below opset 21', () => {
    const bytes = exportOnnx(graph, { opset: 21 });
    const g = decode(bytes).graph;
    const init = (name: string) => g.initializer.find((t) => t.name === name)!;
    for (const [name, n] of [['conv/w', 81], ['dw/w', 27], ['fc1/w', 189], ['fc2/w', 35]] as const) {
      expect(init(name).dataType, name).toBe(22);
      expect(init(name).rawData.length, name).toBe(Math.ceil(n / 2));
      expect(init(`${name}:zero_point`).dataType).toBe(22);
    }
    expect(init('logits:zero_point').dataType).toBe(onnxProto.onnx.TensorProto.DataType.INT8);
    expect(init('conv/b').dataType).toBe(onnxProto.onnx.TensorProto.DataType.INT32);
    // Every activation's QuantizeLinear writes INT4 (its zero point's type).
    for (const name of ['x:zero_point', 'a:zero_point', 'd:zero_point', 'h:zero_point']) expect(init(name).dataType, name).toBe(22);
    expect(Buffer.from(exportOnnx(graph, { opset: 21 })).equals(Buffer.from(bytes))).toBe(true);
    const old = decode(exportOnnx(graph, { opset: 13 })).graph;
    expect(new Set(old.initializer.filter((t) => t.dataType === 22).map((t) => t.name))).toEqual(new Set());
    expect(old.initializer.find((t) => t.name === 'conv/w')!.rawData.length).toBe(81);
    expect(decode(exportOnnx(graph, { opset: 21, int4: 'never' })).graph.initializer.find((t) => t.name === 'conv/w')!.dataType).toBe(onnxProto.onnx.TensorProto.DataType.INT8);
  });

  it('the int8-stored export passes onnx.checker (python3-onnx 1.12 predates opset 21)', () => {
    expect(checkModels({ 'int4 net at opset 13': exportOnnx(graph, { opset: 13 }) })).toEqual({});
  });
});
