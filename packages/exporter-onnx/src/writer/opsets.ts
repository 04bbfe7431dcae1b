import { QatkitError } from '@qatkit/core';

/** The opsets this exporter writes: 13 brings per-axis QuantizeLinear/DequantizeLinear. */
export const MIN_OPSET = 13;
export const MAX_OPSET = 21;
export const DEFAULT_OPSET = 13;

/** What changes between the opsets we write, as data (onnx/defs and docs/Versioning.md). */
export interface OpsetFeatures {
  readonly opset: number;
  /** The IR version released with the opset (ModelProto.ir_version). */
  readonly irVersion: number;
  /** ReduceMean/ReduceMax take `axes` as an input from opset 18 (an attribute before). */
  readonly reduceAxesInput: boolean;
  /** HardSwish exists from opset 14; before, x · HardSigmoid(x). */
  readonly hardSwish: boolean;
  /** QuantizeLinear/DequantizeLinear accept int16 from opset 21. */
  readonly int16: boolean;
  /** ... and INT4/UINT4 (TensorProto types 22/21, IR version 10), packed two to a byte. */
  readonly int4: boolean;
}

const IR_VERSION: Readonly<Record<number, number>> = { 13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10 };

export function opsetFeatures(opset: unknown): OpsetFeatures {
  if (typeof opset !== 'number' || !Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new QatkitError(
      'INVALID_OPTION',
      `opset must be an integer from ${MIN_OPSET} (per-axis QuantizeLinear/DequantizeLinear) to ${MAX_OPSET}; got ${String(opset)}`,
    );
  }
  return { opset, irVersion: IR_VERSION[opset]!, reduceAxesInput: opset >= 18, hardSwish: opset >= 14, int16: opset >= 21, int4: opset >= 21 };
}
