import type { LayerDescriptor, QuantizeSpec } from '@qatkit/core';
import type { GraphNode } from '../graph/walk.js';
import { pairOf } from '../layers/shapes.js';
import { fail, quantOf, type PlanContext } from './context.js';
import { batchNormFold, planWeighted } from './plan-weighted.js';
import type { PlanConstant, PlanNode } from './types.js';

/**
 * Layers that become several ops (tfmot's layout transforms, anchors §A.7), or an op with a
 * constant operand. Each pushes its nodes and leaves the layer's value readable under its id.
 * The nodes are marked `lowered` (the QAT model builds them from their class and config) and say
 * where their weights and constants come from, so QAT and both exports read the same plan.
 */
export type Lowering = (ctx: PlanContext, node: GraphNode, spec: QuantizeSpec, desc: LayerDescriptor) => void;

const first = (v: unknown): number => (Array.isArray(v) ? Number(v[0]) : Number(v));

function common(ctx: PlanContext, node: GraphNode, desc: LayerDescriptor) {
  return { layers: [node.path], className: desc.className, config: desc.config, application: node.application, activation: 'none' as const, lowered: true, input: ctx.resolve(node.inputs[0]!) };
}

function weightShape(node: GraphNode, name: string): number[] {
  const w = node.layer.weights.find((v) => v.originalName.split('/').pop() === name);
  return w ? [...w.shape] as number[] : fail(`layer "${node.path}" has no weight "${name}"`);
}

/** The quantizer of constant operands: the scheme's activation quantizer (int8 per tensor, as the exporter takes operands). */
function constant(ctx: PlanContext, c: PlanConstant, trainable: boolean): PlanNode['constant'] {
  return { ...c, quantizer: ctx.scheme.input, trainable };
}

/** DepthwiseConv2D (no bias, no activation) → fake-quant → 1×1 Conv2D (tfmot SeparableConvQuantize). */
const separableConv2d: Lowering = (ctx, node, spec, desc) => {
  const c = desc.config;
  const dw = spec.weights['depthwiseKernel'];
  const pw = spec.weights['pointwiseKernel'];
  if (!dw || !pw) fail(`the registry rule for "${node.path}" (class SeparableConv2D) must quantize depthwiseKernel and pointwiseKernel`);
  const [kh, kw, cin, mult] = weightShape(node, 'depthwise_kernel');
  const { input, ...base } = common(ctx, node, desc);
  const dwId = `${node.id}_depthwise`;
  const dwNode: PlanNode = {
    ...base,
    id: dwId,
    name: `${node.path}_depthwise`,
    className: 'DepthwiseConv2D',
    config: { kernelSize: [kh, kw], strides: pairOf(c['strides'] ?? 1), padding: c['padding'], dilationRate: pairOf(c['dilationRate'] ?? 1), depthMultiplier: mult, useBias: false, activation: 'linear' },
    op: 'DepthwiseConv2D',
    inputs: [input],
    shape: [...node.shape.slice(0, -1), cin! * mult!],
    weights: { quantizer: dw.quantizer, perAxis: dw.perAxis },
    weightsFrom: { layer: node.path, kernel: 'depthwise_kernel' },
    output: quantOf(spec.output, 'DepthwiseConv2D'),
  };
  const useBias = c['useBias'] !== false;
  const pwConfig = { filters: c['filters'], kernelSize: [1, 1], strides: [1, 1], padding: 'valid', dilationRate: [1, 1], useBias, activation: c['activation'] ?? 'linear' };
  const { nodes, last } = planWeighted(ctx, node, spec, {
    op: 'Conv2D', className: 'Conv2D', config: pwConfig, weightRule: pw, input: dwId,
    weightsFrom: { layer: node.path, kernel: 'pointwise_kernel', ...(useBias ? { bias: 'bias' } : {}) },
  });
  ctx.push(dwNode, ...nodes.map((n, i) => (i === 0 ? { ...n, lowered: true } : n)));
  if (nodes.at(-1)!.id !== last.id) ctx.alias(last.id, nodes.at(-1)!.id);
};

/** Reshape to [b, 1, L, C] → Conv2D 1×k → Reshape back (TFLite has no 1-D convolution). */
const conv1d: Lowering = (ctx, node, spec, desc) => {
  const c = desc.config;
  if (c['padding'] === 'causal') fail(`layer "${node.path}" (class Conv1D) uses causal padding, which TFLite's CONV_2D cannot express; use padding 'valid' after a left zero-padding of (kernelSize − 1)·dilation steps`);
  const weightRule = spec.weights['kernel'] ?? fail(`the registry rule for "${node.path}" (class Conv1D) must quantize kernel`);
  const [len, channels] = ctx.shapeOf(node.inputs[0]!).slice(1);
  if (len == null || channels == null) fail(`layer "${node.path}" (class Conv1D) needs a static input length and channel count`);
  const { input, ...base } = common(ctx, node, desc);
  const k = first(c['kernelSize']);
  const useBias = c['useBias'] !== false;
  const expandId = `${node.id}_expanded`;
  const same = { kind: 'same-as-input', requantize: false } as const;
  const expand: PlanNode = { ...base, id: expandId, name: `${node.path}_expand`, className: 'Reshape', config: { targetShape: [1, len, channels] }, op: 'Reshape', inputs: [input], shape: [null, 1, len, channels], output: same };
  const { nodes, last } = planWeighted(ctx, node, spec, {
    op: 'Conv2D', className: 'Conv2D', input: expandId, weightRule,
    config: { filters: c['filters'], kernelSize: [1, k], strides: [1, first(c['strides'] ?? 1)], dilationRate: [1, first(c['dilationRate'] ?? 1)], padding: c['padding'], useBias, activation: c['activation'] ?? 'linear' },
    weightsFrom: { layer: node.path, kernel: 'kernel', ...(useBias ? { bias: 'bias' } : {}), kernelShape: [1, k, channels, Number(c['filters'])] },
  });
  // The conv (and a split-off activation) run on the 4-D value; the layer's own id is the reshaped result.
  const inner = new Set(nodes.map((n) => n.id));
  const rename = (id: string) => (inner.has(id) ? `${id}_2d` : id);
  const result = nodes.at(-1)!.id;
  const four = (s: readonly (number | null)[]) => [s[0]!, 1, ...s.slice(1)];
  ctx.push(expand, ...nodes.map((n) => ({ ...n, lowered: true, id: rename(n.id), inputs: n.inputs.map(rename), shape: four(n.shape) })));
  ctx.push({ ...base, id: result, name: `${node.path}_squeeze`, className: 'Reshape', config: { targetShape: last.shape.slice(1) }, op: 'Reshape', inputs: [rename(result)], shape: last.shape, output: same });
  if (result !== last.id) ctx.alias(last.id, result);
};

/** A BatchNormalization no conv/dense absorbs: MUL by γ/√(σ²+ε), then ADD β − μ·γ/√(σ²+ε), per channel. */
const batchNormalization: Lowering = (ctx, node, spec, desc) => {
  const fold = batchNormFold(node, node.shape.length);
  if (!fold) fail(`BatchNormalization "${node.path}" normalizes axis ${String(desc.config['axis'])}, not the last (channel) axis; only the channel axis maps to TFLite MUL + ADD`);
  const { input, ...base } = common(ctx, node, desc);
  const mulId = `${node.id}_scaled`;
  ctx.push(
    { ...base, id: mulId, name: `${node.path}_mul`, op: 'Mul', inputs: [input], shape: node.shape, constant: constant(ctx, { kind: 'batch-norm-scale', batchNorm: fold }, true), output: quantOf(spec.output, 'Mul') },
    { ...base, id: node.id, name: `${node.path}_add`, op: 'Add', inputs: [mulId], shape: node.shape, constant: constant(ctx, { kind: 'batch-norm-offset', batchNorm: fold }, true), output: quantOf(spec.output, 'Add') },
  );
};

/** PRELU with its alpha an int8 constant (per tensor), fake-quantized as such in QAT. */
const prelu: Lowering = (ctx, node, spec, desc) => {
  const rule = spec.weights['alpha'] ?? fail(`the registry rule for "${node.path}" (class PReLU) must quantize alpha`);
  const { input, ...base } = common(ctx, node, desc);
  ctx.push({ ...base, id: node.id, name: node.path, op: 'Prelu', inputs: [input], shape: node.shape, constant: { kind: 'weight', layer: node.path, weight: 'alpha', quantizer: rule.quantizer, trainable: true }, output: quantOf(spec.output, 'Prelu') });
};

/** Average of n values: ADD pairwise (each sum on a learned grid), then MUL by the constant 1/n. */
const average: Lowering = (ctx, node, spec, desc) => {
  const { input: _input, ...base } = common(ctx, node, desc);
  const ins = node.inputs.map((i) => ctx.resolve(i));
  let sum = ins[0]!;
  for (let k = 1; k < ins.length; k++) {
    const id = `${node.id}_sum${k}`;
    ctx.push({ ...base, id, name: `${node.path}_sum${k}`, className: 'Add', config: {}, op: 'Add', inputs: [sum, ins[k]!], shape: node.shape, output: quantOf(spec.output, 'Add') });
    sum = id;
  }
  ctx.push({ ...base, id: node.id, name: node.path, op: 'Mul', inputs: [sum], shape: node.shape, constant: constant(ctx, { kind: 'values', values: [1 / ins.length], shape: [1] }, false), output: quantOf(spec.output, 'Mul') });
};

/** [b, F] → RESHAPE [b, 1, F] → CONCATENATION of n copies on axis 1 (same scale throughout). */
const repeatVector: Lowering = (ctx, node, spec, desc) => {
  const { input, ...base } = common(ctx, node, desc);
  const n = Number(desc.config['n']);
  const features = node.shape[2]!;
  const rowId = n === 1 ? node.id : `${node.id}_row`;
  const same = quantOf(spec.output, 'Reshape');
  ctx.push({ ...base, id: rowId, name: `${node.path}_row`, className: 'Reshape', config: { targetShape: [1, features] }, op: 'Reshape', inputs: [input], shape: [null, 1, features], output: same });
  if (n > 1) ctx.push({ ...base, id: node.id, name: node.path, className: 'Concatenate', config: { axis: 1 }, op: 'Concatenation', inputs: Array<string>(n).fill(rowId), shape: node.shape, output: same });
};

/** x·scale + offset: MUL by a constant, then ADD a constant when the offset is not 0. */
const rescaling: Lowering = (ctx, node, spec, desc) => {
  const { input, ...base } = common(ctx, node, desc);
  const scale = Number(desc.config['scale']);
  const offset = Number(desc.config['offset'] ?? 0);
  const mulId = offset === 0 ? node.id : `${node.id}_scaled`;
  ctx.push({ ...base, id: mulId, name: `${node.path}_mul`, op: 'Mul', inputs: [input], shape: node.shape, constant: constant(ctx, { kind: 'values', values: [scale], shape: [1] }, false), output: quantOf(spec.output, 'Mul') });
  if (offset !== 0) ctx.push({ ...base, id: node.id, name: `${node.path}_add`, op: 'Add', inputs: [mulId], shape: node.shape, constant: constant(ctx, { kind: 'values', values: [offset], shape: [1] }, false), output: quantOf(spec.output, 'Add') });
};

export const LOWERINGS: Readonly<Record<string, Lowering>> = {
  SeparableConv2D: separableConv2d,
  Conv1D: conv1d,
  BatchNormalization: batchNormalization,
  PReLU: prelu,
  Average: average,
  RepeatVector: repeatVector,
  Rescaling: rescaling,
};
