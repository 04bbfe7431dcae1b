/**
 * The qatkit IR: a graph of integer ops over named tensors.
 *
 * Layout conventions (shared by every exporter and target profile):
 * - activations are NHWC, batch first, static shapes;
 * - Conv2D weights are OHWI `[outC, kh, kw, inC]`, quantized per axis 0;
 * - DepthwiseConv2D weights are `[1, kh, kw, inC * multiplier]`, quantized per axis 3;
 * - FullyConnected weights are `[out, in]`;
 * - TransposeConv2D weights are OHWI `[outC, kh, kw, inC]`, quantized per axis 0;
 * - a float32 graph (no quantization anywhere) is the float model, exported as a float file;
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
  /**
   * Inputs [input, weights, bias?]; weights OHWI `[outC, kh, kw, inC]` per axis 0. The output
   * shape is the output tensor's (TFLite takes it as a constant input).
   */
  TransposeConv2D: { strides: [number, number]; padding: Padding; activation: FusedActivation };
  /** `keepNumDims`: [..., in] → [..., out] (rank-3 Dense); otherwise the output is [rows, out]. */
  FullyConnected: { activation: FusedActivation; keepNumDims?: boolean };
  MaxPool2D: { poolSize: [number, number]; strides: [number, number]; padding: Padding; activation: FusedActivation };
  AveragePool2D: { poolSize: [number, number]; strides: [number, number]; padding: Padding; activation: FusedActivation };
  Reshape: { shape: number[] };
  Softmax: { beta: number };
  Relu: Record<string, never>;
  Relu6: Record<string, never>;
  /** Elementwise with numpy broadcasting; the second input may be a constant (e.g. a folded BatchNorm's scale). */
  Add: { activation: FusedActivation };
  Sub: { activation: FusedActivation };
  Mul: { activation: FusedActivation };
  /** Same-scale: inputs and output share scale and zero point. */
  Maximum: Record<string, never>;
  Minimum: Record<string, never>;
  /** Same-scale: every input and the output share scale and zero point. */
  Concatenation: { axis: number; activation: FusedActivation };
  /** Average over `axes` (GlobalAveragePooling2D: [1, 2]; negative axes count from the end); output free. */
  Mean: { axes: number[]; keepDims: boolean };
  /** Same-scale max over `axes` (GlobalMaxPooling2D). */
  ReduceMax: { axes: number[]; keepDims: boolean };
  /** Same-scale; `paddings[d]` = [before, after] for dimension d; pads with real 0. */
  Pad: { paddings: [number, number][] };
  /** Same-scale; `begin` and `size` per dimension (Cropping2D); a `size` of -1 takes the rest of that dimension. */
  Slice: { begin: number[]; size: number[] };
  /** Same-scale; output spatial size from the output tensor's shape. */
  ResizeNearestNeighbor: { alignCorners: boolean; halfPixelCenters: boolean };
  ResizeBilinear: { alignCorners: boolean; halfPixelCenters: boolean };
  /** Same-scale permutation of dimensions. */
  Transpose: { perm: number[] };
  /** Output fixed at (1/256, -128) for int8. */
  Logistic: Record<string, never>;
  /** Output fixed at (1/128, 0) for int8. */
  Tanh: Record<string, never>;
  LeakyRelu: { alpha: number };
  /** Inputs [x, alpha]: alpha a constant broadcast over x (per channel for Keras PReLU). */
  Prelu: Record<string, never>;
  Elu: Record<string, never>;
  /** x · relu6(x + 3) / 6. */
  HardSwish: Record<string, never>;
  /** float → int, or int → int requantization (e.g. uint8 ↔ int8). */
  Quantize: Record<string, never>;
  Dequantize: Record<string, never>;
}

export type OpKind = keyof OpAttrs;

export const OP_KINDS = [
  'Conv2D',
  'DepthwiseConv2D',
  'TransposeConv2D',
  'FullyConnected',
  'MaxPool2D',
  'AveragePool2D',
  'Reshape',
  'Softmax',
  'Relu',
  'Relu6',
  'Add',
  'Sub',
  'Mul',
  'Maximum',
  'Minimum',
  'Concatenation',
  'Mean',
  'ReduceMax',
  'Pad',
  'Slice',
  'ResizeNearestNeighbor',
  'ResizeBilinear',
  'Transpose',
  'Logistic',
  'Tanh',
  'LeakyRelu',
  'Prelu',
  'Elu',
  'HardSwish',
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
