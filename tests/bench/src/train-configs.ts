// Training configurations that share one process: the same model on wasm and cpu with qatkit's
// kernels, and on "stock" tfjs cpu (qatkit's kernels unregistered). Each configuration owns its
// model, optimizer and batch, created while its backend is active, so switching backends between
// rounds moves no tensor; only the kernel registry is switched, which costs nothing.
import * as tf from '@tensorflow/tfjs';
import { FAKE_QUANT_KERNEL, initBackend, quantizeModel, registerFakeQuantKernel, registerTrainingKernels, unregisterTrainingKernels } from '@qatkit/tfjs';
import { median } from './results.js';

/** wasm / cpu with qatkit's kernels, or cpu as tfjs ships it. */
export type Engine = 'wasm' | 'cpu' | 'stock-cpu';

export interface TrainConfig {
  readonly engine: Engine;
  readonly qat: boolean;
  readonly batch: number;
  /** Timed steps per round (slow engines take one). */
  readonly steps: number;
  /** Whether an untimed step runs first (JIT, optimizer slots); skipped where one step takes many seconds. */
  readonly warmUp: boolean;
  model: tf.LayersModel;
  xs: tf.Tensor;
  ys: tf.Tensor;
  readonly samples: number[];
}

/** Makes `engine` current: its backend active and qatkit's kernels registered (or removed for stock). */
export async function activate(engine: Engine): Promise<void> {
  if (engine === 'wasm') {
    await initBackend('wasm');
    return;
  }
  await tf.setBackend('cpu');
  if (engine === 'cpu') {
    registerTrainingKernels('cpu');
    registerFakeQuantKernel('cpu');
  } else {
    unregisterTrainingKernels('cpu');
    // without the fused kernel, fake quantization falls back to plain tfjs ops (what stock tfjs runs)
    if (tf.getKernel(FAKE_QUANT_KERNEL, 'cpu')) tf.unregisterKernel(FAKE_QUANT_KERNEL, 'cpu');
  }
}

export async function makeConfig(engine: Engine, qat: boolean, build: () => tf.LayersModel, batch: number, steps: number, warmUp = engine !== 'stock-cpu'): Promise<TrainConfig> {
  await activate(engine);
  const float = build();
  const model = qat ? quantizeModel(float, { inputRange: [0, 1] }) : float;
  model.compile({ optimizer: tf.train.adam(1e-3), loss: tf.losses.softmaxCrossEntropy });
  const shape = model.inputs[0]!.shape.slice(1) as number[];
  const classes = model.outputs[0]!.shape[1]!;
  const xs = tf.randomUniform([batch, ...shape], 0, 1, 'float32', 1);
  const ys = tf.oneHot(tf.randomUniform([batch], 0, classes, 'int32', 2) as tf.Tensor1D, classes).toFloat();
  return { engine, qat, batch, steps, warmUp, model, xs, ys, samples: [] };
}

async function trainSteps(c: TrainConfig, steps: number): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < steps; i++) await c.model.trainOnBatch(c.xs, c.ys);
  return (performance.now() - t) / steps;
}

/**
 * One warm-up step per configuration that asks for it, then `rounds` rounds that each time every
 * configuration in turn: a burst of noise from other work on the machine hits neighbours alike, so
 * same-round ratios stay meaningful. Each configuration's `samples` get one ms-per-step per round
 * (index = round); returns the median of each configuration's samples.
 */
export async function interleave(configs: TrainConfig[], rounds: number, log: (line: string) => void): Promise<number[]> {
  for (const c of configs) {
    // steps of many seconds of plain JS loops (stock cpu, MobileNetV2 on cpu): JIT warm-up is lost in them
    if (!c.warmUp) continue;
    await activate(c.engine);
    log(`  warm-up ${c.engine}${c.qat ? ' QAT' : ' float'}: ${(await trainSteps(c, 1)).toFixed(0)} ms`);
  }
  for (let r = 0; r < rounds; r++) {
    for (const c of configs) {
      await activate(c.engine);
      c.samples.push(await trainSteps(c, c.steps));
    }
    log(`  round ${r + 1}/${rounds}: ${configs.map((c) => `${c.engine}${c.qat ? ' QAT' : ' float'} ${c.samples.at(-1)!.toFixed(0)} ms`).join(', ')}`);
  }
  return configs.map((c) => median(c.samples));
}

/**
 * `a` ÷ `b` as the median of their per-round ratios: both were timed in the same round, back to
 * back, so a load burst that slows one round scales both and drops out of that round's ratio
 * (a ratio of medians can pair a quiet round of one with a loaded round of the other).
 */
export function roundRatio(a: TrainConfig, b: TrainConfig): number {
  return median(a.samples.map((s, r) => s / b.samples[r]!));
}

export function disposeConfigs(configs: TrainConfig[]): void {
  for (const c of configs) {
    tf.dispose([c.xs, c.ys]);
    c.model.dispose();
  }
}
