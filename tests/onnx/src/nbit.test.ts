import * as tf from '@tensorflow/tfjs';
import type { Graph } from '@qatkit/core';
import { exportOnnx } from '@qatkit/exporter-onnx';
import { loadLiteRt, type LiteRt } from '@qatkit/litert-runner';
import { loadOnnxRuntime, type OnnxRuntime } from '@qatkit/onnx-runner';
import { nbit, type NbitOptions } from '@qatkit/scheme-nbit';
import { calibrate, initBackend, quantizeModel, toGraph } from '@qatkit/tfjs';
import onnxProto from 'onnx-proto';
import { beforeAll, describe, expect, it } from 'vitest';
import { agreement, runBoth } from './both-runtimes.js';
import { readNodes } from './read-nodes.js';

/**
 * scheme-nbit models end to end on both runtimes: QAT with n-bit fake quantization, the IR (with
 * its MAXIMUM / MINIMUM clamps to the n-bit levels) exported as TFLite for LiteRT and as ONNX QDQ
 * for onnxruntime, at opset 21 (INT4 storage for tensors of ≤ 4 bits) and opset 13 (int8 storage).
 * Test inputs reach 3× the training range, so activations leave their learned ranges and the
 * clamps act; the ONNX outputs must match LiteRT's within one step on ≥ 99% of elements.
 */

let rt: LiteRt;
let ort: OnnxRuntime;
beforeAll(async () => {
  await initBackend('wasm');
  rt = await loadLiteRt();
  ort = await loadOnnxRuntime();
});

const L = tf.layers;
type Sym = tf.SymbolicTensor;

/** conv+relu → conv (linear: clamped both ways) → depthwise + BN → pool, concat with a 1×1 branch → dense. */
function smallNet(): tf.LayersModel {
  const x = tf.input({ shape: [8, 8, 3], name: 'x' });
  const a = L.conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' }).apply(x) as Sym;
  const b = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'c2' }).apply(a) as Sym;
  const d = L.batchNormalization({ name: 'bn' }).apply(L.depthwiseConv2d({ kernelSize: 3, padding: 'same', name: 'dw' }).apply(b) as Sym) as Sym;
  const p = L.maxPooling2d({ poolSize: 2, name: 'pool' }).apply(d) as Sym;
  const side = L.conv2d({ filters: 2, kernelSize: 1, strides: 2, name: 'side' }).apply(a) as Sym;
  const cat = L.concatenate({ name: 'cat' }).apply([p, side]) as Sym;
  const y = L.dense({ units: 5, name: 'head' }).apply(L.flatten({ name: 'flat' }).apply(cat) as Sym) as Sym;
  const model = tf.model({ inputs: x, outputs: y, name: 'nbit_onnx' });
  model.layers.forEach((layer, i) =>
    layer.setWeights(layer.weights.map((w, k) => (/variance/.test(w.name) ? tf.randomUniform(w.shape as number[], 0.5, 2, 'float32', 100 * i + k) : tf.randomUniform(w.shape as number[], -0.6, 0.6, 'float32', 100 * i + k)))),
  );
  return model;
}

const data = (n: number, seed: number, hi = 0.33) => tf.randomUniform([n, 8, 8, 3], 0, hi, 'float32', seed);

/** Two QAT steps with `options`, then the graph. */
async function trained(options: NbitOptions): Promise<Graph> {
  const qat = quantizeModel(smallNet(), { scheme: nbit(options), inputRange: [0, 1] });
  calibrate(qat, [data(16, 1)]);
  qat.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  await qat.fit(data(16, 2), tf.randomUniform([16, 5], -1, 1, 'float32', 3), { epochs: 1, batchSize: 8, verbose: 0, shuffle: false });
  return toGraph(qat);
}

interface Decoded { graph: { initializer: { name: string; dataType: number }[] } }
const initializers = (bytes: Uint8Array) =>
  new Map((onnxProto.onnx.ModelProto.toObject(onnxProto.onnx.ModelProto.decode(bytes), { longs: Number, arrays: true }) as Decoded).graph.initializer.map((t) => [t.name, t.dataType]));
/** TensorProto.INT4 (ONNX 1.16): newer than onnx-proto's enum. */
const INT4 = 22;
const { INT8 } = onnxProto.onnx.TensorProto.DataType;

const N = 24;
const CASES: [string, NbitOptions][] = [
  ['4-bit weights, 4-bit activations', { weightBits: 4, activationBits: 4 }],
  ['3-bit weights, 6-bit activations', { weightBits: 3, activationBits: 6 }],
  ['4-bit weights, 4-bit symmetric activations, per tensor', { weightBits: 4, activationBits: 4, activationSymmetric: true, perAxis: false }],
];

describe.each(CASES)('nbit on onnxruntime: %s', (name, options) => {
  it('agrees with LiteRT within one step at opset 21 (INT4 storage) and 13 (int8 storage)', async () => {
    const graph = await trained(options);
    expect(graph.ops.some((op) => op.kind === 'Maximum' || op.kind === 'Minimum')).toBe(true);
    const test = data(N, 4, 1).dataSync() as Float32Array;
    const logits = graph.tensors[graph.outputs[0]!]!.quantization!.scale[0]!;
    for (const opset of [21, 13]) {
      for (const io of ['int8', 'float32'] as const) {
        const runs = await runBoth(rt, ort, graph, [test], N, { opset, io });
        const a = agreement(runs.tflite, runs.onnx, 0, io === 'int8' ? 1 : logits);
        console.log(`nbit onnx ${name}, opset ${opset}, ${io} I/O: ${(100 * a.withinOneStep).toFixed(2)}% of ${a.elements} within one step, max ${a.maxSteps.toFixed(3)} steps`);
        expect(a.withinOneStep, `opset ${opset} ${io}: max ${a.maxSteps} steps`).toBeGreaterThanOrEqual(0.99);
        // Not a degenerate model: the outputs spread over many levels.
        expect(new Set(runs.onnx.flatMap((o) => [...o[0]!])).size).toBeGreaterThan(8);
      }
    }
    // ≤ 4-bit weights are INT4 at opset 21, int8 at 13; activations follow their own width.
    const bytes21 = exportOnnx(graph, { opset: 21 });
    const at21 = initializers(bytes21);
    // Each IR clamp is an ONNX Max / Min against its dequantized n-bit bound (fused ReLUs are Max nodes too).
    const clamps = graph.ops.filter((op) => op.kind === 'Maximum' || op.kind === 'Minimum').length;
    const bounded = readNodes(bytes21).filter((n) => (n.opType === 'Max' || n.opType === 'Min') && n.inputs.some((i) => i.includes('/nbit_m') && i.endsWith(':dq')));
    expect(bounded.length).toBe(clamps);
    const at13 = initializers(exportOnnx(graph, { opset: 13 }));
    expect([at21.get('c2/weights'), at13.get('c2/weights')]).toEqual([INT4, INT8]);
    const act = options.activationBits! <= 4 ? INT4 : INT8;
    expect(at21.get('c2:zero_point'), 'c2 activation').toBe(act);
  });
});
