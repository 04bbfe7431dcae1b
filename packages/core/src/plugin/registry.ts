import type { OpKind } from '../ir/types.js';
import type { QuantizerSpec } from '../quant/range.js';

/**
 * What the registry sees of a layer: its class (Keras/tfjs class name), instance name and
 * serialized config. Framework-neutral, so registries never import tfjs.
 */
export interface LayerDescriptor {
  readonly className: string;
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** Where a layer's output gets its quantization parameters. */
export type OutputRule =
  /** A range learned during QAT (moving average of batch min/max). */
  | { readonly kind: 'learned'; readonly quantizer: QuantizerSpec }
  /** Reuses the input's parameters: the op only moves or selects values (max-pool, reshape). */
  | { readonly kind: 'same-as-input' }
  /** Fixed by the target's kernels, e.g. softmax's (1/256, -128). */
  | { readonly kind: 'fixed'; readonly scale: number; readonly zeroPoint: number; readonly quantizer: QuantizerSpec }
  /** The layer disappears in the integer graph (dropout at inference). */
  | { readonly kind: 'identity' };

/** How to quantize one layer: data, not code. */
export interface QuantizeSpec {
  /**
   * The IR op the layer becomes; `Identity` when it vanishes at inference (Dropout), `Input` for
   * the graph input, `BatchNorm` for a BatchNormalization (folded into the op before it).
   */
  readonly op: OpKind | 'Input' | 'Identity' | 'BatchNorm';
  /** Weight name (as the framework calls it, e.g. `kernel`) → how it is quantized. */
  readonly weights: Readonly<Record<string, WeightRule>>;
  readonly output: OutputRule;
  /** Activation functions the layer may carry in its own config, and how each is handled. */
  readonly activations?: Readonly<Record<string, ActivationRule>>;
}

export interface WeightRule {
  readonly quantizer: QuantizerSpec;
  /** Per-channel along the framework's output-channel axis (e.g. the last axis of a tfjs conv kernel). */
  readonly perAxis: boolean;
}

/**
 * An activation in a layer's config: `fused` runs inside the op (TFLite fused activation, output
 * range learned after it); `separate` becomes its own op after a learned pre-activation range.
 */
export type ActivationRule =
  | { readonly kind: 'fused'; readonly as: 'none' | 'relu' | 'relu6' }
  /** Looked up as a layer of class `layer` with `config` (e.g. Activation with { activation: 'sigmoid' }). */
  | { readonly kind: 'separate'; readonly layer: string; readonly config?: Readonly<Record<string, unknown>> };

/**
 * A producer followed by an activation layer becomes one op with a fused activation, so no
 * quantizer sits between them (tfmot's LayerReLUQuantize). The fused activation is the
 * activation layer's own spec op (Relu → relu, Relu6 → relu6).
 */
export interface FusionRule {
  /** Producer layer classes, e.g. Conv2D, Dense. */
  readonly producers: readonly string[];
  /** Activation layer classes that fuse into them, e.g. ReLU, Activation (when their spec op is Relu or Relu6). */
  readonly activations: readonly string[];
  /** The producer's own `activation` config must be one of these (usually only 'linear'). */
  readonly whenProducerActivation: readonly string[];
  /**
   * BatchNormalization right after the producer (on its last axis) is folded into its weights,
   * in training and in the export, before any activation fusion.
   */
  readonly foldBatchNorm?: boolean;
}

export interface QuantizeRegistry {
  /** `undefined` means unsupported: callers report the layer and how to register a rule for it. */
  lookup(layer: LayerDescriptor): QuantizeSpec | undefined;
  /** Class names this registry knows, for error messages and docs. */
  supportedLayers(): readonly string[];
  /**
   * For a layer whose class is known but whose settings no rule covers: those settings and the
   * supported values, e.g. `maxValue 3 (supported: null, 6)`. Optional; used in error messages.
   */
  explainMismatch?(layer: LayerDescriptor): string | undefined;
}
