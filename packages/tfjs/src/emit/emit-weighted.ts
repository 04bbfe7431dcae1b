import { QatkitError, REQUANT_LIMIT, maxRequantRatio, type GraphBuilder, type Quantization } from '@qatkit/core';
import { pairOf } from '../layers/shapes.js';
import type { PlanNode } from '../plan/types.js';
import type { ParamSource } from './params.js';
import { weightInts } from './weight-ints.js';

/** A value as the emitter tracks it. */
export interface Value {
  readonly tensor: string;
  readonly shape: readonly number[];
  readonly quant?: Quantization;
}

/** Reorders a row-major [a, b] matrix into [b, a]. */
function transpose2d<T extends Float32Array | Int8Array>(data: T, a: number, b: number): T {
  const out = new (data.constructor as new (n: number) => T)(data.length);
  for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) out[j * a + i] = data[i * b + j]!;
  return out;
}

function checkFinite(data: Float32Array, what: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) throw new QatkitError('INVALID_RANGE', `${what} contains NaN or infinite values; training diverged`);
  }
}

/**
 * Conv2D, DepthwiseConv2D, TransposeConv2D or FullyConnected for `node`: weights in the IR layout, quantized with
 * the scales the QAT layer trained with (core limits.ts: widened where the bias would not fit at
 * `minInputScale`, the smallest input scale over a shared layer's applications).
 */
export function emitWeighted(b: GraphBuilder, node: PlanNode, input: Value, out: Value, params: ParamSource, minInputScale: number, float: boolean): void {
  const { kernel, shape, bias } = params.weights(node);
  const channels = shape.at(-1)!;
  checkFinite(kernel, `kernel of layer "${node.name}"`);
  checkFinite(bias, `bias of layer "${node.name}"`);
  // IR layouts: Conv2D and TransposeConv2D OHWI (per axis 0), DepthwiseConv2D [1, kh, kw, C] (axis 3), FullyConnected [out, in] (axis 0).
  const depthwise = node.op === 'DepthwiseConv2D';
  // TransposeConv2D is OHWI like Conv2D: its channels-last kernel [kh, kw, in, out] transposes the same way.
  const spatial = node.op === 'Conv2D' || node.op === 'TransposeConv2D';
  const irShape = depthwise ? [1, shape[0]!, shape[1]!, channels] : spatial ? [channels, shape[0]!, shape[1]!, shape[2]!] : [channels, shape[0]!];
  // Channels-last data in the IR layout (depthwise: [1, kh, kw, C] is already channels last).
  const toIr = <T extends Float32Array | Int8Array>(data: T): T => (depthwise ? data : transpose2d(data, data.length / channels, channels));
  const axis = depthwise ? 3 : 0;
  let weights: string;
  let biasName: string;
  if (float) {
    weights = b.addTensor({ name: `${node.name}/weights`, shape: irShape, dtype: 'float32', data: Float32Array.from(toIr(kernel)) });
    biasName = b.addTensor({ name: `${node.name}/bias`, shape: [channels], dtype: 'float32', data: Float32Array.from(bias) });
  } else {
    const { perAxis, quantizer } = node.weights!;
    const ints = weightInts({ kernel, shape, bias, quantizer, perAxis, inputScale: input.quant!.scale[0]!, minInputScale, axis, what: `${node.name}/kernel` });
    const wq = ints.quantization;
    const ratio = maxRequantRatio(input.quant!.scale[0]!, wq.scale, out.quant!.scale[0]!);
    if (!(ratio < REQUANT_LIMIT)) {
      // The output's scale floor was set for the weights of the last training step; these differ a lot.
      throw new QatkitError(
        'INVALID_RANGE',
        `layer "${node.name}": its output range was last updated for other weights (requantization ratio now ${ratio.toPrecision(4)} ≥ ${REQUANT_LIMIT}, ` +
          'which XNNPACK refuses); the last training step moved the weights far (diverging training?). Run calibrate(qatModel, batches) to refresh the ranges before toGraph()',
      );
    }
    weights = b.addTensor({ name: `${node.name}/weights`, shape: irShape, dtype: 'int8', data: toIr(ints.kernel), quantization: wq });
    biasName = b.addTensor({ name: `${node.name}/bias`, shape: [channels], dtype: 'int32', data: ints.bias.data, quantization: ints.bias.quantization });
  }
  const c = node.config;
  const activation = node.activation;
  const window = { strides: pairOf(c['strides'] ?? 1), dilations: pairOf(c['dilationRate'] ?? 1), padding: c['padding'] === 'same' ? ('same' as const) : ('valid' as const), activation };
  if (node.op === 'Conv2D') b.addOp('Conv2D', node.name, [input.tensor, weights, biasName], [out.tensor], window);
  else if (node.op === 'TransposeConv2D') b.addOp('TransposeConv2D', node.name, [input.tensor, weights, biasName], [out.tensor], { strides: window.strides, padding: window.padding, activation });
  else if (depthwise) b.addOp('DepthwiseConv2D', node.name, [input.tensor, weights, biasName], [out.tensor], { ...window, depthMultiplier: (c['depthMultiplier'] as number | undefined) ?? 1 });
  else b.addOp('FullyConnected', node.name, [input.tensor, weights, biasName], [out.tensor], { activation, ...(input.shape.length > 2 ? { keepNumDims: true } : {}) });
}
