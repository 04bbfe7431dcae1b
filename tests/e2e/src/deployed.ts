import * as tf from '@tensorflow/tfjs';
import { quantize, type Graph } from '@qatkit/core';
import { exportTflite } from '@qatkit/exporter-tflite';
import type { LiteRt, RunnerTensor } from '@qatkit/litert-runner';
import type { AgreementReport } from '@qatkit/cli';

/**
 * Runs a QAT model and its exported TFLite (on LiteRT) on the same inputs and compares every
 * output in units of the output's quantization step — the project's bar for "deploys as trained".
 */

export type Io = 'float32' | 'int8';

/** Every output of the exported model for each sample, as real numbers, in graph output order. */
export async function runDeployed(rt: LiteRt, graph: Graph, io: Io, xs: readonly tf.Tensor[]): Promise<Float32Array[][]> {
  const model = await rt.compile(exportTflite(graph, { io }));
  try {
    const n = xs[0]!.shape[0]!;
    const data = xs.map((x) => x.dataSync() as Float32Array);
    const samples: Float32Array[][] = [];
    for (let s = 0; s < n; s++) {
      const feeds: RunnerTensor[] = graph.inputs.map((name, k) => {
        const t = graph.tensors[name]!;
        const per = data[k]!.length / n;
        const x = data[k]!.subarray(s * per, (s + 1) * per);
        const shape = [...t.shape];
        return io === 'float32' || !t.quantization ? { data: Float32Array.from(x), shape } : { data: quantize(x, shape, t.quantization) as Int8Array, shape };
      });
      const outs = model.run(feeds);
      samples.push(
        outs.map((out, k) => {
          const q = graph.tensors[graph.outputs[k]!]!.quantization;
          if (out.dtype === 'float32') return out.data as Float32Array;
          // Dequantize in float32, as LiteRT's DEQUANTIZE does for float I/O.
          return Float32Array.from(out.data, (v) => Math.fround((v - q!.zeroPoint[0]!) * Math.fround(q!.scale[0]!)));
        }),
      );
    }
    return samples;
  } finally {
    model.dispose();
  }
}

/** The QAT (or float) model's outputs, per output, flattened over the batch. */
export function predictAll(model: tf.LayersModel, xs: readonly tf.Tensor[]): Float32Array[] {
  return tf.tidy(() => {
    const y = model.predict(xs.length === 1 ? xs[0]! : [...xs]);
    return (Array.isArray(y) ? y : [y]).map((t) => Float32Array.from(t.dataSync()));
  });
}

/** The quantization step of the graph's output `k` (NaN for a float output). */
export function outputStep(graph: Graph, k: number): number {
  const q = graph.tensors[graph.outputs[k]!]!.quantization;
  return q ? q.scale[0]! : Number.NaN;
}

/** Agreement of output `k` in units of `step`: steps apart per value, argmax per sample. */
export function compareOutput(expected: Float32Array, deployed: Float32Array[][], k: number, step: number): AgreementReport {
  const per = expected.length / deployed.length;
  let beyond = 0;
  let maxSteps = 0;
  let same = 0;
  deployed.forEach((outs, s) => {
    const got = outs[k]!;
    let argE = 0;
    let argG = 0;
    for (let j = 0; j < per; j++) {
      const e = expected[s * per + j]!;
      const raw = Math.abs(got[j]! - e) / step;
      const steps = Number.isFinite(raw) ? raw : Number.POSITIVE_INFINITY;
      if (steps > 1 + 1e-3) beyond++;
      maxSteps = Math.max(maxSteps, steps);
      if (e > expected[s * per + argE]!) argE = j;
      if (got[j]! > got[argG]!) argG = j;
    }
    if (argE === argG) same++;
  });
  const outputs = expected.length;
  return { argmax: same / deployed.length, withinOneStep: (outputs - beyond) / outputs, maxSteps, outputs, beyondOneStep: beyond };
}

/**
 * Largest |a − b| / max(|b|, 1% of the output's largest |b|): float exports against tfjs predict.
 * The floor keeps values near 0 (where summation order alone moves the last bits) from
 * dominating a relative measure.
 */
export function maxRelativeError(got: Float32Array[][], expected: Float32Array[]): number {
  let worst = 0;
  expected.forEach((e, k) => {
    const floor = 0.01 * e.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1e-30;
    const per = e.length / got.length;
    got.forEach((outs, s) => {
      for (let j = 0; j < per; j++) worst = Math.max(worst, Math.abs(outs[k]![j]! - e[s * per + j]!) / Math.max(Math.abs(e[s * per + j]!), floor));
    });
  });
  return worst;
}
