import * as tf from '@tensorflow/tfjs';
import { QatkitError, type QuantizeSpec } from '@qatkit/core';
import { walkModel } from './graph/walk.js';
import { makePlan } from './plan/make-plan.js';
import { buildQatModel } from './qat/build-qat.js';
import { checkQuantizeArgs, type QuantizeModelOptions } from './quantize-model.js';

/**
 * tfmot's annotate → apply flow: mark the layers to quantize, then build a QAT model in which only
 * they are fake-quantized; the rest stays float, with QUANTIZE/DEQUANTIZE where the regions meet.
 * The mark lives on the layer object itself (no registry, nothing global).
 */

const ANNOTATION = Symbol.for('qatkit.quantizeAnnotation');

interface Annotated {
  [ANNOTATION]?: { readonly rule?: QuantizeSpec };
}

/**
 * Marks `layer` to be quantized by quantizeApply; `rule` (optional) says how, for a layer the
 * scheme's registry has no row for. Returns the layer, so it can wrap a layer where it is made:
 * `quantizeAnnotateLayer(tf.layers.conv2d({...})).apply(x)`.
 */
export function quantizeAnnotateLayer<L extends tf.layers.Layer>(layer: L, rule?: QuantizeSpec): L {
  if (!(layer instanceof tf.layers.Layer)) throw new QatkitError('INVALID_OPTION', 'quantizeAnnotateLayer expects a tfjs layer');
  (layer as unknown as Annotated)[ANNOTATION] = rule ? { rule } : {};
  return layer;
}

/** Marks every layer of `model` (nested models included); returns the model. */
export function quantizeAnnotateModel<M extends tf.LayersModel>(model: M): M {
  for (const node of walkModel(model).nodes) quantizeAnnotateLayer(node.layer);
  return model;
}

const annotationOf = (layer: tf.layers.Layer) => (layer as unknown as Annotated)[ANNOTATION];

/**
 * The QAT model of an annotated model: annotated layers (and the BatchNorm/ReLU fused into them)
 * are quantized, the others left float. Train it with fit(); toGraph() exports the mix.
 */
export function quantizeApply(model: tf.LayersModel, options: QuantizeModelOptions = {}): tf.LayersModel {
  const { scheme, range, exportOptions } = checkQuantizeArgs(model, options, 'quantizeApply');
  const graph = walkModel(model);
  if (!graph.nodes.some((n) => annotationOf(n.layer))) {
    throw new QatkitError('INVALID_OPTION', `model "${model.name}" has no annotated layer: mark layers with quantizeAnnotateLayer(layer) or the whole model with quantizeAnnotateModel(model) first`);
  }
  const plan = makePlan(graph, {
    scheme,
    ...(range ? { inputRange: range } : {}),
    quantized: (node) => annotationOf(node.layer) !== undefined,
    ruleFor: (node) => annotationOf(node.layer)?.rule,
  });
  return buildQatModel(exportOptions ? { ...plan, export: exportOptions } : plan, graph, scheme);
}
