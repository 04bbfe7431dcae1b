// Shared by the two coexistence tests: one small computation for each runtime, checked
// against known answers, so that "initialised" also means "computes correctly".
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { LiteRt } from '../types.js';
import { pinDynamicDims, readModel } from './models.js';

export { tf };

/** Switches tfjs to its wasm backend; throws if it fails to initialise. */
export async function useTfjsWasm(): Promise<void> {
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: setBackend("wasm") returned false');
  await tf.ready();
  if (tf.getBackend() !== 'wasm') throw new Error(`tfjs: backend is ${tf.getBackend()}, not wasm`);
}

/** A 2x3 · 3x2 matmul plus a 3x3 conv on tfjs's current backend. */
export async function tfjsComputes(): Promise<{ matmul: number[]; conv: number[] }> {
  const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
  const b = tf.tensor2d([7, 8, 9, 10, 11, 12], [3, 2]);
  const image = tf.range(0, 16).reshape([1, 4, 4, 1]) as tf.Tensor4D;
  const kernel = tf.ones([3, 3, 1, 1]) as tf.Tensor4D;
  const matmul = tf.matMul(a, b);
  const conv = tf.conv2d(image, kernel, 1, 'valid');
  const result = { matmul: Array.from(await matmul.data()), conv: Array.from(await conv.data()) };
  tf.dispose([a, b, image, kernel, matmul, conv]);
  return result;
}

export const TFJS_EXPECTED = { matmul: [58, 64, 139, 154], conv: [45, 54, 81, 90] };

/** sin(π/2) through hello_world_float (batch pinned to 1) on LiteRT. */
export async function litertComputes(litert: LiteRt): Promise<number> {
  const model = await litert.compile(pinDynamicDims(readModel('hello_world_float.tflite')));
  try {
    const [out] = model.run([{ data: Float32Array.of(Math.PI / 2), shape: [1, 1] }]);
    return out.data[0];
  } finally {
    model.dispose();
  }
}
