import * as tf from '@tensorflow/tfjs';

type Shape4 = [number, number, number, number];
type Pair = number | [number, number];
type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

/** Attributes shared by the four backprop kernels (the union of what tfjs-core passes). */
export interface ConvBackpropAttrs {
  strides: Pair;
  pad: Pad;
  /** Absent on Conv2DBackprop*: tfjs-core's conv2d gradient only allows 1, but direct callers may pass it. */
  dilations?: Pair;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** NHWC convolution geometry, flattened to plain numbers for tight loops. */
export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  /** Conv2D: filter out-channels; depthwise: inC * chMul. */
  outC: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  dilH: number;
  dilW: number;
  padTop: number;
  padLeft: number;
  padBottom: number;
  padRight: number;
  /** Depth multiplier (1 for Conv2D). */
  chMul: number;
  depthwise: boolean;
}

/** Computes the geometry with tfjs-core's own helper so padding/rounding match the forward op exactly. */
export function convGeometry(
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: ConvBackpropAttrs,
  depthwise: boolean,
): ConvGeometry {
  if (attrs.dataFormat === 'NCHW') {
    throw new Error('qatkit training kernels support only NHWC (dataFormat NCHW given)');
  }
  if (xShape.length !== 4 || filterShape.length !== 4) {
    throw new Error(`qatkit training kernels expect rank-4 shapes, got x ${xShape} and filter ${filterShape}`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    xShape as Shape4,
    filterShape as Shape4,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kH: info.filterHeight,
    kW: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    dilH: info.dilationHeight,
    dilW: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
    padBottom: info.padInfo.bottom,
    padRight: info.padInfo.right,
    chMul: depthwise ? filterShape[3]! : 1,
    depthwise,
  };
}

/** Checks dy against the geometry: a mismatch would otherwise read out of bounds silently. */
export function assertDyShape(g: ConvGeometry, dyShape: readonly number[]): void {
  const want = [g.batch, g.outH, g.outW, g.outC];
  if (dyShape.length !== 4 || dyShape.some((d, i) => d !== want[i])) {
    throw new Error(`dy shape ${dyShape} does not match the convolution output shape ${want}`);
  }
}

/**
 * Output rows [lo, hi) whose input row `o * stride - pad + k * dil` lies inside [0, size).
 * Used to hoist all bounds checks out of the inner loops.
 */
export function validOutRange(
  size: number,
  outSize: number,
  stride: number,
  pad: number,
  kOffset: number,
): [number, number] {
  // need 0 <= o*stride + (kOffset - pad) < size
  const shift = kOffset - pad;
  const lo = Math.max(0, Math.ceil(-shift / stride));
  const hi = Math.min(outSize, Math.floor((size - 1 - shift) / stride) + 1);
  return [lo, Math.max(lo, hi)];
}
