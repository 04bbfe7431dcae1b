import * as tf from '@tensorflow/tfjs';

/**
 * A dilated convolution written as space_to_batch → undilated conv → batch_to_space (TF's
 * `with_space_to_batch`, the atrous identity). tfjs's conv gradients reject dilation > 1, but
 * every step here is differentiable in tfjs, so QAT can train dilated convs; the integer model
 * still gets one CONV_2D / DEPTHWISE_CONV_2D with dilation (the same function).
 *
 * `conv` runs the undilated op with 'valid' padding. Strides must be 1 (tfjs and TF allow either
 * strides or dilation above 1, never both).
 */
export function atrousConv(
  x: tf.Tensor4D,
  kernelSize: readonly [number, number],
  dilation: readonly [number, number],
  padding: 'same' | 'valid',
  conv: (x: tf.Tensor4D) => tf.Tensor4D,
): tf.Tensor4D {
  const [, h, w] = x.shape;
  const base = [0, 1].map((d) => {
    // TF 'same' padding for the dilated (effective) kernel: the odd pixel goes after.
    const total = padding === 'same' ? (kernelSize[d]! - 1) * dilation[d]! : 0;
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  });
  // Pad the end further so each padded size is a multiple of the rate, and crop that back after.
  const sizes = [h, w];
  const paddings: [number, number][] = [];
  const crops: [number, number][] = [];
  for (let d = 0; d < 2; d++) {
    const [before, after] = base[d] as [number, number];
    const padded = sizes[d]! + before + after;
    const extra = (dilation[d]! - (padded % dilation[d]!)) % dilation[d]!;
    paddings.push([before, after + extra]);
    crops.push([0, extra]);
  }
  const blocks = [dilation[0], dilation[1]];
  const spaced = tf.spaceToBatchND(x, blocks, paddings);
  return tf.batchToSpaceND(conv(spaced), blocks, crops);
}
