// Export and deployment in the page: the QAT model as an int8 graph, as .tflite bytes, and those
// bytes run on LiteRT.js's web build, compared output by output with the QAT model.
import type { Graph } from '@qatkit/core';
import { exportTflite } from '@qatkit/exporter-tflite';
import { loadLiteRt, type LiteRt } from '@qatkit/litert-runner/browser';
import { PIXELS, type Split } from './data.js';

/** The output's quantization step: "one step" is how far deployed and QAT outputs may differ. */
export function outputStep(graph: Graph): number {
  return graph.tensors[graph.outputs[0]!]!.quantization!.scale[0]!;
}

export function exportBoth(graph: Graph): Record<'float32' | 'uint8', Uint8Array> {
  return { float32: exportTflite(graph, { io: 'float32' }), uint8: exportTflite(graph, { io: 'uint8' }) };
}

let litert: Promise<LiteRt> | undefined;

/** LiteRT.js's wasm files are served beside the page, in litert/ (see static-files.ts). */
export function pageLiteRt(): Promise<LiteRt> {
  litert ??= loadLiteRt(new URL('litert/', document.baseURI));
  return litert;
}

export interface Deployed {
  classes: Int32Array;
  /** Real-valued logits, [n, 10]. */
  logits: Float32Array;
  msPerImage: number;
}

/** Runs a batch-1, float32-I/O classifier on the first `count` images of `split`. */
export async function runOnLiteRt(bytes: Uint8Array, split: Split, count: number): Promise<Deployed> {
  const model = await (await pageLiteRt()).compile(bytes);
  const n = Math.min(count, split.count);
  const logits = new Float32Array(n * 10);
  const classes = new Int32Array(n);
  const started = performance.now();
  try {
    for (let i = 0; i < n; i++) {
      const data = Float32Array.from(split.images.subarray(i * PIXELS, (i + 1) * PIXELS), (p) => p / 255);
      const [out] = model.run([{ data, shape: [1, 28, 28, 1] }]);
      logits.set(out!.data, i * 10);
      let best = 0;
      for (let c = 1; c < 10; c++) if (out!.data[c]! > out!.data[best]!) best = c;
      classes[i] = best;
    }
  } finally {
    model.dispose();
  }
  return { classes, logits, msPerImage: (performance.now() - started) / n };
}

/** Share of outputs within one output step of the QAT model's (the project's bar: ≥ 99%). */
export function withinOneStep(deployed: Float32Array, qat: Float32Array, step: number): number {
  let ok = 0;
  for (let i = 0; i < deployed.length; i++) if (Math.abs(deployed[i]! - qat[i]!) / step <= 1 + 1e-3) ok++;
  return ok / deployed.length;
}

