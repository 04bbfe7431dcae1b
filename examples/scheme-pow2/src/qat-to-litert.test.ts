import * as tf from '@tensorflow/tfjs';
import { exportTflite, readTflite } from '@qatkit/exporter-tflite';
import { loadLiteRt, type LiteRt } from '@qatkit/litert-runner';
import { edgetpu } from '@qatkit/target-edgetpu';
import { imx8mp } from '@qatkit/target-imx8mp';
import { exportOptionsOf, initBackend, quantizeModel, toGraph } from '@qatkit/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { pow2Scheme } from './pow2-scheme.js';

/**
 * The custom scheme through the unchanged toolchain: QAT in tfjs, TFLite export, LiteRT. The
 * deployed model must compute what the QAT model computed, and every scale in the file must be an
 * exact power of two.
 */

let rt: LiteRt;
beforeAll(async () => {
  await initBackend('wasm');
  rt = await loadLiteRt();
});

function smallCnn(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [12, 12, 1], filters: 8, kernelSize: 3, kernelInitializer: init(1), useBias: false }),
      tf.layers.batchNormalization(),
      tf.layers.reLU(),
      tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', activation: 'relu', depthwiseInitializer: init(2) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, kernelInitializer: init(3) }),
    ],
  });
}

const isPow2 = (s: number) => s > 0 && 2 ** Math.round(Math.log2(s)) === s;

describe('pow2Scheme: QAT → TFLite → LiteRT', () => {
  it.each([true, false])('perAxis %s: LiteRT agrees with the QAT model within one step; every scale is a power of two', async (perAxis) => {
    const xs = tf.randomUniform([64, 12, 12, 1], 0, 1, 'float32', 5);
    const ys = tf.oneHot(tf.randomUniform([64], 0, 10, 'int32', 6) as tf.Tensor1D, 10).toFloat();
    const qat = quantizeModel(smallCnn(), { scheme: pow2Scheme({ perAxis }), inputRange: [0, 1] });
    qat.compile({ optimizer: tf.train.adam(1e-3), loss: tf.losses.softmaxCrossEntropy });
    await qat.fit(xs, ys, { epochs: 2, batchSize: 16, verbose: 0 });

    const graph = toGraph(qat);
    const bytes = exportTflite(graph, { io: 'float32' });
    const scales = readTflite(bytes).subgraphs[0]!.tensors.flatMap((t) => t.quantization?.scale ?? []);
    expect(scales.length).toBeGreaterThan(10);
    expect(scales.filter((s) => !isPow2(s))).toEqual([]);

    const expected = (qat.predict(xs) as tf.Tensor).dataSync();
    const step = graph.tensors[graph.outputs[0]!]!.quantization!.scale[0]!;
    const model = await rt.compile(bytes);
    const data = xs.dataSync() as Float32Array;
    let within = 0;
    let worst = 0;
    for (let s = 0; s < 64; s++) {
      const [out] = model.run([{ data: data.slice(s * 144, (s + 1) * 144), shape: [1, 12, 12, 1] }]);
      out!.data.forEach((v, j) => {
        const steps = Math.abs(v - expected[s * 10 + j]!) / step;
        worst = Math.max(worst, steps);
        if (steps <= 1 + 1e-3) within++;
      });
    }
    model.dispose();
    console.log(`pow2 perAxis=${perAxis}: ${within}/640 outputs within one step, max ${worst.toFixed(2)} steps`);
    expect(within / 640).toBeGreaterThanOrEqual(0.99);
    tf.dispose([xs, ys]);
    qat.dispose();
  });

  it('is steered by the unchanged targets and checks clean on them', async () => {
    const targets = [edgetpu(), imx8mp()];
    const qat = quantizeModel(smallCnn(), { scheme: pow2Scheme({ perAxis: false }), targets, inputRange: [0, 1] });
    qat.compile({ optimizer: tf.train.adam(1e-3), loss: tf.losses.softmaxCrossEntropy });
    await qat.fit(tf.randomUniform([16, 12, 12, 1], 0, 1, 'float32', 7), tf.oneHot(tf.tensor1d([...Array(16).keys()].map((i) => i % 10), 'int32'), 10).toFloat(), { epochs: 1, verbose: 0 });
    const exported = readTflite(exportTflite(toGraph(qat), exportOptionsOf(qat)));
    for (const t of targets) expect([t.name, t.check(exported).summary.verdict]).toEqual([t.name, 'accelerator']);
    // A per-channel pow2 scheme contradicts the i.MX 8M Plus's per-tensor rule, as default8bit would.
    expect(() => quantizeModel(smallCnn(), { scheme: pow2Scheme(), targets })).toThrow(/pow2-8bit scheme quantizes conv weights per channel/);
    qat.dispose();
  });
});
