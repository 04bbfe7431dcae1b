import * as tf from '@tensorflow/tfjs';
import { QatkitError, type LayerDescriptor } from '@qatkit/core';
import { firstShape } from './layers/shapes.js';

/**
 * The registry's view of a layer. An `axis` that points at the last dimension is written as -1,
 * so a table row can say "last axis" whatever the input rank.
 */
export function describeLayer(layer: tf.layers.Layer, path = layer.name): LayerDescriptor {
  let raw: tf.serialization.ConfigDict;
  try {
    raw = layer.getConfig();
  } catch (cause) {
    // Custom layers without getConfig (and subclassed models) cannot be planned or saved.
    throw new QatkitError(
      'UNSUPPORTED_LAYER',
      `Layer "${path}" (class ${layer.getClassName()}) has no config (${cause instanceof Error ? cause.message : String(cause)}); ` +
        `give the class a getConfig() and register it with tf.serialization.registerClass, then add a registry row for "${layer.getClassName()}" (default8bit({ rows: [...] }))`,
      { cause },
    );
  }
  const config: Record<string, unknown> = { ...raw };
  if (typeof config['axis'] === 'number') {
    const rank = (layer.inputSpec?.[0]?.ndim ?? inputRank(layer)) as number | undefined;
    if (rank !== undefined && config['axis'] === rank - 1) config['axis'] = -1;
  }
  return { className: layer.getClassName(), name: path, config };
}

function inputRank(layer: tf.layers.Layer): number | undefined {
  const shapes = layer.inboundNodes[0]?.inputShapes as tf.Shape | tf.Shape[] | undefined;
  return shapes ? firstShape(shapes).length : undefined;
}
