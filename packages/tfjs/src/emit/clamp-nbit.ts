import { quantLevels, roundHalfAwayFromZero, type FusedActivation, type GraphBuilder, type Quantization } from '@qatkit/core';

/**
 * Narrow activations (scheme-nbit: fewer than 8 bits) are stored in int8 tensors, so they run on
 * the int8 kernels unchanged. But those kernels clamp their requantized output to the int8 range
 * [-128, 127] (or their fused activation's), while the fake-quant layer clamps to the n-bit levels:
 * a value beyond the learned range would come out of the device up to 2^(8-n) times further than
 * in training. So after each op whose output is narrower than its storage, the graph clamps it
 * explicitly: MAXIMUM / MINIMUM with a one-element int8 constant on the same grid (same scale and
 * zero point, so the kernel compares raw integers and copies them: exact on any runtime). In the IR,
 * not in one exporter, so every format gets the clamp.
 */

export interface ClampBounds {
  /** Raw integer bounds; absent where the op's own clamp already gives them. */
  readonly lower?: number;
  readonly upper?: number;
}

/** Range of the int8 storage every scheme's activations use today. */
const STORAGE = { qmin: -128, qmax: 127 };

/** Ops whose int8 kernel clamps to a ReLU / ReLU6 of the output, as a fused activation does. */
const RELU_OPS: Readonly<Record<string, FusedActivation>> = { Relu: 'relu', Relu6: 'relu6' };

/**
 * The clamp an op's output needs: the n-bit levels where the kernel's own clamp (TFLite's
 * CalculateActivationRangeQuantized: the storage range, narrowed by a fused ReLU to the zero point
 * and by ReLU6 to the level of 6.0) lets values through beyond them. Undefined when none is needed.
 */
export function clampBounds(q: Quantization, op: string, activation: FusedActivation): ClampBounds | undefined {
  if (q.scale.length !== 1 || !q.signed || q.bits >= 8) return undefined;
  const { qmin, qmax } = quantLevels({ bits: q.bits, signed: q.signed, narrowRange: q.narrowRange, symmetric: false });
  const act = RELU_OPS[op] ?? activation;
  const zp = q.zeroPoint[0]!;
  const kernelMin = act === 'none' ? STORAGE.qmin : Math.max(STORAGE.qmin, zp);
  const kernelMax = act === 'relu6' ? Math.min(STORAGE.qmax, zp + roundHalfAwayFromZero(6 / q.scale[0]!)) : STORAGE.qmax;
  const lower = kernelMin < qmin ? qmin : undefined;
  const upper = kernelMax > qmax ? qmax : undefined;
  if (lower === undefined && upper === undefined) return undefined;
  return { ...(lower === undefined ? {} : { lower }), ...(upper === undefined ? {} : { upper }) };
}

/** The per-tensor parameters of `q` without per-axis or report fields: a constant on the same grid. */
function gridOf(q: Quantization): Quantization {
  return { scale: [q.scale[0]!], zeroPoint: [q.zeroPoint[0]!], bits: q.bits, signed: q.signed, narrowRange: q.narrowRange };
}

/**
 * Adds MAXIMUM (lower bound) then MINIMUM (upper bound) from `from` into `to`, both on the grid `q`.
 * Tensors and ops are named after `name`; intermediate tensors take the shape `shape`.
 */
export function emitClamp(b: GraphBuilder, name: string, from: string, to: string, shape: readonly number[], q: Quantization, bounds: ClampBounds): void {
  const grid = gridOf(q);
  const steps: ['Maximum' | 'Minimum', number][] = [];
  if (bounds.lower !== undefined) steps.push(['Maximum', bounds.lower]);
  if (bounds.upper !== undefined) steps.push(['Minimum', bounds.upper]);
  let current = from;
  steps.forEach(([kind, bound], i) => {
    const suffix = kind === 'Maximum' ? 'nbit_min' : 'nbit_max';
    const constant = b.addTensor({ name: `${name}/${suffix}`, shape: [1], dtype: 'int8', data: Int8Array.of(bound), quantization: grid });
    const out = i === steps.length - 1 ? to : b.addTensor({ name: `${name}/${suffix}_clamped`, shape: [...shape], dtype: 'int8', quantization: grid });
    b.addOp(kind, `${name}/${suffix}`, [current, constant], [out], {});
    current = out;
  });
}
