// Training one step at a time (not model.fit), so the page can draw every step and stay
// responsive: each step yields to the event loop through tf.nextFrame.
import * as tf from '@tensorflow/tfjs';
import { PIXELS, type Split } from './data.js';

export interface StepReport {
  step: number;
  loss: number;
  accuracy: number;
}

/** Images scaled to [0, 1] as [n, 28, 28, 1]. */
export function imagesTensor(split: Split, start: number, count: number): tf.Tensor4D {
  const n = Math.min(count, split.count - start);
  const pixels = split.images.subarray(start * PIXELS, (start + n) * PIXELS);
  return tf.tidy(() => tf.tensor4d(Float32Array.from(pixels), [n, 28, 28, 1]).div(255) as tf.Tensor4D);
}

function batchOf(split: Split, indices: Int32Array): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const pixels = new Float32Array(indices.length * PIXELS);
  const labels = new Int32Array(indices.length);
  indices.forEach((idx, i) => {
    const src = split.images.subarray(idx * PIXELS, (idx + 1) * PIXELS);
    for (let p = 0; p < PIXELS; p++) pixels[i * PIXELS + p] = src[p]! / 255;
    labels[i] = split.labels[idx]!;
  });
  return tf.tidy(() => ({
    xs: tf.tensor4d(pixels, [indices.length, 28, 28, 1]),
    ys: tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat() as tf.Tensor2D,
  }));
}

/** Compiles for logits + one-hot labels and runs `steps` Adam steps on shuffled batches. */
export async function trainSteps(
  model: tf.LayersModel,
  split: Split,
  o: { steps: number; batchSize: number; learningRate: number; onStep: (r: StepReport) => void },
): Promise<void> {
  model.compile({ optimizer: tf.train.adam(o.learningRate), loss: tf.losses.softmaxCrossEntropy, metrics: ['accuracy'] });
  let order = tf.util.createShuffledIndices(split.count);
  let at = 0;
  for (let step = 1; step <= o.steps; step++) {
    if (at + o.batchSize > split.count) {
      order = tf.util.createShuffledIndices(split.count);
      at = 0;
    }
    const { xs, ys } = batchOf(split, Int32Array.from(order.subarray(at, at + o.batchSize)));
    at += o.batchSize;
    const [loss, accuracy] = (await model.trainOnBatch(xs, ys)) as number[];
    tf.dispose([xs, ys]);
    o.onStep({ step, loss: loss!, accuracy: accuracy! });
    await tf.nextFrame();
  }
}

/** Logits and predicted classes of `model` on the first `count` images, in batches. */
export async function predict(model: tf.LayersModel, split: Split, count: number, batchSize = 250): Promise<{ logits: Float32Array; classes: Int32Array }> {
  const n = Math.min(count, split.count);
  const logits = new Float32Array(n * 10);
  const classes = new Int32Array(n);
  for (let i = 0; i < n; i += batchSize) {
    const xs = imagesTensor(split, i, Math.min(batchSize, n - i));
    const out = model.predict(xs) as tf.Tensor2D;
    const arg = out.argMax(1);
    logits.set(await out.data(), i * 10);
    classes.set(await arg.data(), i);
    tf.dispose([xs, out, arg]);
  }
  return { logits, classes };
}

export function accuracy(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === labels[i]) ok++;
  return ok / predicted.length;
}
