import * as tf from '@tensorflow/tfjs';
import { QatkitError, activationQuantization, fixedQuantization, type Quantization } from '@qatkit/core';
import { FakeQuant } from '../layers/fake-quant.js';
import { QuantConstOp } from '../layers/quant-const.js';
import type { QuantWeighted } from '../layers/quant-weighted.js';
import { sourceConstant } from '../qat/source-weights.js';
import { quantLayerName, safeName, type PlanNode, type PlanQuant } from '../plan/types.js';
import { floatWeights } from './float-params.js';

/**
 * Where the emitter gets numbers: from a QAT model (learned ranges, fake-quantized weights with
 * BatchNorm folded) or from the float model (float weights, BatchNorm folded in float). The plan
 * walk is the same for both.
 */
export interface ParamSource {
  readonly float: boolean;
  /** Quantization of a value whose plan quant is input, learned or fixed; `fakeQuant` names its layer. */
  quant(fakeQuant: string, quant: PlanQuant): Quantization;
  /** Folded weights with output channels on the last axis (tfjs layout), and the folded bias. */
  weights(node: PlanNode): { kernel: Float32Array; shape: number[]; bias: Float32Array };
  /** A node's constant operand (float values: the emitter quantizes them as QAT did). */
  constant(node: PlanNode): { data: Float32Array; shape: number[] };
}

/** The quantization a fake-quant layer learned (or was fixed to). */
export function fakeQuantParams(layer: FakeQuant): Quantization {
  const { mode, quantizer, fixedScale, fixedZeroPoint } = layer.args;
  if (mode === 'fixed' && fixedScale !== undefined) return fixedQuantization(fixedScale, fixedZeroPoint ?? 0, quantizer);
  const { min, max, count, minScale } = layer.range();
  if (count === 0) {
    throw new QatkitError('INVALID_RANGE', `fake-quant layer "${layer.name}" has no range yet: train the QAT model with fit() or call calibrate() before toGraph()`);
  }
  return activationQuantization(min, max, quantizer, layer.name, minScale);
}

export function qatParams(model: tf.LayersModel): ParamSource {
  const layer = (name: string): tf.layers.Layer => {
    try {
      return model.getLayer(name);
    } catch (cause) {
      throw new QatkitError('INVALID_GRAPH', `QAT model "${model.name}" has no layer "${name}" that its plan names; pass the model returned by quantizeModel() (or loaded from its files)`, { cause });
    }
  };
  return {
    float: false,
    quant(fakeQuant) {
      const fq = layer(fakeQuant);
      if (!(fq instanceof FakeQuant)) throw new QatkitError('INVALID_GRAPH', `layer "${fakeQuant}" is a ${fq.getClassName()}, not a fake-quant layer`);
      return fakeQuantParams(fq);
    },
    weights(node) {
      // A layer left in float (quantizeApply) keeps its own layers in the QAT model.
      if (!node.weights) return floatWeights(node, (path) => layer(safeName(path)));
      const q = layer(quantLayerName(node.name)) as QuantWeighted;
      // tidy frees what folding made; the layer's own variables are not in its scope. The arrays
      // leave through `out`, not tidy's return value: tidy walks every key of what it returns
      // looking for tensors, every element of a typed array (seconds for MobileNetV2's 3.5 M).
      let out: ReturnType<ParamSource['weights']> | undefined;
      tf.tidy(() => {
        const { kernel, bias } = q.folded();
        out = { kernel: Float32Array.from(kernel.dataSync()), shape: [...kernel.shape], bias: bias ? Float32Array.from(bias.dataSync()) : new Float32Array(kernel.shape.at(-1)!) };
      });
      return out!;
    },
    constant(node) {
      if (node.output.kind === 'float') return sourceConstant(node, (path) => layer(safeName(path)));
      const q = layer(quantLayerName(node.name));
      if (!(q instanceof QuantConstOp)) throw new QatkitError('INVALID_GRAPH', `layer "${q.name}" is a ${q.getClassName()}, not a constant-operand layer`);
      const c = q.constant!.read();
      return { data: Float32Array.from(c.dataSync()), shape: [...c.shape] };
    },
  };
}
