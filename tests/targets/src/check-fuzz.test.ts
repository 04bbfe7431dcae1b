import type { ModelOperator, ModelOptionValue, ModelSubgraph, ModelTensor, TargetModel } from '@qatkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { modelFiles, readModel, TARGETS } from './shared-models.js';

/**
 * The four checks on mutated real models: any shape, type, quantization, opcode, version, option
 * value or wiring a reader could hand over (and some it never would). Every case must end in a
 * consistent report; none may throw or hang.
 */
const RUNS = 10_000;
const TYPES = ['FLOAT32', 'FLOAT16', 'INT32', 'UINT8', 'INT64', 'STRING', 'BOOL', 'INT16', 'INT8', 'UINT16', 'UNKNOWN_99'];
const OPCODES = ['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'TRANSPOSE_CONV', 'SOFTMAX', 'MEAN', 'PAD', 'RESHAPE', 'TRANSPOSE', 'STRIDED_SLICE', 'CONCATENATION', 'RESIZE_BILINEAR', 'UNIDIRECTIONAL_SEQUENCE_LSTM', 'SVDF', 'QUANTIZE', 'DEQUANTIZE', 'ADD', 'MAXIMUM', 'PACK', 'SPLIT', 'MAX_POOL_2D', 'AVERAGE_POOL_2D', 'BATCH_MATMUL', 'CUSTOM', 'WHILE'];
const OPTION_KEYS = ['fusedActivationFunction', 'strideW', 'strideH', 'dilationWFactor', 'dilationHFactor', 'depthMultiplier', 'filterWidth', 'filterHeight', 'padding', 'keepDims', 'keepNumDims', 'axis', 'beta', 'alignCorners', 'halfPixelCenters', 'ellipsisMask', 'newAxisMask', 'weightsFormat', 'adjX'];

const dim = fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: -2, max: 70000 }), fc.constant(2 ** 31 - 1));
const shape = fc.array(dim, { maxLength: 7 });
const num = fc.oneof(fc.integer({ min: -5, max: 300 }), fc.double({ noDefaultInfinity: false }), fc.constant(Number.NaN));
const optionValue: fc.Arbitrary<ModelOptionValue> = fc.oneof(num, fc.boolean(), fc.constantFrom('NONE', 'RELU6', 'SIGN_BIT', 'SAME', 'VALID', 'SHUFFLED4x16INT8'), fc.array(fc.integer({ min: -3, max: 9 }), { maxLength: 5 }));
const quantization = fc.option(
  fc.record({ scale: fc.array(fc.oneof(fc.double({ min: 1e-9, max: 10, noNaN: true }), fc.constant(Number.POSITIVE_INFINITY)), { maxLength: 5 }), zeroPoint: fc.array(fc.integer({ min: -200, max: 300 }), { maxLength: 5 }), quantizedDimension: fc.integer({ min: -2, max: 8 }) }),
  { nil: undefined },
);

type Edit = (sg: ModelSubgraph, pick: number) => ModelSubgraph;
const editTensor = (f: fc.Arbitrary<(t: ModelTensor) => ModelTensor>): fc.Arbitrary<Edit> =>
  f.map((change) => (sg, pick) => {
    const k = pick % Math.max(1, sg.tensors.length);
    return sg.tensors.length === 0 ? sg : { ...sg, tensors: sg.tensors.map((t, i) => (i === k ? change(t) : t)) };
  });
const editOp = (f: fc.Arbitrary<(op: ModelOperator, tensors: number) => ModelOperator>): fc.Arbitrary<Edit> =>
  f.map((change) => (sg, pick) => {
    const k = pick % Math.max(1, sg.operators.length);
    return sg.operators.length === 0 ? sg : { ...sg, operators: sg.operators.map((o, i) => (i === k ? change(o, sg.tensors.length) : o)) };
  });

const edit: fc.Arbitrary<Edit> = fc.oneof(
  editTensor(shape.map((s) => (t) => ({ ...t, shape: s }))),
  editTensor(fc.constantFrom(...TYPES).map((type) => (t) => ({ ...t, type }))),
  editTensor(quantization.map((q) => (t) => ({ ...t, quantization: q }))),
  editTensor(fc.option(fc.array(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), { maxLength: 9 }), { nil: undefined }).map((values) => (t) => ({ ...t, values }))),
  editTensor(fc.tuple(fc.boolean(), fc.boolean(), fc.option(shape, { nil: undefined })).map(([hasData, isVariable, shapeSignature]) => (t) => ({ ...t, hasData, isVariable, shapeSignature }))),
  editOp(fc.tuple(fc.constantFrom(...OPCODES), fc.string({ maxLength: 12 })).map(([opcode, customCode]) => (o) => ({ ...o, opcode, customCode }))),
  editOp(fc.integer({ min: 0, max: 12 }).map((version) => (o) => ({ ...o, version }))),
  editOp(fc.tuple(fc.constantFrom(...OPTION_KEYS), optionValue).map(([key, value]) => (o) => ({ ...o, options: { ...o.options, [key]: value } }))),
  editOp(fc.array(fc.integer({ min: -1, max: 1000 }), { maxLength: 30 }).map((picks) => (o, n) => ({ ...o, inputs: picks.map((p) => (p < 0 ? -1 : p % Math.max(1, n))) }))),
  editOp(fc.array(fc.nat(), { maxLength: 8 }).map((picks) => (o, n) => ({ ...o, intermediates: picks.map((p) => p % Math.max(1, n)) }))),
  fc.constant<Edit>((sg) => ({ ...sg, operators: [...sg.operators].reverse() })), // out of execution order
);

describe('the four checks fuzzed with mutated real models', () => {
  it(`end every one of ${RUNS} cases in a consistent report`, () => {
    const models: TargetModel[] = modelFiles().map(readModel);
    const weight = models.map((m) => (m.subgraphs[0]!.operators.length > 50 ? 1 : 10));
    const caseArb = fc.tuple(
      fc.oneof(...models.map((_, i) => ({ arbitrary: fc.constant(i), weight: weight[i]! }))),
      fc.array(fc.tuple(edit, fc.nat()), { minLength: 1, maxLength: 5 }),
    );
    let runs = 0;
    let slowest = 0;
    const verdicts = new Set<string>();
    fc.assert(
      fc.property(caseArb, ([i, edits]) => {
        const base = models[i]!;
        let sg = base.subgraphs[0]!;
        for (const [change, pick] of edits) sg = change(sg, pick);
        const model: TargetModel = { ...base, subgraphs: [sg, ...base.subgraphs.slice(1)] };
        const started = performance.now();
        for (const target of Object.values(TARGETS)) {
          const r = target.check(model);
          const ops = model.subgraphs.reduce((a, s) => a + s.operators.length, 0);
          if (r.ops.length !== ops || r.summary.opsOnAccelerator > r.summary.ops || !(r.summary.macsOnAccelerator <= r.summary.macs) || !Number.isFinite(r.summary.macs)) {
            throw new Error(`inconsistent ${target.name} report: ${JSON.stringify(r.summary)}`);
          }
          if (r.ops.some((o) => (o.placement === 'accelerator') !== (o.partition !== undefined))) throw new Error(`${target.name}: partition bookkeeping`);
          verdicts.add(r.summary.verdict);
        }
        slowest = Math.max(slowest, performance.now() - started);
        runs++;
      }),
      { numRuns: RUNS, seed: 7_2025, interruptAfterTimeLimit: 120_000, markInterruptAsFailure: true },
    );
    expect(runs).toBe(RUNS);
    expect(verdicts).toEqual(new Set(['accelerator', 'partial', 'cpu', 'blocked']));
    expect(slowest).toBeLessThan(2_000);
  });
});
