import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { quantLevels, type Graph } from '@qatkit/core';
import { exportTflite, readTflite } from '@qatkit/exporter-tflite';
import { loadLiteRt, type LiteRt } from '@qatkit/litert-runner';
import { nbit, type NbitOptions } from '@qatkit/scheme-nbit';
import { calibrate, initBackend, quantizeModel, toGraph } from '@qatkit/tfjs';
import { compareOutput, outputStep, predictAll, runDeployed } from './deployed.js';

/**
 * scheme-nbit end to end, one case per option: QAT with n-bit fake quantization, export as TFLite
 * (n-bit values in int8 tensors), run on LiteRT, every output within one step of the QAT model,
 * and the file's integers inside the n-bit levels. Test inputs reach 3× the training range, so
 * activations leave their learned ranges and the deployed clamps (emit/clamp-nbit.ts) must act.
 */

let rt: LiteRt;
beforeAll(async () => {
  await initBackend('wasm');
  rt = await loadLiteRt();
});

const L = tf.layers;
type Sym = tf.SymbolicTensor;

/** conv+relu → conv (linear) → depthwise + BN → max pool → concat with a 1×1 branch → dense. */
function smallNet(): tf.LayersModel {
  const x = tf.input({ shape: [8, 8, 3], name: 'x' });
  const a = L.conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' }).apply(x) as Sym;
  const b = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'c2' }).apply(a) as Sym;
  const d = L.batchNormalization({ name: 'bn' }).apply(L.depthwiseConv2d({ kernelSize: 3, padding: 'same', name: 'dw' }).apply(b) as Sym) as Sym;
  const p = L.maxPooling2d({ poolSize: 2, name: 'pool' }).apply(d) as Sym;
  const side = L.conv2d({ filters: 2, kernelSize: 1, strides: 2, name: 'side' }).apply(a) as Sym;
  const cat = L.concatenate({ name: 'cat' }).apply([p, side]) as Sym;
  const y = L.dense({ units: 5, name: 'head' }).apply(L.flatten({ name: 'flat' }).apply(cat) as Sym) as Sym;
  const model = tf.model({ inputs: x, outputs: y, name: 'nbit_net' });
  // Seeded weights: every run tests the same model.
  model.layers.forEach((layer, i) =>
    layer.setWeights(layer.weights.map((w, k) => (/variance/.test(w.name) ? tf.randomUniform(w.shape as number[], 0.5, 2, 'float32', 100 * i + k) : tf.randomUniform(w.shape as number[], -0.6, 0.6, 'float32', 100 * i + k)))),
  );
  return model;
}

const data = (n: number, seed: number, hi = 0.33) => tf.randomUniform([n, 8, 8, 3], 0, hi, 'float32', seed);

interface Trained {
  graph: Graph;
  bytes: Uint8Array;
  maxSteps: number;
  beyond: number;
}

/** QAT with `options`, two training steps, export, LiteRT; agreement with the QAT model in output steps. */
async function deploy(options: NbitOptions): Promise<Trained> {
  const scheme = nbit(options);
  const qat = quantizeModel(smallNet(), { scheme, inputRange: [0, 1] });
  calibrate(qat, [data(16, 1)]);
  qat.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  await qat.fit(data(16, 2), tf.randomUniform([16, 5], -1, 1, 'float32', 3), { epochs: 1, batchSize: 8, verbose: 0, shuffle: false });
  const test = [data(32, 4, 1)];
  const graph = toGraph(qat);
  const deployed = await runDeployed(rt, graph, 'int8', test);
  const a = compareOutput(predictAll(qat, test)[0]!, deployed, 0, outputStep(graph, 0));
  return { graph, bytes: exportTflite(graph, { io: 'float32' }), maxSteps: a.maxSteps, beyond: a.beyondOneStep };
}

/** Raw integers of every int8 weight tensor in the exported file, by name. */
function fileWeights(bytes: Uint8Array): Map<string, Int8Array> {
  const model = readTflite(bytes);
  const out = new Map<string, Int8Array>();
  for (const t of model.subgraphs[0]!.tensors) {
    if (t.type !== 'INT8' || !t.hasData || !t.name.endsWith('/weights')) continue;
    out.set(t.name, new Int8Array(bytes.buffer, bytes.byteOffset + t.dataOffset!, t.dataLength));
  }
  return out;
}

const extent = (v: Int8Array) => [Math.min(...v), Math.max(...v)];

/** Every activation tensor of the graph narrower than 8 bits is clamped to its levels right after its op. */
function expectClamped(graph: Graph, bits: number): void {
  const narrow = Object.values(graph.tensors).filter((t) => !t.data && t.quantization?.bits === bits && !t.name.endsWith('/unclamped') && !t.name.includes('nbit_'));
  expect(narrow.length).toBeGreaterThan(0);
  const clamps = graph.ops.filter((op) => op.name.includes('/nbit_'));
  for (const op of clamps) {
    const bound = graph.tensors[op.inputs[1]!]!;
    const q = bound.quantization!;
    const { qmin, qmax } = quantLevels({ bits: q.bits, signed: q.signed, narrowRange: q.narrowRange, symmetric: false });
    expect(bound.data![0]).toBe(op.kind === 'Maximum' ? qmin : qmax);
  }
  expect(clamps.length).toBeGreaterThan(0);
}

const CASES: [string, NbitOptions, (t: Trained) => void][] = [
  ['4-bit weights', { weightBits: 4 }, ({ bytes }) => {
    // narrow 4-bit: [-7, 7], and the largest weight of each tensor (or channel) uses the top level
    for (const [name, w] of fileWeights(bytes)) expect(Math.max(...extent(w).map(Math.abs)), name).toBe(7);
  }],
  ['2-bit weights', { weightBits: 2 }, ({ bytes }) => {
    // ternary: {-1, 0, 1}
    for (const [name, w] of fileWeights(bytes)) expect(Math.max(...extent(w).map(Math.abs)), name).toBe(1);
  }],
  ['4-bit activations', { activationBits: 4 }, ({ graph }) => expectClamped(graph, 4)],
  ['6-bit activations', { activationBits: 6 }, ({ graph }) => expectClamped(graph, 6)],
  ['4-bit symmetric activations', { weightBits: 4, activationBits: 4, activationSymmetric: true }, ({ graph }) => {
    const acts = Object.values(graph.tensors).filter((t) => !t.data && t.quantization?.bits === 4);
    expect(acts.every((t) => t.quantization!.zeroPoint[0] === 0)).toBe(true);
  }],
  ['4-bit asymmetric activations', { weightBits: 4, activationBits: 4 }, ({ graph }) => {
    const acts = Object.values(graph.tensors).filter((t) => !t.data && t.quantization?.bits === 4);
    expect(acts.some((t) => t.quantization!.zeroPoint[0] !== 0)).toBe(true);
  }],
  ['per-tensor 4-bit weights', { weightBits: 4, perAxis: false }, ({ graph }) => {
    expect(graph.tensors['c1/weights']!.quantization!.scale).toHaveLength(1);
  }],
  ['per-axis 4-bit weights', { weightBits: 4, perAxis: true }, ({ graph }) => {
    expect(graph.tensors['c1/weights']!.quantization!.scale).toHaveLength(6);
  }],
  // A wide layer after narrow ones would see their 1-step rounding flips as many of its own steps
  // (measured: an 8-bit head after 5-bit activations, up to 6 steps), so the wide layer comes first.
  ['override by name: the first conv stays 8-bit', { weightBits: 3, activationBits: 5, layers: [{ match: { name: 'c1' }, weightBits: 8, activationBits: 8 }] }, ({ graph, bytes }) => {
    expect(graph.tensors['c1/weights']!.quantization!.bits).toBe(8);
    expect(graph.tensors['c2/weights']!.quantization!.bits).toBe(3);
    expect(graph.tensors['c1']!.quantization!.bits).toBe(8);
    expect(Math.max(...extent(fileWeights(bytes).get('c2/weights')!).map(Math.abs))).toBe(3);
  }],
  ['override by class: depthwise at 8 bits, the rest 4', { weightBits: 4, activationBits: 4, layers: [{ match: { className: 'DepthwiseConv2D' }, weightBits: 8, activationBits: 8 }] }, ({ graph }) => {
    expect(graph.tensors['dw/weights']!.quantization!.bits).toBe(8);
    expect(graph.tensors['c2/weights']!.quantization!.bits).toBe(4);
  }],
];

describe.each(CASES)('nbit: %s', (name, options, check) => {
  it('deploys on LiteRT within one step of the QAT model, with n-bit integers in the file', async () => {
    const trained = await deploy(options);
    console.log(`nbit ${name}: max ${trained.maxSteps.toFixed(3)} steps, ${trained.beyond} outputs beyond one step`);
    expect(trained.beyond).toBe(0);
    // The file names the true width of every narrow tensor (Model.metadata "qatkit.bits").
    const narrow = Object.values(trained.graph.tensors).filter((t) => t.quantization && t.quantization.bits < 8).map((t) => t.name).sort();
    const read = readTflite(trained.bytes).subgraphs[0]!.tensors.filter((t) => t.bits !== undefined && t.bits < 8).map((t) => t.name);
    expect(read.length).toBeGreaterThan(0);
    expect(narrow).toEqual(expect.arrayContaining(read));
    check(trained);
  });
});
