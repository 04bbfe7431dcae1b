/**
 * Plain float NHWC kernels for reference results in tests: slow, obvious loops that follow
 * TensorFlow's semantics (SAME padding puts the odd pixel after, average pooling counts only
 * in-bounds pixels).
 */

export interface FloatTensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

export type Activation = 'none' | 'relu' | 'relu6';
export type PaddingMode = 'same' | 'valid';

export function activate(x: FloatTensor, a: Activation): FloatTensor {
  if (a === 'none') return x;
  const hi = a === 'relu6' ? 6 : Infinity;
  return { shape: x.shape, data: x.data.map((v) => Math.min(Math.max(v, 0), hi)) };
}

/** Output size and the padding before the first pixel, as TensorFlow computes them. */
function window(inSize: number, k: number, stride: number, dilation: number, padding: PaddingMode): { out: number; before: number } {
  const span = (k - 1) * dilation + 1;
  if (padding === 'valid') return { out: Math.floor((inSize - span) / stride) + 1, before: 0 };
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + span - inSize, 0);
  return { out, before: Math.floor(total / 2) };
}

export interface ConvParams {
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  readonly padding: PaddingMode;
  /** Depthwise only: output channel c·m + j reads input channel c. */
  readonly depthMultiplier?: number;
}

/**
 * Conv2D with OHWI weights, or depthwise with [1, kh, kw, C·m] weights when
 * `depthMultiplier` is given.
 */
export function conv2d(x: FloatTensor, w: FloatTensor, bias: Float32Array | undefined, p: ConvParams): FloatTensor {
  const [n, h, wd, c] = x.shape as [number, number, number, number];
  const depthwise = p.depthMultiplier !== undefined;
  const [, kh, kw] = w.shape as [number, number, number, number];
  const outC = depthwise ? w.shape[3]! : w.shape[0]!;
  const rows = window(h, kh, p.strides[0], p.dilations[0], p.padding);
  const cols = window(wd, kw, p.strides[1], p.dilations[1], p.padding);
  const out = new Float32Array(n * rows.out * cols.out * outC);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < rows.out; y++) {
      for (let x0 = 0; x0 < cols.out; x0++) {
        for (let oc = 0; oc < outC; oc++) {
          let acc = bias ? bias[oc]! : 0;
          for (let i = 0; i < kh; i++) {
            const iy = y * p.strides[0] + i * p.dilations[0] - rows.before;
            if (iy < 0 || iy >= h) continue;
            for (let j = 0; j < kw; j++) {
              const ix = x0 * p.strides[1] + j * p.dilations[1] - cols.before;
              if (ix < 0 || ix >= wd) continue;
              const base = ((b * h + iy) * wd + ix) * c;
              if (depthwise) {
                const ic = Math.floor(oc / p.depthMultiplier!);
                acc += x.data[base + ic]! * w.data[(i * kw + j) * outC + oc]!;
              } else {
                for (let ic = 0; ic < c; ic++) acc += x.data[base + ic]! * w.data[((oc * kh + i) * kw + j) * c + ic]!;
              }
            }
          }
          out[o++] = acc;
        }
      }
    }
  }
  return { data: out, shape: [n, rows.out, cols.out, outC] };
}

/** Weights [out, in]; the input is read as rows of `in` values (TFLite's implicit flatten). */
export function fullyConnected(x: FloatTensor, w: FloatTensor, bias: Float32Array | undefined): FloatTensor {
  const [outN, inN] = w.shape as [number, number];
  const rows = x.data.length / inN;
  const out = new Float32Array(rows * outN);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outN; o++) {
      let acc = bias ? bias[o]! : 0;
      for (let i = 0; i < inN; i++) acc += x.data[r * inN + i]! * w.data[o * inN + i]!;
      out[r * outN + o] = acc;
    }
  }
  return { data: out, shape: [rows, outN] };
}

export function pool2d(
  x: FloatTensor,
  kind: 'max' | 'average',
  size: readonly [number, number],
  strides: readonly [number, number],
  padding: PaddingMode,
): FloatTensor {
  const [n, h, wd, c] = x.shape as [number, number, number, number];
  const rows = window(h, size[0], strides[0], 1, padding);
  const cols = window(wd, size[1], strides[1], 1, padding);
  const out = new Float32Array(n * rows.out * cols.out * c);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < rows.out; y++) {
      for (let x0 = 0; x0 < cols.out; x0++) {
        for (let ch = 0; ch < c; ch++) {
          let acc = kind === 'max' ? -Infinity : 0;
          let count = 0;
          for (let i = 0; i < size[0]; i++) {
            const iy = y * strides[0] + i - rows.before;
            if (iy < 0 || iy >= h) continue;
            for (let j = 0; j < size[1]; j++) {
              const ix = x0 * strides[1] + j - cols.before;
              if (ix < 0 || ix >= wd) continue;
              const v = x.data[((b * h + iy) * wd + ix) * c + ch]!;
              acc = kind === 'max' ? Math.max(acc, v) : acc + v;
              count++;
            }
          }
          out[o++] = kind === 'max' ? acc : acc / count;
        }
      }
    }
  }
  return { data: out, shape: [n, rows.out, cols.out, c] };
}

/** Softmax over the last axis. */
export function softmax(x: FloatTensor, beta: number): FloatTensor {
  const depth = x.shape[x.shape.length - 1]!;
  const out = new Float32Array(x.data.length);
  for (let r = 0; r < x.data.length / depth; r++) {
    const row = x.data.subarray(r * depth, (r + 1) * depth);
    const max = Math.max(...row);
    let sum = 0;
    for (let i = 0; i < depth; i++) sum += out[r * depth + i] = Math.exp(beta * (row[i]! - max));
    for (let i = 0; i < depth; i++) out[r * depth + i] /= sum;
  }
  return { data: out, shape: x.shape };
}
