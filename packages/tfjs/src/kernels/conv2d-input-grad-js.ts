import { type ConvGeometry, validOutRange } from './conv-geometry.js';

// The input gradient scatters, per filter tap (kh, kw), dy[p, :] . W[kh, kw, ci, :] into dx at the
// input pixel that output pixel p read. Tiles of 4 pixels x 4 input channels keep 16 sums in registers
// (8 loads per 16 multiply-adds); `wAt` indexes W[kh, kw, ci, 0] and W rows are `outC` long.

function px4ci4(
  dx: Float32Array, dy: Float32Array, w: Float32Array,
  xi: number, xs: number, di: number, ds: number, wAt: number, outC: number,
): void {
  let a00 = 0, a01 = 0, a02 = 0, a03 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0;
  let a20 = 0, a21 = 0, a22 = 0, a23 = 0, a30 = 0, a31 = 0, a32 = 0, a33 = 0;
  const w1 = wAt + outC, w2 = w1 + outC, w3 = w2 + outC;
  for (let co = 0; co < outC; co++) {
    const d0 = dy[di + co], d1 = dy[di + ds + co], d2 = dy[di + 2 * ds + co], d3 = dy[di + 3 * ds + co];
    const f0 = w[wAt + co], f1 = w[w1 + co], f2 = w[w2 + co], f3 = w[w3 + co];
    a00 += d0 * f0; a01 += d0 * f1; a02 += d0 * f2; a03 += d0 * f3;
    a10 += d1 * f0; a11 += d1 * f1; a12 += d1 * f2; a13 += d1 * f3;
    a20 += d2 * f0; a21 += d2 * f1; a22 += d2 * f2; a23 += d2 * f3;
    a30 += d3 * f0; a31 += d3 * f1; a32 += d3 * f2; a33 += d3 * f3;
  }
  dx[xi] += a00; dx[xi + 1] += a01; dx[xi + 2] += a02; dx[xi + 3] += a03; xi += xs;
  dx[xi] += a10; dx[xi + 1] += a11; dx[xi + 2] += a12; dx[xi + 3] += a13; xi += xs;
  dx[xi] += a20; dx[xi + 1] += a21; dx[xi + 2] += a22; dx[xi + 3] += a23; xi += xs;
  dx[xi] += a30; dx[xi + 1] += a31; dx[xi + 2] += a32; dx[xi + 3] += a33;
}

function px4ci1(
  dx: Float32Array, dy: Float32Array, w: Float32Array,
  xi: number, xs: number, di: number, ds: number, wAt: number, outC: number,
): void {
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  for (let co = 0; co < outC; co++) {
    const f = w[wAt + co];
    a0 += dy[di + co] * f; a1 += dy[di + ds + co] * f; a2 += dy[di + 2 * ds + co] * f; a3 += dy[di + 3 * ds + co] * f;
  }
  dx[xi] += a0; dx[xi + xs] += a1; dx[xi + 2 * xs] += a2; dx[xi + 3 * xs] += a3;
}

function px1ci4(dx: Float32Array, dy: Float32Array, w: Float32Array, xi: number, di: number, wAt: number, outC: number): void {
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  const w1 = wAt + outC, w2 = w1 + outC, w3 = w2 + outC;
  for (let co = 0; co < outC; co++) {
    const d = dy[di + co];
    a0 += d * w[wAt + co]; a1 += d * w[w1 + co]; a2 += d * w[w2 + co]; a3 += d * w[w3 + co];
  }
  dx[xi] += a0; dx[xi + 1] += a1; dx[xi + 2] += a2; dx[xi + 3] += a3;
}

function px1ci1(dx: Float32Array, dy: Float32Array, w: Float32Array, xi: number, di: number, wAt: number, outC: number): void {
  let a = 0;
  for (let co = 0; co < outC; co++) a += dy[di + co] * w[wAt + co];
  dx[xi] += a;
}

/**
 * Conv2D input gradient, NHWC: dx[n,ih,iw,ci] = sum over taps and co of dy[n,oh,ow,co] * W[kh,kw,ci,co]
 * where ih = oh*strideH - padTop + kh*dilH. Handles any stride/dilation/padding.
 */
export function conv2dInputGradJs(g: ConvGeometry, dy: Float32Array, w: Float32Array, dx: Float32Array): void {
  const { inH, inW, inC, outH, outW, outC } = g;
  dx.fill(0);
  const ci4 = inC - (inC % 4);
  const xRow = inW * inC;
  const dyRow = outW * outC;
  const xs = g.strideW * inC; // dx step between neighbouring output columns
  for (let n = 0; n < g.batch; n++) {
    for (let kh = 0; kh < g.kH; kh++) {
      const [oh0, oh1] = validOutRange(inH, outH, g.strideH, g.padTop, kh * g.dilH);
      for (let kw = 0; kw < g.kW; kw++) {
        const [ow0, ow1] = validOutRange(inW, outW, g.strideW, g.padLeft, kw * g.dilW);
        if (ow1 <= ow0) continue;
        const wTap = (kh * g.kW + kw) * inC * outC;
        for (let oh = oh0; oh < oh1; oh++) {
          const ih = oh * g.strideH - g.padTop + kh * g.dilH;
          const iw0 = ow0 * g.strideW - g.padLeft + kw * g.dilW;
          let xi = (n * inH + ih) * xRow + iw0 * inC;
          let di = (n * outH + oh) * dyRow + ow0 * outC;
          let ow = ow0;
          for (; ow + 4 <= ow1; ow += 4, xi += 4 * xs, di += 4 * outC) {
            for (let ci = 0; ci < ci4; ci += 4) px4ci4(dx, dy, w, xi + ci, xs, di, outC, wTap + ci * outC, outC);
            for (let ci = ci4; ci < inC; ci++) px4ci1(dx, dy, w, xi + ci, xs, di, outC, wTap + ci * outC, outC);
          }
          for (; ow < ow1; ow++, xi += xs, di += outC) {
            for (let ci = 0; ci < ci4; ci += 4) px1ci4(dx, dy, w, xi + ci, di, wTap + ci * outC, outC);
            for (let ci = ci4; ci < inC; ci++) px1ci1(dx, dy, w, xi + ci, di, wTap + ci * outC, outC);
          }
        }
      }
    }
  }
}
