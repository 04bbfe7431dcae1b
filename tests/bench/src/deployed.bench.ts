/**
 * Deployed latency (issue 9): int8 vs float of the same model on the same runtime — LiteRT's wasm
 * CPU path and onnxruntime-node's CPU provider (1 thread) — batch 1, and file size float ÷ int8.
 * Runs the files export.bench.ts wrote. Variants of a model are interleaved round by round in one
 * process (the machine is shared; only same-run ratios mean much).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadLiteRt } from '@qatkit/litert-runner';
import { loadOnnxRuntime } from '@qatkit/onnx-runner';
import { ARTIFACT_FILES, FIXTURE_NAMES } from './fixtures.js';
import { ARTIFACTS_DIR, benchCommand, fmt, machine, median, writeResult, type Figure, type Table } from './results.js';
import { versions } from './versions.js';

type Key = keyof typeof FIXTURE_NAMES;
type File = keyof typeof ARTIFACT_FILES;
interface Runnable {
  run(x: Float32Array, shape: number[]): Promise<unknown> | unknown;
  dispose(): unknown;
}

const started = performance.now();
const path = (key: Key, file: File) => join(ARTIFACTS_DIR, key, ARTIFACT_FILES[file]);
const bytesOf = (key: Key, file: File) => {
  try {
    return new Uint8Array(readFileSync(path(key, file)));
  } catch {
    throw new Error(`${path(key, file)} is missing: run export.bench.ts first (pnpm bench runs it before this one)`);
  }
};

/** ms per run of each variant in each of `rounds` interleaved rounds of `runs` runs, after 3 warm-up runs. */
async function interleaved(variants: Runnable[], shape: number[], rounds: number, runs: number): Promise<number[][]> {
  const size = shape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: size }, (_, i) => ((i * 2654435761) % 1000) / 1000);
  for (const v of variants) for (let i = 0; i < 3; i++) await v.run(x, shape);
  const samples = variants.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    for (const [k, v] of variants.entries()) {
      const t = performance.now();
      for (let i = 0; i < runs; i++) await v.run(x, shape);
      samples[k]!.push((performance.now() - t) / runs);
    }
  }
  return samples;
}

/** Median of the per-round ratios a ÷ b: a load burst slows both sides of a round and cancels in it. */
const roundRatio = (a: number[], b: number[]) => median(a.map((t, r) => t / b[r]!));

const litert = await loadLiteRt();
const ort = await loadOnnxRuntime();
const PLAN: Record<Key, { rounds: number; runs: number; shape: number[] }> = {
  cnn: { rounds: 30, runs: 60, shape: [1, 28, 28, 1] },
  mbv2: { rounds: 25, runs: 2, shape: [1, 224, 224, 3] },
};
const figures: Figure[] = [];
const tables: Table[] = [];
for (const key of ['cnn', 'mbv2'] as const) {
  const { rounds, runs, shape } = PLAN[key];
  const tfl = await Promise.all((['floatTflite', 'int8Tflite'] as const).map((f) => litert.compile(bytesOf(key, f))));
  const onnx = await Promise.all((['floatOnnx', 'int8Onnx', 'uint8Onnx'] as const).map((f) => ort.compile(bytesOf(key, f))));
  const tflSamples = await interleaved(tfl.map((m) => ({ run: (x: Float32Array, s: number[]) => m.run([{ data: x, shape: s }]), dispose: () => m.dispose() })), shape, rounds, runs);
  const onnxSamples = await interleaved(onnx.map((m) => ({ run: (x: Float32Array, s: number[]) => m.run([{ data: x, shape: s }]), dispose: () => m.dispose() })), shape, rounds, runs);
  const [lf, li] = tflSamples.map(median);
  const [of, oi, ou] = onnxSamples.map(median);
  const litertRatio = roundRatio(tflSamples[0]!, tflSamples[1]!);
  const [ortInt8Ratio, ortUint8Ratio] = [roundRatio(onnxSamples[0]!, onnxSamples[1]!), roundRatio(onnxSamples[0]!, onnxSamples[2]!)];
  tfl.forEach((m) => m.dispose());
  await Promise.all(onnx.map((m) => m.dispose()));
  const size = (f: File) => statSync(path(key, f)).size;
  const model = key === 'cnn' ? 'Fashion-MNIST CNN' : 'MobileNetV2-1.0-224';
  const goal = key === 'mbv2';
  figures.push(
    { id: `deployed.${key}.litert.float-over-int8`, label: `${model}: LiteRT wasm latency, float ÷ int8`, value: litertRatio, unit: '×', ...(goal && { goal: { op: '>=', value: 2 } }) },
    { id: `deployed.${key}.ort.float-over-int8`, label: `${model}: onnxruntime CPU latency, float ÷ QDQ int8`, value: Math.max(ortInt8Ratio, ortUint8Ratio), unit: '×', ...(goal && { goal: { op: '>=', value: 3 } }), note: `best of int8 (${fmt(ortInt8Ratio)}×) and uint8 (${fmt(ortUint8Ratio)}×) activations; weights int8 in both` },
    { id: `deployed.${key}.tflite.size-ratio`, label: `${model}: .tflite file size, float ÷ int8`, value: size('floatTflite') / size('int8Tflite'), unit: '×', ...(goal && { goal: { op: '>=', value: 3.9 } }) },
    { id: `deployed.${key}.onnx.size-ratio`, label: `${model}: .onnx file size, float ÷ QDQ int8`, value: size('floatOnnx') / size('int8Onnx'), unit: '×' },
  );
  const kb = (f: File) => fmt(size(f) / 1024);
  tables.push({
    caption: `${FIXTURE_NAMES[key]}, batch 1, float32 input: ms per run, medians of ${rounds} interleaved rounds × ${runs} runs; float ÷ int8 is the median of the per-round ratios`,
    columns: ['runtime', 'float ms', 'int8 ms', 'float ÷ int8', 'float KiB', 'int8 KiB', 'size float ÷ int8'],
    rows: [
      ['LiteRT wasm (XNNPACK, 1 thread)', fmt(lf!), fmt(li!), `${fmt(litertRatio)}×`, kb('floatTflite'), kb('int8Tflite'), `${fmt(size('floatTflite') / size('int8Tflite'))}×`],
      ['onnxruntime CPU, QDQ int8 activations', fmt(of!), fmt(oi!), `${fmt(ortInt8Ratio)}×`, kb('floatOnnx'), kb('int8Onnx'), `${fmt(size('floatOnnx') / size('int8Onnx'))}×`],
      ['onnxruntime CPU, QDQ uint8 activations', fmt(of!), fmt(ou!), `${fmt(ortUint8Ratio)}×`, kb('floatOnnx'), kb('uint8Onnx'), `${fmt(size('floatOnnx') / size('uint8Onnx'))}×`],
    ],
  });
  console.log(`${model}: LiteRT ${fmt(lf!)} / ${fmt(li!)} ms, ORT ${fmt(of!)} / ${fmt(oi!)} / ${fmt(ou!)} ms`);
}

const file = writeResult({
  id: 'deployed',
  title: 'Deployed latency and size, int8 vs float',
  command: benchCommand('deployed.bench.ts'),
  date: new Date().toISOString(),
  seconds: (performance.now() - started) / 1000,
  machine: machine(),
  versions: versions(),
  tables,
  figures,
  notes: [
    'Float and int8 files are exports of the same model by the same exporter (float: toFloatGraph of the float model; int8: toGraph of its QAT model), both with float32 inputs and outputs, so the int8 figures include the input QUANTIZE and output DEQUANTIZE.',
    'LiteRT runs single-threaded (LiteRT.js default in Node); onnxruntime with 1 intra-op thread and graph optimizations "all" (QDQ fused into QLinear ops).',
  ],
});
console.log(`wrote ${file}`);
