// MobileNetV2 (Sandler et al. 2018) with the layer arrangement and names of
// keras.applications.MobileNetV2, untrained.
import * as tf from '@tensorflow/tfjs';
import { Builder, channelsOf, spatialOf, type Pad2D } from './builder.js';
import { checkCommon, checkInputShape, checkMultiplier, checkTop, type CommonOptions, type TopOptions } from './options.js';

export type MobilenetV2Options = CommonOptions &
  TopOptions & {
    /** Width multiplier: channels are `makeDivisible(channels · alpha, 8)`. */
    readonly alpha: number;
  };

const MODEL = 'mobilenetV2';

/**
 * The paper's table 2: expansion t, output channels c, repeats n, first stride s, for the 17
 * inverted residual blocks (Keras' `block_0` … `block_16`).
 */
export const MOBILENET_V2_STAGES: readonly (readonly [t: number, c: number, n: number, s: 1 | 2])[] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/**
 * `value` rounded to the nearest multiple of `divisor`, at least `minValue` (default `divisor`),
 * and never more than 10% below `value` (then one `divisor` more) — the rule of the TF/Keras
 * MobileNet sources (`_make_divisible`).
 */
export function makeDivisible(value: number, divisor: number, minValue = divisor): number {
  const rounded = Math.max(minValue, Math.floor(Math.trunc(value + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * value ? rounded + divisor : rounded;
}

/** Keras' `correct_pad` for a 3×3 kernel: (0, 1) on an even side, (1, 1) on an odd one. */
function correctPad([h, w]: [number, number]): Pad2D {
  return [
    [h % 2, 1],
    [w % 2, 1],
  ];
}

/**
 * Keras' MobileNetV2: `Conv1` 3×3/2 with makeDivisible(32·alpha, 8) channels → `bn_Conv1` → ReLU6;
 * 17 inverted residual blocks — `block_<i>_expand` 1×1 (t × input channels; absent in block 0,
 * named `expanded_conv_`) → BN → ReLU6 → (`_pad` ZeroPadding2D before stride 2) `_depthwise` 3×3
 * → BN → ReLU6 → `_project` 1×1 → BN, and `_add` with the block input when the stride is 1 and
 * the channels match (10 Adds); `Conv_1` 1×1 with 1280 channels (makeDivisible(1280·alpha, 8) when
 * alpha > 1) → `Conv_1_bn` → `out_relu`; GlobalAveragePooling2D → Dense `predictions` (softmax).
 * Batch norm uses Keras' momentum 0.999 and epsilon 1e-3; convolutions have no bias.
 */
export function mobilenetV2(options: MobilenetV2Options): tf.LayersModel {
  const alpha = checkMultiplier(MODEL, 'alpha', options.alpha);
  const inputShape = checkInputShape(MODEL, options.inputShape, 32);
  const classes = checkTop(MODEL, options);
  const common = checkCommon(MODEL, options, () => `mobilenetv2_${alpha.toFixed(2)}_${inputShape[0]}`);
  const { name, seed } = common;
  const b = new Builder(seed, { momentum: common.batchNormMomentum ?? 0.999, epsilon: 1e-3 });

  const input = tf.input({ shape: [...inputShape], name: 'input_1' });
  let x = b.conv(input, 'Conv1', { filters: makeDivisible(32 * alpha, 8), kernelSize: 3, strides: 2 });
  x = b.relu6(b.bn(x, 'bn_Conv1'), 'Conv1_relu');

  let blockId = 0;
  for (const [t, c, n, s] of MOBILENET_V2_STAGES) {
    for (let i = 0; i < n; i++) {
      x = invertedResidual(b, x, { expansion: t, filters: makeDivisible(Math.trunc(c * alpha), 8), stride: i === 0 ? s : 1, blockId });
      blockId += 1;
    }
  }

  const last = alpha > 1 ? makeDivisible(1280 * alpha, 8) : 1280;
  x = b.conv(x, 'Conv_1', { filters: last, kernelSize: 1 });
  x = b.relu6(b.bn(x, 'Conv_1_bn'), 'out_relu');

  if (classes !== undefined) {
    x = b.globalAveragePool(x, 'global_average_pooling2d');
    x = b.dense(x, 'predictions', classes, 'softmax');
  }
  return tf.model({ inputs: input, outputs: x, name });
}

function invertedResidual(
  b: Builder,
  input: tf.SymbolicTensor,
  args: { expansion: number; filters: number; stride: 1 | 2; blockId: number },
): tf.SymbolicTensor {
  const { expansion, filters, stride, blockId } = args;
  const inChannels = channelsOf(input);
  let x = input;
  let prefix = `block_${blockId}_`;
  if (blockId > 0) {
    x = b.conv(x, `${prefix}expand`, { filters: expansion * inChannels, kernelSize: 1 });
    x = b.relu6(b.bn(x, `${prefix}expand_BN`), `${prefix}expand_relu`);
  } else {
    prefix = 'expanded_conv_';
  }
  if (stride === 2) x = b.zeroPad(x, `${prefix}pad`, correctPad(spatialOf(x)));
  x = b.depthwise(x, `${prefix}depthwise`, { strides: stride, padding: stride === 1 ? 'same' : 'valid' });
  x = b.relu6(b.bn(x, `${prefix}depthwise_BN`), `${prefix}depthwise_relu`);
  x = b.conv(x, `${prefix}project`, { filters, kernelSize: 1 });
  x = b.bn(x, `${prefix}project_BN`);
  return stride === 1 && inChannels === filters ? b.add([input, x], `${prefix}add`) : x;
}
