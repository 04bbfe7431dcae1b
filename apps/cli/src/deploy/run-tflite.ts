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

/** How closely deployed outputs follow the QAT model's; `checkAgreement` turns this into a verdict. */
export interface AgreementReport {
  /** Share of images whose deployed class equals the QAT model's class. */
  readonly argmax: number;
  /** Share of output values at most one output quantization step from the QAT model's. */
  readonly withinOneStep: number;
  /** Largest difference in steps; Infinity when an output or the step is not a finite number. */
  readonly maxSteps: number;
  /** Output values compared, and how many of them are more than one step apart (counts keep the 1% boundary exact). */
  readonly outputs: number;
  readonly beyondOneStep: number;
}

/** Compares deployed outputs with the QAT model's, value by value, in units of the output step. */
export function agreement(deployed: DeployedRun, qatClasses: Int32Array, qatOutputs: Float32Array, step: number): AgreementReport {
  let same = 0;
  for (let i = 0; i < deployed.classes.length; i++) if (deployed.classes[i] === qatClasses[i]) same++;
  let beyond = 0;
  let maxSteps = 0;
  for (let i = 0; i < deployed.outputs.length; i++) {
    // A NaN (missing QAT value, broken output, bad step) must count as a disagreement, not slip past `<=`.
    const raw = Math.abs(deployed.outputs[i]! - (qatOutputs[i] ?? Number.NaN)) / step;
    const steps = Number.isFinite(raw) ? raw : Number.POSITIVE_INFINITY;
    if (steps > 1 + 1e-3) beyond++;
    maxSteps = Math.max(maxSteps, steps);
  }
  const outputs = deployed.outputs.length;
  return { argmax: same / deployed.classes.length, withinOneStep: (outputs - beyond) / outputs, maxSteps, outputs, beyondOneStep: beyond };
}
