import * as tf from '@tensorflow/tfjs';
import { createProgress } from '../io/progress.js';

export interface FitOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly label: string;
}

/** Compiles for logits + one-hot labels and trains with a progress line; returns the last epoch's loss. */
export async function fitWithProgress(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor, o: FitOptions): Promise<number> {
  model.compile({ optimizer: tf.train.adam(o.learningRate), loss: tf.losses.softmaxCrossEntropy, metrics: ['accuracy'] });
  const steps = Math.ceil(xs.shape[0]! / o.batchSize);
  const progress = createProgress(o.label);
  let loss = NaN;
  let epoch = 0;
  const history = await model.fit(xs, ys, {
    epochs: o.epochs,
    batchSize: o.batchSize,
    shuffle: true,
    verbose: 0,
    callbacks: {
      onEpochBegin: async (e) => {
        epoch = e;
      },
      onBatchEnd: async (batch, logs) => {
        loss = logs?.['loss'] ?? loss;
        progress.update(epoch * steps + batch + 1, o.epochs * steps, `epoch ${epoch + 1}/${o.epochs} loss ${loss.toFixed(4)}`);
      },
    },
  });
  const acc = history.history['acc'] ?? history.history['accuracy'];
  const last = (k: (number | tf.Tensor)[] | undefined) => Number(k?.[k.length - 1] ?? NaN);
  progress.done(`loss ${last(history.history['loss']).toFixed(4)}, train accuracy ${(last(acc) * 100).toFixed(2)}%`);
  return last(history.history['loss']);
}
