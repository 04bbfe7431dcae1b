import type { Graph, IoType } from '@qatkit/core';
import type { LiteRt } from '@qatkit/litert-runner';
import type { Split } from '../train/tensors.js';
import { createProgress } from '../io/progress.js';

const PIXELS = 28 * 28;

export interface DeployedRun {
  /** Predicted class per image. */
  readonly classes: Int32Array;
  /** Real-valued outputs (dequantized for integer I/O), row-major [n, classes]. */
  readonly outputs: Float32Array;
  readonly msPerImage: number;
}

/**
 * Runs a batch-1 image classifier exported with `io` on every image of `split` in LiteRT.
 * Integer outputs are dequantized with the graph's output parameters (uint8 zero point = int8 + 128).
 */
export async function runTflite(rt: LiteRt, bytes: Uint8Array, graph: Graph, io: IoType, split: Split, count = split.count): Promise<DeployedRun> {
  const model = await rt.compile(bytes);
  const outTensor = graph.tensors[graph.outputs[0]!]!;
  const classesN = outTensor.shape[outTensor.shape.length - 1]!;
  const { scale, zeroPoint } = outTensor.quantization!;
  const zp = zeroPoint[0]! + (io === 'uint8' ? 128 : 0);
  // The file stores the scale as float32; dequantizing with that value reproduces LiteRT's own
  // DEQUANTIZE bit for bit (integer × float32 is exact in float64, then rounds once).
  const fileScale = Math.fround(scale[0]!);
  const n = Math.min(count, split.count);
  const outputs = new Float32Array(n * classesN);
  const classes = new Int32Array(n);
  const progress = createProgress(`LiteRT (${io} I/O)`);
  const started = performance.now();
  try {
    for (let i = 0; i < n; i++) {
      const pixels = split.images.subarray(i * PIXELS, (i + 1) * PIXELS);
      const data = io === 'uint8' ? Uint8Array.from(pixels) : io === 'int8' ? Int8Array.from(pixels, (p) => p - 128) : Float32Array.from(pixels, (p) => p / 255);
      const [out] = model.run([{ data, shape: [1, 28, 28, 1] }]);
      let best = 0;
      for (let c = 0; c < classesN; c++) {
        const raw = out!.data[c]!;
        outputs[i * classesN + c] = io === 'float32' ? raw : (raw - zp) * fileScale;
        // Compare stored (float32) values: exact ties must resolve like tfjs's argMax (first index).
        if (outputs[i * classesN + c]! > outputs[i * classesN + best]!) best = c;
      }
      classes[i] = best;
      if (i % 500 === 499 || i === n - 1) progress.update(i + 1, n);
    }
  } finally {
    model.dispose();
  }
  const msPerImage = (performance.now() - started) / n;
  progress.done(`${n} images, ${msPerImage.toFixed(3)} ms/image`);
  return { classes, outputs, msPerImage };
}

/** How closely deployed outputs follow the QAT model's: argmax agreement and within-one-step share. */
export function agreement(deployed: DeployedRun, qatClasses: Int32Array, qatOutputs: Float32Array, step: number): { argmax: number; withinOneStep: number; maxSteps: number } {
  let same = 0;
  for (let i = 0; i < deployed.classes.length; i++) if (deployed.classes[i] === qatClasses[i]) same++;
  let within = 0;
  let maxSteps = 0;
  for (let i = 0; i < deployed.outputs.length; i++) {
    const steps = Math.abs(deployed.outputs[i]! - qatOutputs[i]!) / step;
    if (steps <= 1 + 1e-3) within++;
    maxSteps = Math.max(maxSteps, steps);
  }
  return { argmax: same / deployed.classes.length, withinOneStep: within / deployed.outputs.length, maxSteps };
}
