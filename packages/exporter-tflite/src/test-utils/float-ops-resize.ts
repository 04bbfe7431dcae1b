import type { FloatTensor, PaddingMode } from './float-ops.js';

/**
 * Float reference kernels that change spatial size: nearest and bilinear resizing as TFLite's
 * reference kernels compute the source coordinates (float32 arithmetic, hence Math.fround), and
 * transposed convolution with OHWI weights.
 */

export interface ResizeMode {
  readonly alignCorners: boolean;
  readonly halfPixelCenters: boolean;
}

const f32 = Math.fround;

function scaleOf(inSize: number, outSize: number, alignCorners: boolean): number {
  return alignCorners && outSize > 1 ? f32((inSize - 1) / (outSize - 1)) : f32(inSize / outSize);
}

/** TFLite's GetNearestNeighbor (reference_ops.h). */
function nearest(v: number, inSize: number, outSize: number, m: ResizeMode): number {
  const scale = scaleOf(inSize, outSize, m.alignCorners);
  const pos = f32(f32(v + (m.halfPixelCenters ? 0.5 : 0)) * scale);
  // TfLiteRound rounds half away from zero; pos is never negative here.
  const idx = Math.min(m.alignCorners ? Math.floor(pos + 0.5) : Math.floor(pos), inSize - 1);
  return m.halfPixelCenters ? Math.max(0, idx) : idx;
}

/** TFLite's ComputeInterpolationValues: the real source coordinate and its two neighbours. */
function interpolation(v: number, inSize: number, outSize: number, m: ResizeMode): { at: number; lo: number; hi: number } {
  const scale = scaleOf(inSize, outSize, m.alignCorners);
  const at = m.halfPixelCenters ? f32(f32(f32(v + 0.5) * scale) - 0.5) : f32(v * scale);
  return { at, lo: Math.max(Math.floor(at), 0), hi: Math.min(Math.ceil(at), inSize - 1) };
}

export function resizeNearest(x: FloatTensor, outH: number, outW: number, m: ResizeMode): FloatTensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const data = new Float32Array(n * outH * outW * c);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < outH; y++) {
      const sy = nearest(y, h, outH, m);
      for (let xx = 0; xx < outW; xx++) {
        const sx = nearest(xx, w, outW, m);
        for (let ch = 0; ch < c; ch++) data[o++] = x.data[((b * h + sy) * w + sx) * c + ch]!;
      }
    }
  }
  return { data, shape: [n, outH, outW, c] };
}

export function resizeBilinear(x: FloatTensor, outH: number, outW: number, m: ResizeMode): FloatTensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const data = new Float32Array(n * outH * outW * c);
  const at = (b: number, y: number, xx: number, ch: number) => x.data[((b * h + y) * w + xx) * c + ch]!;
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < outH; y++) {
      const iy = interpolation(y, h, outH, m);
      const dy = iy.at - iy.lo;
      for (let xx = 0; xx < outW; xx++) {
        const ix = interpolation(xx, w, outW, m);
        const dx = ix.at - ix.lo;
        for (let ch = 0; ch < c; ch++) {
          data[o++] =
            at(b, iy.lo, ix.lo, ch) * (1 - dy) * (1 - dx) +
            at(b, iy.hi, ix.lo, ch) * dy * (1 - dx) +
            at(b, iy.lo, ix.hi, ch) * (1 - dy) * dx +
            at(b, iy.hi, ix.hi, ch) * dy * dx;
        }
      }
    }
  }
  return { data, shape: [n, outH, outW, c] };
}

/**
 * Transposed convolution: every input pixel scatters input × weights[oc, ky, kx, ic] onto the
 * output at (iy·stride − padTop + ky, ix·stride − padLeft + kx). The padding is that of the forward
 * convolution from the output back to the input, as TFLite computes it.
 */
export function transposeConv2d(
  x: FloatTensor,
  w: FloatTensor,
  bias: Float32Array | undefined,
  strides: readonly [number, number],
  padding: PaddingMode,
  outShape: readonly number[],
): FloatTensor {
  const [n, h, wd, c] = x.shape as [number, number, number, number];
  const [outC, kh, kw] = w.shape as [number, number, number, number];
  const [, oh, ow] = outShape as [number, number, number, number];
  // The forward convolution maps the output back onto the input size (core checks it), so its
  // padding follows from the input size; VALID never needs any.
  const before = (inSize: number, outSize: number, k: number, s: number) =>
    padding === 'valid' ? 0 : Math.floor(Math.max((inSize - 1) * s + k - outSize, 0) / 2);
  const top = before(h, oh, kh, strides[0]);
  const left = before(wd, ow, kw, strides[1]);
  const out = new Float64Array(n * oh * ow * outC);
  for (let b = 0; b < n; b++) {
    for (let iy = 0; iy < h; iy++) {
      for (let ix = 0; ix < wd; ix++) {
        for (let ky = 0; ky < kh; ky++) {
          const oy = iy * strides[0] - top + ky;
          if (oy < 0 || oy >= oh) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ox = ix * strides[1] - left + kx;
            if (ox < 0 || ox >= ow) continue;
            for (let oc = 0; oc < outC; oc++) {
              let acc = 0;
              for (let ic = 0; ic < c; ic++) acc += x.data[((b * h + iy) * wd + ix) * c + ic]! * w.data[((oc * kh + ky) * kw + kx) * c + ic]!;
              out[((b * oh + oy) * ow + ox) * outC + oc] += acc;
            }
          }
        }
      }
    }
  }
  const data = Float32Array.from(out, (v, i) => v + (bias ? bias[i % outC]! : 0));
  return { data, shape: [n, oh, ow, outC] };
}
