/**
 * The qatkit IR: a graph of integer ops over named tensors.
 *
 * Layout conventions (shared by every exporter and target profile):
 * - activations are NHWC, batch first, static shapes;
 * - Conv2D weights are OHWI `[outC, kh, kw, inC]`, quantized per axis 0;
 * - DepthwiseConv2D weights are `[1, kh, kw, inC * multiplier]`, quantized per axis 3;
 * - FullyConnected weights are `[out, in]`;
 * - biases are int32 with zero point 0 and scale = input scale × weight scale (per channel).
 */

export type DType = 'float32' | 'int8' | 'uint8' | 'int16' | 'int32';

export type TensorData = Float32Array | Int8Array | Uint8Array | Int16Array | Int32Array;

/** Affine quantization: real = (q - zeroPoint) × scale, per tensor or per `axis`. */
export interface Quantization {
  /** One entry per tensor, or one per slice along `axis`. */
  readonly scale: readonly number[];
  readonly zeroPoint: readonly number[];
  /** The quantized dimension when `scale` has more than one entry (or when per-axis with one channel). */
  readonly axis?: number;
  readonly bits: number;
  readonly signed: boolean;
  readonly narrowRange: boolean;
  /** The real range the parameters were derived from, kept for reports. */
  readonly min?: readonly number[];
  readonly max?: readonly number[];
}

export interface Tensor {
  /** Unique within the graph; ops refer to tensors by this name. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Present for constants (weights, biases, shape vectors). */
  readonly data?: TensorData;
  readonly quantization?: Quantization;
}

export type Padding = 'same' | 'valid';
/** Activations an op can apply to its own output before requantization. */
export type FusedActivation = 'none' | 'relu' | 'relu6';

export interface OpAttrs {
  Conv2D: { strides: [number, number]; dilations: [number, number]; padding: Padding; activation: FusedActivation };
  DepthwiseConv2D: {
    strides: [number, number];
    dilations: [number, number];
    padding: Padding;
    depthMultiplier: number;
    activation: FusedActivation;
  };
  FullyConnected: { activation: FusedActivation };
  MaxPool2D: { poolSize: [number, number]; strides: [number, number]; padding: Padding; activation: FusedActivation };
  AveragePool2D: { poolSize: [number, number]; strides: [number, number]; padding: Padding; activation: FusedActivation };
  Reshape: { shape: number[] };
  Softmax: { beta: number };
  Relu: Record<string, never>;
  Relu6: Record<string, never>;
  /** float → int, or int → int requantization (e.g. uint8 ↔ int8). */
  Quantize: Record<string, never>;
  Dequantize: Record<string, never>;
}

export type OpKind = keyof OpAttrs;

export const OP_KINDS = [
  'Conv2D',
  'DepthwiseConv2D',
  'FullyConnected',
  'MaxPool2D',
  'AveragePool2D',
  'Reshape',
  'Softmax',
  'Relu',
  'Relu6',
  'Quantize',
  'Dequantize',
] as const satisfies readonly OpKind[];

export type Op<K extends OpKind = OpKind> = {
  [P in K]: {
    readonly kind: P;
    /** Usually the source layer's name; unique within the graph. */
    readonly name: string;
    /** Tensor names. Conv-like ops: [input, weights, bias]. */
    readonly inputs: readonly string[];
    readonly outputs: readonly string[];
    readonly attrs: OpAttrs[P];
  };
}[K];

export interface Graph {
  readonly name: string;
  readonly tensors: Readonly<Record<string, Tensor>>;
  /** Topologically ordered. */
  readonly ops: readonly Op[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}
