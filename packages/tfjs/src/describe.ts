import * as tf from '@tensorflow/tfjs';
import { QatkitError, type LayerDescriptor } from '@qatkit/core';
import { firstShape } from './layers/shapes.js';

/**
 * The registry's view of a layer. An `axis` that points at the last dimension is written as -1,
 * so a table row can say "last axis" whatever the input rank.
 */
export function describeLayer(layer: tf.layers.Layer): LayerDescriptor {
  const config: Record<string, unknown> = { ...layer.getConfig() };
  if (typeof config['axis'] === 'number') {
    const rank = (layer.inputSpec?.[0]?.ndim ?? inputRank(layer)) as number | undefined;
    if (rank !== undefined && config['axis'] === rank - 1) config['axis'] = -1;
  }
  return { className: layer.getClassName(), name: layer.name, config };
}

function inputRank(layer: tf.layers.Layer): number | undefined {
  const shapes = layer.inboundNodes[0]?.inputShapes as tf.Shape | tf.Shape[] | undefined;
  return shapes ? firstShape(shapes).length : undefined;
}

/**
 * The model's layers as a single chain input → … → output (Sequential models, and functional
 * models without branches). Branching graphs are refused with the layer where the chain breaks.
 */
export function chainLayers(model: tf.LayersModel): tf.layers.Layer[] {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new QatkitError('UNSUPPORTED_LAYER', `model "${model.name}" has ${model.inputs.length} inputs and ${model.outputs.length} outputs; quantizeModel supports one of each`);
  }
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  let previous: tf.layers.Layer | undefined;
  for (const layer of layers) {
    if (layer instanceof tf.LayersModel) {
      throw new QatkitError('UNSUPPORTED_LAYER', `layer "${layer.name}" is a nested model (class ${layer.getClassName()}); flatten it into one Sequential model first`);
    }
    const inbound = layer.inboundNodes.flatMap((n) => n.inboundLayers);
    const fromPrevious = previous ? inbound.length === 1 && inbound[0] === previous : inbound.every((l) => l.getClassName() === 'InputLayer');
    if (layer.inboundNodes.length !== 1 || !fromPrevious) {
      throw new QatkitError(
        'UNSUPPORTED_LAYER',
        `layer "${layer.name}" (class ${layer.getClassName()}) is not fed only by the layer before it; quantizeModel supports Sequential models and branch-free functional models for now`,
      );
    }
    previous = layer;
  }
  return layers;
}
