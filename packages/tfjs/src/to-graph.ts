import * as tf from '@tensorflow/tfjs';
import {
  GraphBuilder,
  QatkitError,
  activationQuantization,
  fixedQuantization,
  type Graph,
  type Quantization,
  type QuantizeScheme,
} from '@qatkit/core';
import { default8bit } from '@qatkit/scheme-8bit';
import { describeLayer } from './describe.js';
import { FakeQuant } from './layers/fake-quant.js';
import { QuantConv2D } from './layers/quant-conv2d.js';
import { QuantDense } from './layers/quant-dense.js';
import { firstShape, pairOf } from './layers/shapes.js';
import { addConv2D, addFullyConnected, type Current } from './to-graph-weighted.js';

export interface ToGraphOptions {
  /** The scheme the model was quantized with (default: default8bit()). */
  readonly scheme?: QuantizeScheme;
  /** Static batch size of the exported graph (default 1). */
  readonly batchSize?: number;
  readonly name?: string;
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

function staticShape(shape: tf.Shape | tf.Shape[], batch: number, layer: string): number[] {
  return firstShape(shape).map((d, i) => {
    if (i === 0) return batch;
    if (d == null) throw new QatkitError('INVALID_SHAPE', `layer "${layer}" has an unknown dimension ${i}; give the model a fully defined input shape`);
    return d;
  });
}

/**
 * Converts a trained QAT model (from quantizeModel) into the int8 IR: weights quantized with the
 * same ranges the fake-quant layers used, activations with the learned ranges, ReLU fused.
 */
export function toGraph(qatModel: tf.LayersModel, options: ToGraphOptions = {}): Graph {
  const scheme = options.scheme ?? default8bit();
  const batch = options.batchSize ?? 1;
  if (!Number.isInteger(batch) || batch < 1) throw new QatkitError('INVALID_OPTION', `batchSize must be a positive integer, got ${batch}`);
  const layers = qatModel.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const first = layers[0];
  if (!(first instanceof FakeQuant)) {
    throw new QatkitError('INVALID_GRAPH', `model "${qatModel.name}" does not start with an input fake-quant layer; pass the model returned by quantizeModel()`);
  }
  const b = new GraphBuilder(options.name ?? qatModel.name);
  const inputShape = staticShape(qatModel.inputs[0]!.shape, batch, first.name);
  const input = b.addTensor({ name: 'input', shape: inputShape, dtype: 'int8', quantization: fakeQuantParams(first) });
  let cur: Current = { tensor: input, shape: inputShape, quant: b.tensor(input).quantization! };

  /** An op's output takes its parameters from the fake-quant right after it. */
  const nextQuant = (i: number, what: string): Quantization => {
    const fq = layers[i + 1];
    if (!(fq instanceof FakeQuant)) throw new QatkitError('INVALID_GRAPH', `${what} is not followed by a fake-quant layer; pass the model returned by quantizeModel()`);
    return fakeQuantParams(fq);
  };

  for (let i = 1; i < layers.length; i++) {
    const layer = layers[i]!;
    const outShape = staticShape(layer.outputShape, batch, layer.name);
    if (layer instanceof QuantConv2D || layer instanceof QuantDense) {
      const out = { shape: outShape, quant: nextQuant(i, `layer "${layer.name}"`) };
      cur = layer instanceof QuantConv2D ? addConv2D(b, layer, cur, out) : addFullyConnected(b, layer, cur, out);
      i++;
      continue;
    }
    if (layer instanceof FakeQuant) {
      throw new QatkitError('INVALID_GRAPH', `fake-quant layer "${layer.name}" does not follow a quantized op; pass the model returned by quantizeModel()`);
    }
    const spec = scheme.registry.lookup(describeLayer(layer));
    if (!spec) throw new QatkitError('UNSUPPORTED_LAYER', `layer "${layer.name}" (class ${layer.getClassName()}) is not in the ${scheme.name} scheme`);
    const config = layer.getConfig() as Record<string, unknown>;
    switch (spec.op) {
      case 'Identity':
        break;
      case 'Reshape':
      case 'MaxPool2D': {
        const out = b.addTensor({ name: layer.name, shape: outShape, dtype: 'int8', quantization: cur.quant });
        if (spec.op === 'Reshape') b.addOp('Reshape', layer.name, [cur.tensor], [out], { shape: outShape });
        else {
          const poolSize = pairOf(config['poolSize']);
          b.addOp('MaxPool2D', layer.name, [cur.tensor], [out], {
            poolSize,
            strides: config['strides'] == null ? poolSize : pairOf(config['strides']),
            padding: config['padding'] === 'same' ? 'same' : 'valid',
            activation: 'none',
          });
        }
        cur = { tensor: out, shape: outShape, quant: cur.quant };
        break;
      }
      case 'Relu':
      case 'Relu6':
      case 'Softmax': {
        const quant = nextQuant(i, `layer "${layer.name}"`);
        const out = b.addTensor({ name: layer.name, shape: outShape, dtype: 'int8', quantization: quant });
        if (spec.op === 'Softmax') b.addOp('Softmax', layer.name, [cur.tensor], [out], { beta: 1 });
        else b.addOp(spec.op, layer.name, [cur.tensor], [out], {});
        cur = { tensor: out, shape: outShape, quant };
        i++;
        break;
      }
      default:
        throw new QatkitError('UNSUPPORTED_OP', `layer "${layer.name}" maps to ${spec.op}, which toGraph cannot emit yet`);
    }
  }
  return b.setInputs([input]).setOutputs([cur.tensor]).build();
}
