import { activations, isFloat, isPerAxis, narrowStorage, quantizationRefusal, shapeText, type OpContext, type TargetRule } from '@qatkit/core';

/** The VX delegate has no settings that change placement. */
export type Imx8mpConfig = Record<string, never>;
export type Rule = TargetRule<Imx8mpConfig>;

export const OP_MAP = 'github.com/nxp-imx/tflite-vx-delegate-imx @ 44aab8a (lf-6.6.3_1.0.0) op_map.cc';
export const src = { source: `${OP_MAP} (OpMapperBase::IsSupported and the op's IsOpSupported)`, confidence: 'SRC' } as const;

const inputsOf = (c: OpContext) => c.inputs.filter((t) => t !== undefined);

/** VX-G1: the delegate-level checks every op passes (op_map.cc, OpMapperBase::IsSupported). */
export const GENERAL: readonly Rule[] = [
  {
    id: 'VX-G1-INT64',
    rule: 'Reject if any input is int64 (except BROADCAST_TO) or string.',
    effect: 'cpu',
    ...src,
    test: (c) => {
      const t = inputsOf(c).find((x) => (x!.type === 'INT64' && c.op.opcode !== 'BROADCAST_TO') || x!.type === 'STRING');
      return t ? `${t.type} input "${t.name}"` : undefined;
    },
  },
  {
    id: 'VX-G1-RANK',
    rule: 'Reject if any input has rank > 6.',
    effect: 'cpu',
    ...src,
    test: (c) => {
      const t = inputsOf(c).find((x) => x!.shape.length > 6);
      return t ? `input ${shapeText(t.shape)} has rank ${t.shape.length} > 6` : undefined;
    },
  },
  {
    id: 'VX-G1-DIMS',
    rule: 'Reject if any input/output dimension is 0, or any input dimension after the first is > 65535 ("tensor height/width > 65535").',
    effect: 'cpu',
    ...src,
    test: (c) => {
      const zero = [...inputsOf(c), ...c.outputs].find((x) => x!.shape.includes(0));
      if (zero) return `tensor "${zero.name}" ${shapeText(zero.shape)} has a zero dimension`;
      const big = inputsOf(c).find((x) => x!.shape.slice(1).some((d) => d > 65535));
      return big ? `input ${shapeText(big.shape)} has a dimension > 65535` : undefined;
    },
  },
  {
    id: 'VX-G1-OUTPUT',
    rule: 'Int16 output is not supported (nor int64 outputs).',
    effect: 'cpu',
    status: 'Int16 output is not supported',
    fix: 'quantize activations to int8 (8x8), not 16x8',
    ...src,
    test: (c) => {
      const t = c.outputs.find((x) => x.type === 'INT16' || x.type === 'INT64');
      return t ? `${t.type} output "${t.name}" ${shapeText(t.shape)}` : undefined;
    },
  },
  {
    id: 'TFLITE-QUANT-DIM',
    rule: 'quantized_dimension must be in range [0, rank), and a per-axis tensor needs one scale per slice (TFLite interpreter).',
    effect: 'blocks',
    status: 'quantized_dimension must be in range [0, rank)',
    fix: "rewrite the tensor's quantized_dimension to a valid axis (0 for a 1-D bias)",
    source: "tensorflow/lite/core/interpreter_builder.cc ParseQuantization (whether NXP's TFLite build has this check is not confirmed)",
    confidence: 'UNCONFIRMED',
    test: (c) => quantizationRefusal(c),
  },
  {
    id: 'VX-G4',
    rule: 'Per-channel quantization is accepted but slow on VeriSilicon NPUs (A311D, TIM-VX: ResNet50 int8 per-channel 525.3 ms vs per-tensor 20.0 ms).',
    effect: 'warn',
    fix: 'run QAT with per-tensor weights: default8bit({ perAxis: false }) or quantizeModel(model, { targets: [imx8mp()] })',
    source: 'opencv/opencv#21372, opencv/opencv_zoo#90, VeriSilicon/TIM-VX#436, PaddlePaddle/Paddle-Lite#10244, wiki.st.com STM32MP2_NPU_description (same NPU family; an NXP statement for the i.MX 8M Plus was not found)',
    confidence: 'SEC',
    test: (c) => {
      const w = c.inputs.find((t) => t?.hasData && (t.type === 'INT8' || t.type === 'UINT8') && isPerAxis(t));
      return w ? `per-channel weights "${w.name}" (${w.quantization!.scale.length} scales)` : undefined;
    },
  },
  {
    id: 'VX-G7',
    rule: 'Float32 ops are delegated, but float work does not run on the int8/int16 NN core and is far slower (A311D: 191.7 ms with the VX delegate vs 48.1 ms on 4 CPU threads).',
    effect: 'warn',
    fix: 'quantize the model to int8',
    source: 'VeriSilicon/TIM-VX#121 (same NPU family; i.MX 8M Plus figures not confirmed)',
    confidence: 'SEC',
    test: (c) => {
      if (c.op.opcode === 'QUANTIZE' || c.op.opcode === 'DEQUANTIZE') return undefined;
      const t = activations(c).find(isFloat);
      return t ? `${t.type} tensor "${t.name}"` : undefined;
    },
  },
  {
    // Stays on the NPU ('info'): the values are ordinary int8 to the delegate.
    id: 'VX-NBIT',
    rule: 'Data types mapped to the NPU graph: float32, float16, int32, uint8, int8, int16, bool (VX-G2); there is no narrower type, so n-bit values stored as int8 run on the 8-bit NN core: no size or speed gain on this device.',
    effect: 'info',
    source: 'github.com/nxp-imx/tflite-vx-delegate-imx @ 44aab8a delegate_main.cc (TfLiteDtypeToVsiDtype; "qatkit.bits" metadata is not read)',
    confidence: 'SRC',
    test: (c) => narrowStorage(c),
  },
];
