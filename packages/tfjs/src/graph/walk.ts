import * as tf from '@tensorflow/tfjs';
import { QatkitError } from '@qatkit/core';

/**
 * A tfjs model as a graph of layer applications, read from its inbound nodes (not from
 * `model.layers`, which is only a list): several inputs and outputs, branches, a layer applied to
 * several inputs (shared weights), and nested Sequential or functional models, inlined.
 */

/** One application of a layer: it reads `inputs` and produces the value `id`. */
export interface GraphNode {
  /** The output value's id, unique in the graph: the layer's path, `_1`, `_2`… for later applications. */
  readonly id: string;
  /** The layer's name, prefixed by the names of the models it is nested in (`backbone/conv1`). */
  readonly path: string;
  readonly layer: tf.layers.Layer;
  /** Which of the layer's applications this is (0 for the first in this graph). */
  readonly application: number;
  readonly inputs: readonly string[];
  readonly shape: readonly (number | null)[];
}

export interface GraphInput {
  readonly id: string;
  readonly shape: readonly (number | null)[];
}

export interface LayerGraph {
  readonly name: string;
  readonly inputs: readonly GraphInput[];
  /** Topologically ordered: every node comes after the producers of its inputs. */
  readonly nodes: readonly GraphNode[];
  readonly outputs: readonly string[];
}

interface Ref {
  readonly layer: tf.layers.Layer;
  readonly nodeIndex: number;
  readonly tensorIndex: number;
}

const keyOf = (r: Ref) => `${r.layer.id}#${r.nodeIndex}#${r.tensorIndex}`;

/** The model's graph: values are named after the layers that produce them. */
export function walkModel(model: tf.LayersModel): LayerGraph {
  if (!(model instanceof tf.LayersModel)) {
    throw new QatkitError('UNSUPPORTED_LAYER', 'expected a tfjs LayersModel (tf.sequential or tf.model); a graph model from tf.loadGraphModel has no layers to quantize');
  }
  const nodes: GraphNode[] = [];
  const applications = new Map<tf.layers.Layer, number>();
  const taken = new Set<string>();
  const unique = (base: string) => {
    let id = base;
    for (let i = 1; taken.has(id); i++) id = `${base}_${i}`;
    taken.add(id);
    return id;
  };
  const inputs: GraphInput[] = model.inputs.map((t) => ({ id: unique(t.sourceLayer.name), shape: [...t.shape] }));

  function walk(m: tf.LayersModel, inputIds: readonly string[], prefix: string): string[] {
    const values = new Map<string, string>();
    m.inputs.forEach((t, i) => values.set(keyOf({ layer: t.sourceLayer, nodeIndex: t.nodeIndex, tensorIndex: t.tensorIndex }), inputIds[i]!));
    // Iterative depth-first post-order: deep models must not exhaust the call stack.
    const visit = (root: Ref): string => {
      const stack: { ref: Ref; expanded: boolean }[] = [{ ref: root, expanded: false }];
      const onPath = new Set<string>();
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        const key = keyOf(top.ref);
        if (values.has(key)) {
          stack.pop();
          continue;
        }
        const { layer, nodeIndex, tensorIndex } = top.ref;
        if (layer.getClassName() === 'InputLayer') {
          throw new QatkitError('UNSUPPORTED_LAYER', `model "${m.name}" reads input layer "${layer.name}", which is not one of its inputs`);
        }
        const node = layer.inboundNodes[nodeIndex]!;
        const refs: Ref[] = node.inboundLayers.map((l, k) => ({ layer: l, nodeIndex: node.nodeIndices[k]!, tensorIndex: node.tensorIndices[k]! }));
        if (!top.expanded) {
          if (onPath.has(key)) throw new QatkitError('INVALID_GRAPH', `model "${m.name}" has a cycle through layer "${layer.name}"`);
          onPath.add(key);
          top.expanded = true;
          for (const r of [...refs].reverse()) if (!values.has(keyOf(r))) stack.push({ ref: r, expanded: false });
          continue;
        }
        stack.pop();
        onPath.delete(key);
        const ins = refs.map((r) => values.get(keyOf(r))!);
        if (layer instanceof tf.LayersModel) {
          const outs = walk(layer, ins, `${prefix}${layer.name}/`);
          outs.forEach((id, i) => values.set(keyOf({ layer, nodeIndex, tensorIndex: i }), id));
          continue;
        }
        if (node.outputTensors.length !== 1) {
          throw new QatkitError('UNSUPPORTED_LAYER', `layer "${prefix}${layer.name}" (class ${layer.getClassName()}) has ${node.outputTensors.length} outputs; qatkit supports layers with one output`);
        }
        const application = applications.get(layer) ?? 0;
        applications.set(layer, application + 1);
        const path = `${prefix}${layer.name}`;
        const id = unique(path);
        nodes.push({ id, path, layer, application, inputs: ins, shape: [...node.outputTensors[0]!.shape] });
        values.set(keyOf({ layer, nodeIndex, tensorIndex }), id);
      }
      return values.get(keyOf(root))!;
    };
    return m.outputs.map((t) => visit({ layer: t.sourceLayer, nodeIndex: t.nodeIndex, tensorIndex: t.tensorIndex }));
  }

  const outputs = walk(model, inputs.map((i) => i.id), '');
  return { name: model.name, inputs, nodes, outputs };
}

/** Nodes reading each value, for fusion decisions (a value read twice cannot be fused away). */
export function consumers(graph: LayerGraph): Map<string, GraphNode[]> {
  const out = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) for (const i of n.inputs) out.set(i, [...(out.get(i) ?? []), n]);
  return out;
}
