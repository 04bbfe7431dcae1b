import { type ConvGeometry, validOutRange } from './conv-geometry.js';

/**
 * One filter tap (kh, kw) of one image: a strided walk over the valid output window.
 * `xi0`/`di0` index x and dy at the window's first position; rows advance by `xRowStep`/`dyRowStep`,
 * columns by `xColStep`/`dyColStep`.
 */
interface Walk {
  xi0: number;
  di0: number;
  rows: number;
  cols: number;
  xRowStep: number;
  dyRowStep: number;
  xColStep: number;
  dyColStep: number;
}

// 4 input x 4 output channels in 16 register accumulators: 8 loads per 16 multiply-adds,
// about 4x faster in V8 than a plain inner loop over output channels.
function tile4x4(x: Float32Array, dy: Float32Array, acc: Float64Array, accAt: number, outC: number, w: Walk): void {
  let a00 = 0, a01 = 0, a02 = 0, a03 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0;
  let a20 = 0, a21 = 0, a22 = 0, a23 = 0, a30 = 0, a31 = 0, a32 = 0, a33 = 0;
  for (let r = 0; r < w.rows; r++) {
    let xi = w.xi0 + r * w.xRowStep;
    let di = w.di0 + r * w.dyRowStep;
    for (let c = 0; c < w.cols; c++, xi += w.xColStep, di += w.dyColStep) {
      const x0 = x[xi], x1 = x[xi + 1], x2 = x[xi + 2], x3 = x[xi + 3];
      const d0 = dy[di], d1 = dy[di + 1], d2 = dy[di + 2], d3 = dy[di + 3];
      a00 += x0 * d0; a01 += x0 * d1; a02 += x0 * d2; a03 += x0 * d3;
      a10 += x1 * d0; a11 += x1 * d1; a12 += x1 * d2; a13 += x1 * d3;
      a20 += x2 * d0; a21 += x2 * d1; a22 += x2 * d2; a23 += x2 * d3;
      a30 += x3 * d0; a31 += x3 * d1; a32 += x3 * d2; a33 += x3 * d3;
    }
  }
  let o = accAt;
  acc[o] += a00; acc[o + 1] += a01; acc[o + 2] += a02; acc[o + 3] += a03; o += outC;
  acc[o] += a10; acc[o + 1] += a11; acc[o + 2] += a12; acc[o + 3] += a13; o += outC;
  acc[o] += a20; acc[o + 1] += a21; acc[o + 2] += a22; acc[o + 3] += a23; o += outC;
  acc[o] += a30; acc[o + 1] += a31; acc[o + 2] += a32; acc[o + 3] += a33;
}

// One input channel x 4 output channels (input-channel remainder, e.g. the 1-channel first layer).
function tile1x4(x: Float32Array, dy: Float32Array, acc: Float64Array, accAt: number, w: Walk): void {
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  for (let r = 0; r < w.rows; r++) {
    let xi = w.xi0 + r * w.xRowStep;
    let di = w.di0 + r * w.dyRowStep;
    for (let c = 0; c < w.cols; c++, xi += w.xColStep, di += w.dyColStep) {
      const xv = x[xi];
      a0 += xv * dy[di]; a1 += xv * dy[di + 1]; a2 += xv * dy[di + 2]; a3 += xv * dy[di + 3];
    }
  }
  acc[accAt] += a0; acc[accAt + 1] += a1; acc[accAt + 2] += a2; acc[accAt + 3] += a3;
}

function tile1x1(x: Float32Array, dy: Float32Array, acc: Float64Array, accAt: number, w: Walk): void {
  let a = 0;
  for (let r = 0; r < w.rows; r++) {
    let xi = w.xi0 + r * w.xRowStep;
    let di = w.di0 + r * w.dyRowStep;
    for (let c = 0; c < w.cols; c++, xi += w.xColStep, di += w.dyColStep) a += x[xi] * dy[di];
  }
  acc[accAt] += a;
}

/**
 * Conv2D filter gradient, NHWC: dW[kh,kw,ci,co] = sum over n,oh,ow of x[n,ih,iw,ci] * dy[n,oh,ow,co]
 * with ih = oh*strideH - padTop + kh*dilH (likewise for columns). Sums in float64 (like the cpu
 * reference), one image at a time so the image's x and dy stay in cache.
 */
export function conv2dFilterGradJs(g: ConvGeometry, x: Float32Array, dy: Float32Array, dw: Float32Array): void {
  const { inH, inW, inC, outH, outW, outC } = g;
  const acc = new Float64Array(g.kH * g.kW * inC * outC);
  const ci4 = inC - (inC % 4);
  const co4 = outC - (outC % 4);
  const xRow = inW * inC;
  const dyRow = outW * outC;
  const walk: Walk = {
    xi0: 0, di0: 0, rows: 0, cols: 0,
    xRowStep: g.strideH * xRow, dyRowStep: dyRow, xColStep: g.strideW * inC, dyColStep: outC,
  };
  for (let n = 0; n < g.batch; n++) {
    for (let kh = 0; kh < g.kH; kh++) {
      const [oh0, oh1] = validOutRange(inH, outH, g.strideH, g.padTop, kh * g.dilH);
      if (oh1 <= oh0) continue;
      for (let kw = 0; kw < g.kW; kw++) {
        const [ow0, ow1] = validOutRange(inW, outW, g.strideW, g.padLeft, kw * g.dilW);
        if (ow1 <= ow0) continue;
        const ih0 = oh0 * g.strideH - g.padTop + kh * g.dilH;
        const iw0 = ow0 * g.strideW - g.padLeft + kw * g.dilW;
        const xBase = (n * inH + ih0) * xRow + iw0 * inC;
        const dyBase = (n * outH + oh0) * dyRow + ow0 * outC;
        const accBase = (kh * g.kW + kw) * inC * outC;
        walk.rows = oh1 - oh0;
        walk.cols = ow1 - ow0;
        for (let ci = 0; ci < inC; ci++) {
          walk.xi0 = xBase + ci;
          const accRow = accBase + ci * outC;
          if (ci < ci4) {
            if (ci % 4 !== 0) continue; // covered by the 4x4 tile starting at ci - ci % 4
            for (let co = 0; co < co4; co += 4) {
              walk.di0 = dyBase + co;
              tile4x4(x, dy, acc, accRow + co, outC, walk);
            }
            for (let c = 0; c < 4; c++) {
              walk.xi0 = xBase + ci + c;
              for (let co = co4; co < outC; co++) {
                walk.di0 = dyBase + co;
                tile1x1(x, dy, acc, accRow + c * outC + co, walk);
              }
            }
          } else {
            for (let co = 0; co < co4; co += 4) {
              walk.di0 = dyBase + co;
              tile1x4(x, dy, acc, accRow + co, walk);
            }
            for (let co = co4; co < outC; co++) {
              walk.di0 = dyBase + co;
              tile1x1(x, dy, acc, accRow + co, walk);
            }
          }
        }
      }
    }
  }
  for (let i = 0; i < acc.length; i++) dw[i] = acc[i];
}
