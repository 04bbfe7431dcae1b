import type { LiteRt } from '@qatkit/litert-runner';
import { exportTflite } from '../writer/export-tflite.js';
import type { Net } from './net-builder.js';
import { runReference } from './reference.js';

/**
 * Agreement between LiteRT and the float reference, for the LiteRT tests. Models are exported with
 * float32 I/O: the QUANTIZE / DEQUANTIZE edges are exact, and the int8 ops in between are what is
 * being checked.
 */

/**
 * LiteRT's output 0 for each sample, after checking its shape. `bytes` replaces the export (for
 * models written past exportTflite's checks).
 */
export async function runOnLiteRt(rt: LiteRt, net: Net, bytes?: Uint8Array): Promise<Float32Array[]> {
  const { graph } = net;
  const model = await rt.compile(bytes ?? exportTflite(graph));
  try {
    const shape = [...graph.tensors[graph.inputs[0]!]!.shape];
    const want = [...graph.tensors[graph.outputs[0]!]!.shape];
    return net.samples.map((x) => {
      const [out] = model.run([{ data: x, shape }]);
      if (out!.dtype !== 'float32' || out!.shape.join() !== want.join()) {
        throw new Error(`LiteRT gave ${out!.dtype} ${JSON.stringify(out!.shape)}; expected float32 ${JSON.stringify(want)}`);
      }
      return out!.data as Float32Array;
    });
  } finally {
    model.dispose();
  }
}

export interface StepAgreement {
  /** Share of output elements within one quantization step of the reference. */
  readonly withinOne: number;
  /** The largest difference, in steps. */
  readonly worst: number;
  readonly count: number;
}

/** LiteRT vs the reference on every sample, in steps of the (int8) output's scale. */
export async function int8Agreement(rt: LiteRt, net: Net, bytes?: Uint8Array): Promise<StepAgreement> {
  const out = net.graph.tensors[net.graph.outputs[0]!]!;
  const scale = out.quantization!.scale[0]!;
  const got = await runOnLiteRt(rt, net, bytes);
  let within = 0;
  let count = 0;
  let worst = 0;
  got.forEach((g, i) => {
    const want = runReference(net.graph, [net.samples[i]!])[0]!;
    for (let k = 0; k < g.length; k++) {
      // A hair of slack for float32 rounding of scale × integer.
      const steps = Math.abs(g[k]! - want[k]!) / scale;
      if (steps <= 1 + 1e-3) within++;
      worst = Math.max(worst, steps);
      count++;
    }
  });
  return { withinOne: within / count, worst, count };
}

/** The largest |LiteRT − reference| relative to the output's largest magnitude, over every sample. */
export async function floatError(rt: LiteRt, net: Net): Promise<number> {
  const got = await runOnLiteRt(rt, net);
  let worst = 0;
  got.forEach((g, i) => {
    const want = runReference(net.graph, [net.samples[i]!])[0]!;
    let magnitude = 0;
    for (const v of want) magnitude = Math.max(magnitude, Math.abs(v));
    for (let k = 0; k < g.length; k++) worst = Math.max(worst, Math.abs(g[k]! - want[k]!) / magnitude);
  });
  return worst;
}
