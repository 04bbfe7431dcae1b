// Reads a built tfjs model as plain data for the arrangement tests.
import * as tf from '@tensorflow/tfjs';

export interface LayerInfo {
  readonly name: string;
  readonly className: string;
  /** Names of the layers feeding this one. */
  readonly inputs: readonly string[];
  /** Names of the layers of the model fed by this one. */
  readonly outputs: readonly string[];
  readonly config: Readonly<Record<string, unknown>>;
}

export function layerGraph(model: tf.LayersModel): Map<string, LayerInfo> {
  const inModel = new Set(model.layers.map((l) => l.name));
  return new Map(
    model.layers.map((layer) => [
      layer.name,
      {
        name: layer.name,
        className: layer.getClassName(),
        inputs: layer.inboundNodes.flatMap((node) => node.inboundLayers.map((l) => l.name)),
        outputs: layer.outboundNodes.map((node) => node.outboundLayer.name).filter((n) => inModel.has(n)),
        config: layer.getConfig() as Record<string, unknown>,
      },
    ]),
  );
}

export const ofClass = (graph: Map<string, LayerInfo>, className: string): LayerInfo[] =>
  [...graph.values()].filter((l) => l.className === className);

/** The class of the single layer fed by `layer`, or a description of why there is not exactly one. */
export function nextClass(graph: Map<string, LayerInfo>, layer: LayerInfo): string {
  return layer.outputs.length === 1 ? graph.get(layer.outputs[0]!)!.className : `${layer.outputs.length} consumers`;
}

export function prevClass(graph: Map<string, LayerInfo>, layer: LayerInfo): string {
  return layer.inputs.length === 1 ? graph.get(layer.inputs[0]!)!.className : `${layer.inputs.length} inputs`;
}

/** Total and trainable parameter counts. */
export function paramCounts(model: tf.LayersModel): { total: number; trainable: number } {
  const size = (w: tf.LayerVariable) => w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
  return { total: model.countParams(), trainable: model.trainableWeights.reduce((a, w) => a + size(w), 0) };
}

/** A batch of 2 uniform inputs for the model, its prediction as plain numbers, and the shape. */
export function predictTwo(model: tf.LayersModel, seed = 7): { shape: number[]; rows: number[][] } {
  return tf.tidy(() => {
    const shape = [2, ...(model.inputs[0]!.shape.slice(1) as number[])];
    const y = model.predict(tf.randomUniform(shape, 0, 1, 'float32', seed)) as tf.Tensor;
    return { shape: y.shape, rows: y.arraySync() as number[][] };
  });
}
