/**
 * The model a deployment target checks: the deployable file's graph as plain data, in TFLite terms
 * (every target qatkit knows consumes .tflite). `readTflite` from @qatkit/exporter-tflite returns
 * exactly this shape; tests and other readers may build it by hand. Tensors are referred to by
 * their index in the subgraph's `tensors`, -1 marking an omitted optional input.
 */

/** A decoded builtin option: scalars, enum names ('RELU6', 'SAME'), vectors of numbers, strings. */
export type ModelOptionValue = number | boolean | string | readonly number[];

export interface ModelQuantization {
  /** One scale per tensor, or one per slice along `quantizedDimension` (per-axis). */
  readonly scale: readonly number[];
  readonly zeroPoint: readonly number[];
  readonly quantizedDimension: number;
}

export interface ModelTensor {
  readonly name: string;
  readonly shape: readonly number[];
  /** The shape with -1 for sizes unknown at conversion time (dynamic batch). */
  readonly shapeSignature?: readonly number[];
  /** TFLite TensorType name: 'INT8', 'UINT8', 'INT16', 'INT32', 'INT64', 'FLOAT32', 'FLOAT16', 'BOOL', … */
  readonly type: string;
  readonly quantization?: ModelQuantization;
  /** Constant data in the file (weights, biases, shapes): a compile-time constant. */
  readonly hasData: boolean;
  /** State read and written by the model (LSTM/SVDF state). */
  readonly isVariable?: boolean;
  /** Bytes of constant data. */
  readonly dataLength?: number;
  /** The constant's values when small (shapes, axes, paddings, biases). */
  readonly values?: readonly number[];
  /**
   * The true width of n-bit values stored in a wider type (4-bit weights in an INT8 tensor), from
   * qatkit's "qatkit.bits" metadata; absent when the values use the whole type.
   */
  readonly bits?: number;
}

export interface ModelOperator {
  /** BuiltinOperator name ('CONV_2D'), or 'CUSTOM' with `customCode`. */
  readonly opcode: string;
  readonly version: number;
  readonly customCode?: string;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly intermediates?: readonly number[];
  /** Decoded builtin options (camelCase schema.fbs names, defaults filled in). */
  readonly options?: Readonly<Record<string, ModelOptionValue>>;
}

export interface ModelSubgraph {
  readonly name?: string;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly tensors: readonly ModelTensor[];
  /** In execution order. */
  readonly operators: readonly ModelOperator[];
}

export interface TargetModel {
  readonly description?: string;
  /** Subgraph 0 is the main graph; others are control-flow bodies. */
  readonly subgraphs: readonly ModelSubgraph[];
}

/** An operator with its tensors resolved, as rules see it. */
export interface OpContext {
  readonly model: TargetModel;
  readonly subgraph: ModelSubgraph;
  readonly subgraphIndex: number;
  readonly index: number;
  readonly op: ModelOperator;
  /** Same positions as `op.inputs`; `undefined` for an omitted optional input. */
  readonly inputs: readonly (ModelTensor | undefined)[];
  readonly outputs: readonly ModelTensor[];
  readonly options: Readonly<Record<string, ModelOptionValue>>;
}

/** 'CONV_2D', or 'CUSTOM:ethos-u' for a custom operator: the key of profile op tables. */
export function opKey(op: ModelOperator): string {
  return op.opcode === 'CUSTOM' ? `CUSTOM:${op.customCode ?? ''}` : op.opcode;
}

export function opContext(model: TargetModel, subgraphIndex: number, index: number): OpContext {
  const subgraph = model.subgraphs[subgraphIndex]!;
  const op = subgraph.operators[index]!;
  return {
    model,
    subgraph,
    subgraphIndex,
    index,
    op,
    inputs: op.inputs.map((t) => (t < 0 ? undefined : subgraph.tensors[t])),
    outputs: op.outputs.map((t) => subgraph.tensors[t]!),
    options: op.options ?? {},
  };
}
