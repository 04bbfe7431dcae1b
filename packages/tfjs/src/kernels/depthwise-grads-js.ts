import { type ConvGeometry, validOutRange } from './conv-geometry.js';

// Depthwise layout: output channel oc = c * chMul + m reads input channel c = floor(oc / chMul), and the
// filter [kH, kW, inC, chMul] flattens to (kh * kW + kw) * outC + oc. Both gradients walk each
// (image, tap) window once, 4 output channels at a time.

interface Tap {
  xBase: number;
  dyBase: number;
  rows: number;
  cols: number;
}

/** Calls `body` for every (image, filter tap) whose output window is non-empty. */
function forEachTap(g: ConvGeometry, body: (tapIndex: number, t: Tap) => void): void {
  const xRow = g.inW * g.inC;
  const dyRow = g.outW * g.outC;
  const t: Tap = { xBase: 0, dyBase: 0, rows: 0, cols: 0 };
  for (let n = 0; n < g.batch; n++) {
    for (let kh = 0; kh < g.kH; kh++) {
      const [oh0, oh1] = validOutRange(g.inH, g.outH, g.strideH, g.padTop, kh * g.dilH);
      if (oh1 <= oh0) continue;
      for (let kw = 0; kw < g.kW; kw++) {
        const [ow0, ow1] = validOutRange(g.inW, g.outW, g.strideW, g.padLeft, kw * g.dilW);
        if (ow1 <= ow0) continue;
        const ih0 = oh0 * g.strideH - g.padTop + kh * g.dilH;
        const iw0 = ow0 * g.strideW - g.padLeft + kw * g.dilW;
        t.xBase = (n * g.inH + ih0) * xRow + iw0 * g.inC;
        t.dyBase = (n * g.outH + oh0) * dyRow + ow0 * g.outC;
        t.rows = oh1 - oh0;
        t.cols = ow1 - ow0;
        body(kh * g.kW + kw, t);
      }
    }
  }
}

/** Depthwise filter gradient: dW[kh,kw,c,m] = sum over n,oh,ow of x[n,ih,iw,c] * dy[n,oh,ow,c*chMul+m]. */
export function depthwiseFilterGradJs(g: ConvGeometry, x: Float32Array, dy: Float32Array, dw: Float32Array): void {
  const { outC, chMul } = g;
  const acc = new Float64Array(g.kH * g.kW * outC);
  const oc4 = outC - (outC % 4);
  const xRowStep = g.strideH * g.inW * g.inC, xColStep = g.strideW * g.inC;
  const dyRowStep = g.outW * outC;
  forEachTap(g, (tap, t) => {
    const accBase = tap * outC;
    for (let oc = 0; oc < outC; oc += oc < oc4 ? 4 : 1) {
      const wide = oc < oc4;
      // input-channel offsets of the (up to) 4 lanes
      const c0 = (oc / chMul) | 0, c1 = ((oc + 1) / chMul) | 0, c2 = ((oc + 2) / chMul) | 0, c3 = ((oc + 3) / chMul) | 0;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (let r = 0; r < t.rows; r++) {
        let xi = t.xBase + r * xRowStep;
        let di = t.dyBase + r * dyRowStep + oc;
        if (wide) {
          for (let c = 0; c < t.cols; c++, xi += xColStep, di += outC) {
            a0 += x[xi + c0] * dy[di]; a1 += x[xi + c1] * dy[di + 1];
            a2 += x[xi + c2] * dy[di + 2]; a3 += x[xi + c3] * dy[di + 3];
          }
        } else {
          for (let c = 0; c < t.cols; c++, xi += xColStep, di += outC) a0 += x[xi + c0] * dy[di];
        }
      }
      acc[accBase + oc] += a0;
      if (wide) {
        acc[accBase + oc + 1] += a1; acc[accBase + oc + 2] += a2; acc[accBase + oc + 3] += a3;
      }
    }
  });
  for (let i = 0; i < acc.length; i++) dw[i] = acc[i];
}

/** Depthwise input gradient: dx[n,ih,iw,c] = sum over taps and m of dy[n,oh,ow,c*chMul+m] * W[kh,kw,c,m]. */
export function depthwiseInputGradJs(g: ConvGeometry, dy: Float32Array, w: Float32Array, dx: Float32Array): void {
  const { outC, chMul } = g;
  dx.fill(0);
  const oc4 = outC - (outC % 4);
  const xRowStep = g.strideH * g.inW * g.inC, xColStep = g.strideW * g.inC;
  const dyRowStep = g.outW * outC;
  forEachTap(g, (tap, t) => {
    const wBase = tap * outC;
    for (let oc = 0; oc < outC; oc += oc < oc4 ? 4 : 1) {
      const wide = oc < oc4;
      const c0 = (oc / chMul) | 0, c1 = ((oc + 1) / chMul) | 0, c2 = ((oc + 2) / chMul) | 0, c3 = ((oc + 3) / chMul) | 0;
      const f0 = w[wBase + oc];
      const f1 = wide ? w[wBase + oc + 1] : 0, f2 = wide ? w[wBase + oc + 2] : 0, f3 = wide ? w[wBase + oc + 3] : 0;
      for (let r = 0; r < t.rows; r++) {
        let xi = t.xBase + r * xRowStep;
        let di = t.dyBase + r * dyRowStep + oc;
        if (wide) {
          // lanes may share an input channel when chMul > 1; sequential += keeps that correct
          for (let c = 0; c < t.cols; c++, xi += xColStep, di += outC) {
            dx[xi + c0] += dy[di] * f0; dx[xi + c1] += dy[di + 1] * f1;
            dx[xi + c2] += dy[di + 2] * f2; dx[xi + c3] += dy[di + 3] * f3;
          }
        } else {
          for (let c = 0; c < t.cols; c++, xi += xColStep, di += outC) dx[xi + c0] += dy[di] * f0;
        }
      }
    }
  });
}
