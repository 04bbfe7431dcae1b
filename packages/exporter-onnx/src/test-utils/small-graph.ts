import { GraphBuilder, type Graph, type Quantization } from '@qatkit/core';

const act = (scale: number, zeroPoint: number): Quantization => ({ scale: [scale], zeroPoint: [zeroPoint], bits: 8, signed: true, narrowRange: false });

/**
 * A small int8 net in the IR's layout conventions: input [1, 6, 6, 2] → Conv2D 3×3 (3 channels,
 * per-axis weights, bias, relu) → Reshape [1, 48] → FullyConnected (4) — or the same net in float.
 */
export function smallNet(float = false): Graph {
  const g = new GraphBuilder(float ? 'small_float' : 'small_int8');
  const q = (scale: number, zp: number) => (float ? {} : { quantization: act(scale, zp) });
  const type = float ? 'float32' : 'int8';
  const weights = (n: number, seed: number) => Array.from({ length: n }, (_, i) => ((i * 37 + seed * 11) % 15) - 7);
  g.addTensor({ name: 'x', shape: [1, 6, 6, 2], dtype: type, ...q(1 / 64, -128) });
  const ws = [0.01, 0.02, 0.015];
  g.addTensor({
    name: 'conv/weights', shape: [3, 3, 3, 2], dtype: type,
    data: float ? Float32Array.from(weights(54, 1), (v, i) => v * ws[Math.floor(i / 18)]!) : Int8Array.from(weights(54, 1)),
    ...(float ? {} : { quantization: { scale: ws, zeroPoint: [0, 0, 0], axis: 0, bits: 8, signed: true, narrowRange: true } }),
  });
  g.addTensor({
    name: 'conv/bias', shape: [3], dtype: float ? 'float32' : 'int32',
    data: float ? Float32Array.from([0.1, -0.05, 0.02]) : Int32Array.from([640, -160, 85]),
    ...(float ? {} : { quantization: { scale: ws.map((s) => s / 64), zeroPoint: [0, 0, 0], axis: 0, bits: 32, signed: true, narrowRange: false } }),
  });
  g.addTensor({ name: 'conv', shape: [1, 6, 6, 3], dtype: type, ...q(0.01, -128) });
  g.addTensor({ name: 'flat', shape: [1, 108], dtype: type, ...q(0.01, -128) });
  g.addTensor({
    name: 'fc/weights', shape: [4, 108], dtype: type,
    data: float ? Float32Array.from(weights(432, 2), (v) => v * 0.01) : Int8Array.from(weights(432, 2)),
    ...(float ? {} : { quantization: { scale: [0.01], zeroPoint: [0], bits: 8, signed: true, narrowRange: true } }),
  });
  g.addTensor({ name: 'logits', shape: [1, 4], dtype: type, ...q(0.05, 3) });
  g.addOp('Conv2D', 'conv', ['x', 'conv/weights', 'conv/bias'], ['conv'], { strides: [1, 1], dilations: [1, 1], padding: 'same', activation: 'relu' });
  g.addOp('Reshape', 'flatten', ['conv'], ['flat'], { shape: [1, 108] });
  g.addOp('FullyConnected', 'fc', ['flat', 'fc/weights'], ['logits'], { activation: 'none' });
  return g.setInputs(['x']).setOutputs(['logits']).build();
}

/** `graph` with tensor `name` replaced by `patch` applied to it (the graph is not validated). */
export function withTensor(graph: Graph, name: string, patch: Record<string, unknown>): Graph {
  return { ...graph, tensors: { ...graph.tensors, [name]: { ...graph.tensors[name]!, ...patch } } };
}
