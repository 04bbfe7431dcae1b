import type * as tf from '@tensorflow/tfjs';

/** The first shape of a layer's input or output shape(s): our layers take exactly one tensor. */
export function firstShape(shape: tf.Shape | tf.Shape[]): tf.Shape {
  return (Array.isArray(shape[0]) ? shape[0] : shape) as tf.Shape;
}

/** Keras configs give 2-D sizes (kernel, strides, pool) as a number or a pair. */
export function pairOf(value: unknown): [number, number] {
  return (Array.isArray(value) ? [value[0], value[1]] : [value, value]) as [number, number];
}
