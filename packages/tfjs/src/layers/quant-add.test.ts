import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Quantization } from '@qatkit/core';
import { calibrate, quantizeModel } from '../quantize-model.js';
import { toGraph } from '../to-graph.js';
import { setExactInference } from './integer-inference.js';
import { QuantAdd } from './quant-add.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Two dense branches added, optionally through a ReLU: the add reads two learned grids. */
function residual(relu: boolean): tf.LayersModel {
  const input = tf.input({ shape: [16] });
  const a = tf.layers.dense({ units: 64, name: 'a', kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }) }).apply(input) as tf.SymbolicTensor;
  const b = tf.layers.dense({ units: 64, name: 'b', kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }) }).apply(a) as tf.SymbolicTensor;
  let y = tf.layers.add({ name: 'sum' }).apply([a, b]) as tf.SymbolicTensor;
  if (relu) y = tf.layers.reLU({ name: 'sum_relu' }).apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: y });
}

const rne = (x: number) => (Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x));

/** XNNPACK's int8 add of levels qa, qb (xnn_init_qs8_add_minmax_scalar_params + the vadd kernel). */
function xnnAdd(qa: number, qb: number, a: Quantization, b: Quantization, o: Quantization, lo: number): number {
  const so = Math.fround(o.scale[0]!);
  const ra = Math.fround(Math.fround(a.scale[0]!) / so);
  const rb = Math.fround(Math.fround(b.scale[0]!) / so);
  const bits = new Uint32Array(new Float32Array([Math.max(ra, rb)]).buffer)[0]!;
  const shift = 20 - ((bits >>> 23) - 127);
  const [ma, mb] = [rne(ra * 2 ** shift), rne(rb * 2 ** shift)];
  const acc = ma * (qa - a.zeroPoint[0]!) + mb * (qb - b.zeroPoint[0]!) + 2 ** (shift - 1);
  return Math.min(127, Math.max(lo, Math.floor(acc / 2 ** shift) + o.zeroPoint[0]!));
}

describe('QuantAdd', () => {
  it.each([false, true])('adds int8 values as XNNPACK does, bit for bit (fused ReLU: %s)', (relu) => {
    const qat = quantizeModel(residual(relu), { inputRange: [-3, 4] });
    expect(qat.layers.some((l) => l instanceof QuantAdd)).toBe(true);
    calibrate(qat, [tf.randomNormal([256, 16], 0, 1, 'float32', 3)]);
    const g = toGraph(qat);
    const add = g.ops.find((op) => op.kind === 'Add')!;
    const [qa, qb, qo] = [...add.inputs, add.outputs[0]!].map((t) => g.tensors[t]!.quantization!);
    const probe = tf.model({ inputs: qat.inputs, outputs: [qat.getLayer('a_act_quant').output, qat.getLayer('b_act_quant').output, qat.outputs[0]!] as tf.SymbolicTensor[] });
    const x = tf.clipByValue(tf.randomNormal([4000, 16], 0, 1.5, 'float32', 4), -3, 4);
    const levels = (y: tf.Tensor, q: Quantization) => Array.from(y.dataSync(), (v) => Math.round(v / q.scale[0]!) + q.zeroPoint[0]!);
    const run = () => (probe.predict(x) as tf.Tensor[]).map((y, k) => levels(y, [qa!, qb!, qo!][k]!));
    const [la, lb, lo] = run();
    const expected = la!.map((v, i) => xnnAdd(v, lb![i]!, qa!, qb!, qo!, relu ? qo!.zeroPoint[0]! : -128));
    expect(lo).toEqual(expected);
    // The float path adds the dequantized values; it agrees but for rare near-ties.
    setExactInference(qat, false);
    const [fa, fb, fo] = run();
    const floatExpected = fa!.map((v, i) => xnnAdd(v, fb![i]!, qa!, qb!, qo!, relu ? qo!.zeroPoint[0]! : -128));
    expect(fo!.filter((v, i) => v !== floatExpected[i]).length).toBeLessThan(expected.length / 1000);
  });

  it('saves and loads as a QAT layer', async () => {
    const qat = quantizeModel(residual(false), { inputRange: [-3, 4] });
    calibrate(qat, [tf.randomNormal([32, 16], 0, 1, 'float32', 5)]);
    let saved: tf.io.ModelArtifacts | undefined;
    await qat.save(tf.io.withSaveHandler(async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    expect(loaded.layers.some((l) => l instanceof QuantAdd)).toBe(true);
    const x = tf.randomNormal([8, 16], 0, 1, 'float32', 6);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((qat.predict(x) as tf.Tensor).dataSync()));
  });
});
