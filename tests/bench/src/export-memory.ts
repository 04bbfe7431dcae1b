// Child process of export.bench.ts: one export of a serialized IR graph in a fresh process, with
// its peak resident memory. An export is one synchronous call, so the peak is sampled from a
// worker thread (process RSS is process-wide) every ~0.5 ms while the main thread exports.
// Usage (with tsx's loader and --expose-gc): export-memory.ts <tflite|onnx> <graph.v8>
import { readFileSync } from 'node:fs';
import { deserialize } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { Graph } from '@qatkit/core';
import { exportOnnx } from '@qatkit/exporter-onnx';
import { exportTflite } from '@qatkit/exporter-tflite';

export interface ExportMemory {
  format: string;
  /** Bytes of RSS above the level just before the call (graph loaded, GC done). */
  peakRssDelta: number;
  /** Process RSS at its peak during the call. */
  peakRss: number;
  /** ms of this first (cold) call in a fresh process. */
  coldMs: number;
  bytes: number;
}

// Plain JS for the worker: it samples until the flag turns 1, then reports the highest RSS seen.
const SAMPLER = `
const { parentPort, workerData } = require('node:worker_threads');
const flag = new Int32Array(workerData);
let peak = process.memoryUsage.rss();
parentPort.postMessage('ready');
while (Atomics.load(flag, 0) === 0) {
  const rss = process.memoryUsage.rss();
  if (rss > peak) peak = rss;
  Atomics.wait(flag, 0, 0, 0.5);
}
parentPort.postMessage(Math.max(peak, process.memoryUsage.rss()));
`;

const [format, file] = process.argv.slice(2);
if ((format !== 'tflite' && format !== 'onnx') || !file) throw new Error('usage: export-memory.ts <tflite|onnx> <graph.v8>');
const graph = deserialize(readFileSync(file)) as Graph;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
gc();

const flagBuffer = new SharedArrayBuffer(4);
const sampler = new Worker(SAMPLER, { eval: true, workerData: flagBuffer });
const messages: unknown[] = [];
const next = () => new Promise<unknown>((resolve) => sampler.once('message', resolve));
messages.push(await next());
gc();
const before = process.memoryUsage.rss();
const peakReply = next();
const t0 = performance.now();
const bytes = format === 'tflite' ? exportTflite(graph) : exportOnnx(graph);
const coldMs = performance.now() - t0;
Atomics.store(new Int32Array(flagBuffer), 0, 1);
Atomics.notify(new Int32Array(flagBuffer), 0);
const peakRss = (await peakReply) as number;
await sampler.terminate();
const result: ExportMemory = { format, peakRssDelta: Math.max(0, peakRss - before), peakRss, coldMs, bytes: bytes.length };
process.stdout.write(`${JSON.stringify(result)}\n`);
