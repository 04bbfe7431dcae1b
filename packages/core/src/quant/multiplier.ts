/**
 * Fixed-point requantization as TFLite's integer kernels do it: a real multiplier M (e.g.
 * inputScale × weightScale / outputScale) becomes a Q31 integer and a power-of-two shift with
 * M ≈ multiplier × 2^(shift - 31).
 */
export interface QuantizedMultiplier {
  /** In [2^30, 2^31), or 0. */
  readonly multiplier: number;
  /** Left shift (negative = right shift). */
  readonly shift: number;
}

/** Splits x into a significand in [0.5, 1) and an exponent (C's frexp). */
export function frexp(x: number): { significand: number; exponent: number } {
  if (x === 0 || !Number.isFinite(x)) return { significand: x, exponent: 0 };
  const abs = Math.abs(x);
  let exponent = Math.max(-1023, Math.floor(Math.log2(abs)) + 1);
  let significand = abs * 2 ** -exponent;
  // log2 can be off by one near powers of two.
  while (significand < 0.5) { significand *= 2; exponent--; }
  while (significand >= 1) { significand /= 2; exponent++; }
  return { significand: x < 0 ? -significand : significand, exponent };
}

export function quantizeMultiplier(real: number): QuantizedMultiplier {
  if (real === 0) return { multiplier: 0, shift: 0 };
  const { significand, exponent } = frexp(real);
  let q = Math.round(significand * 2 ** 31);
  let shift = exponent;
  if (q === 2 ** 31) { q /= 2; shift++; }
  if (shift < -31) return { multiplier: 0, shift: 0 };
  return { multiplier: q, shift };
}

/**
 * x × M with TFLite's rounding (SaturatingRoundingDoublingHighMul then RoundingDivideByPOT),
 * for a reference integer pipeline. Uses BigInt for the 64-bit product.
 */
export function multiplyByQuantizedMultiplier(x: number, m: QuantizedMultiplier): number {
  const leftShift = m.shift > 0 ? m.shift : 0;
  const rightShift = m.shift > 0 ? 0 : -m.shift;
  const a = BigInt(x) * 2n ** BigInt(leftShift);
  const b = BigInt(m.multiplier);
  const INT32_MAX = 2147483647n;
  const INT32_MIN = -2147483648n;
  const sat = (v: bigint) => (v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : v);
  const aa = sat(a);
  if (aa === INT32_MIN && b === INT32_MIN) return Number(INT32_MAX);
  const ab = aa * b;
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  // Division truncating toward zero, as in C.
  const high = (ab + nudge) / (1n << 31n);
  if (rightShift === 0) return Number(high);
  const mask = (1n << BigInt(rightShift)) - 1n;
  const remainder = high & mask;
  const threshold = (mask >> 1n) + (high < 0n ? 1n : 0n);
  return Number((high >> BigInt(rightShift)) + (remainder > threshold ? 1n : 0n));
}
