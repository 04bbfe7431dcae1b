import * as tf from '@tensorflow/tfjs';

export interface Split {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

const PIXELS = 28 * 28;

/** Images scaled to [0, 1] as [n, 28, 28, 1], labels one-hot [n, 10]. */
export function toTensors(split: Split, count = split.count): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const n = Math.min(count, split.count);
  return tf.tidy(() => {
    const xs = tf.tensor4d(split.images.subarray(0, n * PIXELS), [n, 28, 28, 1], 'int32').toFloat().div(255) as tf.Tensor4D;
    const ys = tf.oneHot(tf.tensor1d(split.labels.subarray(0, n), 'int32'), 10).toFloat() as tf.Tensor2D;
    return { xs, ys };
  });
}

/** Predicted class per row of `xs`, computed in batches to bound memory. */
export function predictClasses(model: tf.LayersModel, xs: tf.Tensor4D, batchSize = 500): { classes: Int32Array; logits: Float32Array } {
  const n = xs.shape[0];
  const classes = new Int32Array(n);
  const logits: number[] = [];
  for (let i = 0; i < n; i += batchSize) {
    tf.tidy(() => {
      const out = model.predict(xs.slice(i, Math.min(batchSize, n - i))) as tf.Tensor2D;
      classes.set(out.argMax(1).dataSync() as Int32Array, i);
      logits.push(...out.dataSync());
    });
  }
  return { classes, logits: Float32Array.from(logits) };
}

export function accuracy(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === labels[i]) ok++;
  return ok / predicted.length;
}
