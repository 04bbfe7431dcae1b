import type * as tf from '@tensorflow/tfjs';
import { F32Output, readF32, runBackendKernel, type WasmBackendLike, wasmTensorFromJs } from './backend-access.js';
import type { ConvGeometry } from './conv-geometry.js';

// Gradients rewritten as forward convolutions, which tfjs-backend-wasm runs through XNNPACK
// (5-10x faster than a JS loop). Intermediates are raw backend tensors, freed with disposeData,
// so nothing reaches the engine's tensor count.

type Explicit = [[number, number], [number, number], [number, number], [number, number]];

function explicitPad(top: number, bottom: number, left: number, right: number): Explicit {
  return [[0, 0], [top, bottom], [left, right], [0, 0]];
}

/**
 * Conv2D filter gradient as one convolution: with the batch axis as channels, x^T [inC, H, W, N]
 * convolved with dy^T [outH, outW, N, outC] (stride = forward dilation, dilation = forward stride)
 * gives dW^T [inC, kH, kW, outC].
 */
export function conv2dFilterGradWasm(
  backendName: string, backend: WasmBackendLike, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry,
): tf.TensorInfo {
  const run = (name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap) =>
    runBackendKernel(name, backendName, backend, inputs, attrs);
  // bottom/right padding so the output covers every tap; when the forward pass dropped trailing input
  // rows this is negative: clamp at 0 and crop the surplus rows below
  const padB = Math.max(0, (g.kH - 1) * g.dilH + (g.outH - 1) * g.strideH + 1 - g.inH - g.padTop);
  const padR = Math.max(0, (g.kW - 1) * g.dilW + (g.outW - 1) * g.strideW + 1 - g.inW - g.padLeft);
  const xT = run('Transpose', { x }, { perm: [3, 1, 2, 0] });
  let conv: tf.TensorInfo;
  try {
    const dyT = run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
    try {
      conv = run('Conv2D', { x: xT, filter: dyT }, {
        strides: [g.dilH, g.dilW], dilations: [g.strideH, g.strideW], dataFormat: 'NHWC',
        pad: explicitPad(g.padTop, padB, g.padLeft, padR),
      } as unknown as tf.NamedAttrMap);
    } finally {
      backend.disposeData(dyT.dataId);
    }
  } finally {
    backend.disposeData(xT.dataId);
  }
  try {
    const out = new F32Output(backend, [g.kH, g.kW, g.inC, g.outC]);
    const dst = out.values;
    const src = readF32(backend, conv);
    const [, cH, cW] = conv.shape as [number, number, number, number];
    const { kH, kW, inC, outC } = g;
    for (let ci = 0; ci < inC; ci++) {
      for (let kh = 0; kh < kH; kh++) {
        for (let kw = 0; kw < kW; kw++) {
          const s = ((ci * cH + kh) * cW + kw) * outC;
          dst.set(src.subarray(s, s + outC), ((kh * kW + kw) * inC + ci) * outC);
        }
      }
    }
    return out.finish();
  } finally {
    backend.disposeData(conv.dataId);
  }
}

/** Paddings of the "full" correlation that maps dy back onto x; null if the forward pads rule it out. */
function backPads(g: ConvGeometry): Explicit | null {
  const top = (g.kH - 1) * g.dilH - g.padTop;
  const left = (g.kW - 1) * g.dilW - g.padLeft;
  const bottom = g.inH - ((g.outH - 1) * g.strideH + 1) + g.padTop;
  const right = g.inW - ((g.outW - 1) * g.strideW + 1) + g.padLeft;
  return Math.min(top, left, bottom, right) < 0 ? null : explicitPad(top, bottom, left, right);
}

/** dy with (stride - 1) zeros inserted between pixels, so a stride-1 convolution can run the transpose. */
function zeroInsertedDy(backend: WasmBackendLike, dy: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const hd = (g.outH - 1) * g.strideH + 1;
  const wd = (g.outW - 1) * g.strideW + 1;
  const c = g.outC;
  return wasmTensorFromJs(backend, [g.batch, hd, wd, c], (dst) => {
    dst.fill(0);
    const src = readF32(backend, dy); // after the allocation: an earlier heap view may be detached
    for (let n = 0; n < g.batch; n++) {
      for (let oh = 0; oh < g.outH; oh++) {
        for (let ow = 0; ow < g.outW; ow++) {
          const s = ((n * g.outH + oh) * g.outW + ow) * c;
          dst.set(src.subarray(s, s + c), ((n * hd + oh * g.strideH) * wd + ow * g.strideW) * c);
        }
      }
    }
  });
}

/**
 * Input gradient (Conv2D or depthwise) as a stride-1 convolution of the zero-inserted dy with the
 * spatially flipped filter. Returns null when explicit pads make the rewrite invalid (caller falls back).
 */
export function inputGradWasm(
  backendName: string, backend: WasmBackendLike, dy: tf.TensorInfo, filter: tf.TensorInfo, g: ConvGeometry,
): tf.TensorInfo | null {
  const pads = backPads(g);
  if (!pads) return null;
  const { kH, kW, inC, outC } = g;
  // Conv2D: W'[kh,kw,co,ci] = W[kH-1-kh, kW-1-kw, ci, co]. Depthwise: each of the outC channels gets
  // its own flipped tap, W'[kh,kw,oc,0] = W[kH-1-kh, kW-1-kw, oc], summed over chMul afterwards.
  const flipped = wasmTensorFromJs(backend, g.depthwise ? [kH, kW, outC, 1] : [kH, kW, outC, inC], (dst) => {
    const src = readF32(backend, filter);
    for (let kh = 0; kh < kH; kh++) {
      for (let kw = 0; kw < kW; kw++) {
        const from = ((kH - 1 - kh) * kW + (kW - 1 - kw)) * (g.depthwise ? outC : inC * outC);
        const to = (kh * kW + kw) * (g.depthwise ? outC : inC * outC);
        if (g.depthwise) {
          dst.set(src.subarray(from, from + outC), to);
          continue;
        }
        for (let ci = 0; ci < inC; ci++) {
          for (let co = 0; co < outC; co++) dst[to + co * inC + ci] = src[from + ci * outC + co];
        }
      }
    }
  });
  const strided = g.strideH > 1 || g.strideW > 1;
  let dyd: tf.TensorInfo | null = null;
  let res: tf.TensorInfo;
  try {
    dyd = strided ? zeroInsertedDy(backend, dy, g) : dy;
    const attrs = { strides: 1, dilations: [g.dilH, g.dilW], pad: pads, dataFormat: 'NHWC' };
    res = runBackendKernel(g.depthwise ? 'DepthwiseConv2dNative' : 'Conv2D', backendName, backend,
      { x: dyd, filter: flipped }, attrs as unknown as tf.NamedAttrMap);
  } finally {
    backend.disposeData(flipped.dataId);
    if (strided && dyd) backend.disposeData(dyd.dataId);
  }
  if (!g.depthwise || g.chMul === 1) return res;
  try {
    return sumDepthMultiplier(backend, res, g);
  } finally {
    backend.disposeData(res.dataId);
  }
}

/** [N, H, W, inC * chMul] -> [N, H, W, inC] by summing each channel's chMul outputs. */
function sumDepthMultiplier(backend: WasmBackendLike, t: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const out = new F32Output(backend, [g.batch, g.inH, g.inW, g.inC]);
  const dst = out.values;
  const src = readF32(backend, t);
  const m = g.chMul;
  for (let i = 0, s = 0; i < dst.length; i++) {
    let sum = 0;
    for (let k = 0; k < m; k++, s++) sum += src[s];
    dst[i] = sum;
  }
  return out.finish();
}
