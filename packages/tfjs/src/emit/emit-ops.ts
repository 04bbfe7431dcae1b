import { QatkitError, type OpAttrs, type OpKind } from '@qatkit/core';
import { pairOf } from '../layers/shapes.js';
import type { PlanNode } from '../plan/types.js';

type Attrs = OpAttrs[OpKind];

/** [[top, bottom], [left, right]] from a Keras padding/cropping config (a number, a pair, or pairs). */
function pairs2d(value: unknown): [[number, number], [number, number]] {
  if (typeof value === 'number') return [[value, value], [value, value]];
  const [h, w] = value as [unknown, unknown];
  const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [v[0] as number, v[1] as number] : [v as number, v as number]);
  return [pair(h), pair(w)];
}

/**
 * IR attributes of a stateless op, from the source layer's config (as tfjs serializes it) and
 * the static shapes around it.
 */
export function attrsOf(node: PlanNode, inputShape: readonly number[], outShape: readonly number[]): Attrs {
  const c = node.config;
  const activation = node.activation;
  switch (node.op) {
    case 'MaxPool2D':
    case 'AveragePool2D': {
      const poolSize = pairOf(c['poolSize'] ?? 2);
      return { poolSize, strides: c['strides'] == null ? poolSize : pairOf(c['strides']), padding: c['padding'] === 'same' ? 'same' : 'valid', activation };
    }
    case 'Reshape':
      return { shape: [...outShape] };
    case 'Softmax':
      return { beta: 1 };
    case 'Add':
    case 'Sub':
    case 'Mul':
      return { activation };
    case 'Concatenation': {
      const axis = Number(c['axis'] ?? -1);
      return { axis: axis < 0 ? outShape.length + axis : axis, activation };
    }
    case 'Mean':
    case 'ReduceMax':
      return { axes: [1, 2], keepDims: outShape.length === 4 };
    case 'Pad': {
      const [[t, bottom], [l, r]] = pairs2d(c['padding'] ?? 1);
      return { paddings: [[0, 0], [t, bottom], [l, r], [0, 0]] };
    }
    case 'Slice': {
      const [[t], [l]] = pairs2d(c['cropping'] ?? 0);
      return { begin: [0, t, l, 0], size: [...outShape] };
    }
    case 'ResizeNearestNeighbor':
    case 'ResizeBilinear':
      // tfjs UpSampling2D calls tf.image.resize* with their defaults.
      return { alignCorners: false, halfPixelCenters: false };
    case 'Transpose':
      return { perm: [0, ...((c['dims'] as number[] | undefined) ?? inputShape.slice(1).map((_, i) => i + 1))] };
    case 'LeakyRelu':
      return { alpha: Number(c['alpha'] ?? 0.3) };
    case 'Relu':
    case 'Relu6':
    case 'Maximum':
    case 'Minimum':
    case 'Logistic':
    case 'Tanh':
    case 'Elu':
    case 'HardSwish':
    case 'Prelu':
    case 'Quantize':
    case 'Dequantize':
      return {};
    default:
      throw new QatkitError('UNSUPPORTED_OP', `layer "${node.name}" (class ${node.className}) maps to ${node.op}, which toGraph cannot emit yet`);
  }
}

/** Ops whose inputs must share the output's quantization (requantized onto it when they differ). */
export const SAME_SCALE_INPUTS: ReadonlySet<string> = new Set(['Concatenation', 'Maximum', 'Minimum']);
