import { QatkitError, REQUANT_LIMIT, biasSafeWeightScales, maxRequantRatio, quantize, quantizeBias, weightQuantization, type GraphBuilder, type Quantization } from '@qatkit/core';
import type { QuantConv2D } from './layers/quant-conv2d.js';
import type { QuantDense } from './layers/quant-dense.js';

/** The tensor flowing between layers while the graph is built. */
export interface Current {
  readonly tensor: string;
  readonly shape: readonly number[];
  readonly quant: Quantization;
}

interface Out {
  readonly shape: number[];
  readonly quant: Quantization;
}

/** Per-slice absolute maxima of a row-major [rows, cols] matrix along rows (`byRow`) or overall. */
function absMax(data: Float32Array, rows: number, cols: number, byRow: boolean): number[] {
  const out = new Array<number>(byRow ? rows : 1).fill(0);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = Math.abs(data[r * cols + c]!);
      const k = byRow ? r : 0;
      if (v > out[k]!) out[k] = v;
    }
  }
  return out;
}

/** Reorders a [A, B] row-major matrix into [B, A]. */
function transpose2d(data: Float32Array, a: number, bDim: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < a; i++) for (let j = 0; j < bDim; j++) out[j * a + i] = data[i * bDim + j]!;
  return out;
}

function checkFinite(data: Float32Array, what: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) throw new QatkitError('INVALID_RANGE', `${what} contains NaN or infinite values; training diverged`);
  }
}

/**
 * Adds weight, bias and output tensors for a conv-like op. `rowsOut` is the weights as
 * [outChannels, rest] (the IR layout flattened), so per-channel ranges are per row.
 */
function addWeighted(b: GraphBuilder, name: string, irShape: number[], rowsOut: Float32Array, perAxis: boolean, layer: QuantConv2D | QuantDense, cur: Current, out: Out) {
  const outC = irShape[0]!;
  const rest = rowsOut.length / outC;
  checkFinite(rowsOut, `kernel of layer "${layer.args.sourceName}"`);
  const biasValues = layer.bias ? (layer.bias.read().dataSync() as Float32Array) : new Float32Array(outC);
  checkFinite(biasValues, `bias of layer "${layer.args.sourceName}"`);
  const inputScale = cur.quant.scale[0]!;
  const maxes = absMax(rowsOut, outC, rest, perAxis);
  // The same scales the QAT layer trained with: widened where the bias would not fit int32.
  const plain = weightQuantization(maxes.map((m) => -m), maxes, layer.args.weightQuantizer, perAxis ? 0 : undefined, `${layer.args.sourceName}/kernel`);
  const minScales = biasSafeWeightScales(plain.scale, biasValues, inputScale);
  const wq = weightQuantization(maxes.map((m) => -m), maxes, layer.args.weightQuantizer, perAxis ? 0 : undefined, `${layer.args.sourceName}/kernel`, minScales);
  const w = b.addTensor({ name: `${name}/weights`, shape: irShape, dtype: 'int8', data: quantize(rowsOut, irShape, wq) as Int8Array, quantization: wq });
  const ratio = maxRequantRatio(inputScale, wq.scale, out.quant.scale[0]!);
  if (!(ratio < REQUANT_LIMIT)) {
    // The output's scale floor was set for the weights of the last training step; these differ a lot.
    throw new QatkitError(
      'INVALID_RANGE',
      `layer "${layer.args.sourceName}": its output range was last updated for other weights (requantization ratio now ${ratio.toPrecision(4)} ≥ ${REQUANT_LIMIT}, ` +
        'which XNNPACK refuses); the last training step moved the weights far (diverging training?). Run calibrate(qatModel, batches) to refresh the ranges before toGraph()',
    );
  }
  const bq = quantizeBias(biasValues, inputScale, wq.scale);
  const bias = b.addTensor({ name: `${name}/bias`, shape: [outC], dtype: 'int32', data: bq.data, quantization: bq.quantization });
  const y = b.addTensor({ name, shape: out.shape, dtype: 'int8', quantization: out.quant });
  return { w, bias, y };
}

export function addConv2D(b: GraphBuilder, layer: QuantConv2D, cur: Current, out: Out): Current {
  const name = layer.args.sourceName;
  const kernel = layer.kernel!.read().dataSync() as Float32Array; // [kh, kw, in, out]
  const [kh, kw] = layer.args.kernelSize;
  const inC = cur.shape[3]!;
  const outC = layer.args.filters;
  // [kh*kw*in, out] → [out, kh*kw*in] is exactly OHWI.
  const ohwi = transpose2d(kernel, kh * kw * inC, outC);
  const { w, bias, y } = addWeighted(b, name, [outC, kh, kw, inC], ohwi, layer.args.perAxis, layer, cur, out);
  const { strides, dilationRate, padding, activation } = layer.args;
  b.addOp('Conv2D', name, [cur.tensor, w, bias], [y], {
    strides,
    dilations: dilationRate,
    padding,
    activation: activation === 'linear' ? 'none' : activation,
  });
  return { tensor: y, shape: out.shape, quant: out.quant };
}

export function addFullyConnected(b: GraphBuilder, layer: QuantDense, cur: Current, out: Out): Current {
  const name = layer.args.sourceName;
  const kernel = layer.kernel!.read().dataSync() as Float32Array; // [in, out]
  const inF = cur.shape[1]!;
  const outF = layer.args.units;
  const { w, bias, y } = addWeighted(b, name, [outF, inF], transpose2d(kernel, inF, outF), layer.args.perAxis, layer, cur, out);
  const activation = layer.args.activation;
  b.addOp('FullyConnected', name, [cur.tensor, w, bias], [y], { activation: activation === 'linear' ? 'none' : activation });
  return { tensor: y, shape: out.shape, quant: out.quant };
}
