import { quantize, type Graph } from '@qatkit/core';
import { exportOnnx, type OnnxExportOptions } from '@qatkit/exporter-onnx';
import { exportTflite } from '@qatkit/exporter-tflite';
import type { LiteRt, RunnerTensor as TfliteTensor } from '@qatkit/litert-runner';
import type { OnnxRuntime, RunnerTensor } from '@qatkit/onnx-runner';

/**
 * One IR graph, two files, two runtimes: the TFLite export on LiteRT and the ONNX export on
 * onnxruntime, fed the same integer (or float) inputs sample by sample; outputs compared in units
 * of each output's quantization step.
 */

export interface Agreement {
  /** Share of output elements at most one step apart. */
  readonly withinOneStep: number;
  readonly maxSteps: number;
  /** Share of samples whose argmax agrees. */
  readonly argmax: number;
  readonly elements: number;
}

/** The model's inputs for sample `s` of `batches` (one Float32Array per graph input, samples one after another). */
function feeds(graph: Graph, batches: readonly Float32Array[], s: number, integer: boolean): RunnerTensor[] {
  return graph.inputs.map((name, k) => {
    const t = graph.tensors[name]!;
    const per = t.shape.reduce((a, b) => a * b, 1);
    const x = batches[k]!.subarray(s * per, (s + 1) * per);
    const shape = [...t.shape];
    return integer && t.quantization ? { data: quantize(x, shape, t.quantization) as Int8Array, shape } : { data: Float32Array.from(x), shape };
  });
}

/** Every output of both runtimes for each of `n` samples, as raw values (integers for int8 I/O). */
export async function runBoth(
  rt: LiteRt,
  ort: OnnxRuntime,
  graph: Graph,
  batches: readonly Float32Array[],
  n: number,
  options: OnnxExportOptions & { io: 'int8' | 'float32' },
): Promise<{ tflite: Float32Array[][]; onnx: Float32Array[][] }> {
  const lite = await rt.compile(exportTflite(graph, { io: options.io }));
  const onnx = await ort.compile(exportOnnx(graph, options));
  const tflite: Float32Array[][] = [];
  const fromOnnx: Float32Array[][] = [];
  try {
    for (let s = 0; s < n; s++) {
      const x = feeds(graph, batches, s, options.io === 'int8');
      tflite.push(lite.run(x as TfliteTensor[]).map((o) => Float32Array.from(o.data)));
      fromOnnx.push((await onnx.run(x)).map((o) => Float32Array.from(o.data)));
    }
  } finally {
    lite.dispose();
    await onnx.dispose();
  }
  return { tflite, onnx: fromOnnx };
}

/** Agreement of output `k` with `step` the distance that counts as one step (1 for raw integers). */
export function agreement(a: Float32Array[][], b: Float32Array[][], k: number, step = 1): Agreement {
  let within = 0;
  let elements = 0;
  let maxSteps = 0;
  let same = 0;
  a.forEach((outs, s) => {
    const x = outs[k]!;
    const y = b[s]![k]!;
    let ax = 0;
    let ay = 0;
    for (let j = 0; j < x.length; j++) {
      const d = Math.abs(x[j]! - y[j]!) / step;
      if (d <= 1 + 1e-6) within++;
      maxSteps = Math.max(maxSteps, d);
      if (x[j]! > x[ax]!) ax = j;
      if (y[j]! > y[ay]!) ay = j;
    }
    elements += x.length;
    if (ax === ay) same++;
  });
  return { withinOneStep: within / elements, maxSteps, argmax: same / a.length, elements };
}

/** Largest |a − b| relative to the largest |a| of each output: float exports against each other. */
export function maxRelativeDifference(a: Float32Array[][], b: Float32Array[][]): number {
  let worst = 0;
  a[0]!.forEach((_, k) => {
    const scale = Math.max(1e-30, ...a.map((outs) => outs[k]!.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
    a.forEach((outs, s) => outs[k]!.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[s]![k]![j]!) / scale))));
  });
  return worst;
}
