/** What `readTflite` returns: plain data (JSON-friendly), indices into the subgraph's tensor list. */

/** A decoded option value: scalars, enum names (e.g. 'RELU6', 'SAME'), vectors of numbers, strings. */
export type TfliteOptionValue = number | boolean | string | readonly number[];

export interface TfliteQuantizationSummary {
  readonly scale: number[];
  readonly zeroPoint: number[];
  readonly quantizedDimension: number;
}

export interface TfliteTensorSummary {
  readonly name: string;
  readonly shape: number[];
  /** The shape with -1 for dimensions unknown at conversion time (e.g. a dynamic batch); absent when the file has none. */
  readonly shapeSignature?: number[];
  /** TensorType name, e.g. 'INT8', 'FLOAT32'. */
  readonly type: string;
  /** Present when the tensor has at least one scale. */
  readonly quantization?: TfliteQuantizationSummary;
  readonly buffer: number;
  /** The tensor's buffer holds constant data (inline, or by offset for >2 GB files). */
  readonly hasData: boolean;
  /** A state tensor the model reads and writes (e.g. LSTM and SVDF state). */
  readonly isVariable: boolean;
  /** Stored sparse (SparsityParameters present). */
  readonly sparse: boolean;
  /** Bytes of constant data (0 for activations). */
  readonly dataLength: number;
  /** Where the constant data starts in the file (absent for activations). */
  readonly dataOffset?: number;
  /**
   * The constant's values (shapes, axes, paddings, biases): int16/int32/int64/float32 constants of at
   * most VALUES_LIMIT elements, int8/uint8 constants of at most BYTE_VALUES_LIMIT (weights are read from the data).
   */
  readonly values?: number[];
  /** The true width of n-bit values stored in a wider type (qatkit's "qatkit.bits" metadata); absent otherwise. */
  readonly bits?: number;
}

export interface TfliteOperatorSummary {
  /** BuiltinOperator name, e.g. 'CONV_2D'; 'CUSTOM' for custom ops. */
  readonly opcode: string;
  readonly version: number;
  readonly customCode?: string;
  /** Tensor indices; -1 marks an omitted optional input. */
  readonly inputs: number[];
  readonly outputs: number[];
  /** Tensors the kernel uses internally (e.g. the gate outputs of an int8 LSTM). */
  readonly intermediates: number[];
  /** The BuiltinOptions table name, e.g. 'Conv2DOptions'; absent when the operator has none. */
  readonly optionsType?: string;
  /** Decoded builtin options, camelCase field names of schema.fbs, defaults filled in. */
  readonly options: Readonly<Record<string, TfliteOptionValue>>;
  /** Bytes of custom options (custom operators' opaque configuration). */
  readonly customOptionsLength: number;
}

export interface TfliteSubgraphSummary {
  readonly name: string;
  readonly inputs: number[];
  readonly outputs: number[];
  readonly tensors: TfliteTensorSummary[];
  readonly operators: TfliteOperatorSummary[];
}

export interface TfliteSummary {
  readonly version: number;
  readonly description: string;
  readonly subgraphs: TfliteSubgraphSummary[];
  /** Number of entries in the model's buffer table (including the empty buffer 0). */
  readonly buffers: number;
}

/** Constants up to this many elements have their values decoded (`TfliteTensorSummary.values`). */
export const VALUES_LIMIT = 4096;
/** The same for 8-bit constants, which are mostly weights. */
export const BYTE_VALUES_LIMIT = 256;

/** Bytes per element of the fixed-size TensorTypes; packed (INT4) and variable-size (STRING) types are absent. */
export const ELEMENT_BYTES: Readonly<Record<string, number>> = {
  FLOAT32: 4,
  FLOAT16: 2,
  BFLOAT16: 2,
  FLOAT64: 8,
  INT8: 1,
  UINT8: 1,
  BOOL: 1,
  INT16: 2,
  UINT16: 2,
  INT32: 4,
  UINT32: 4,
  INT64: 8,
  UINT64: 8,
  COMPLEX64: 8,
  COMPLEX128: 16,
};
