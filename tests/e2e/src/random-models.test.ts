import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAgreement } from '@qatkit/cli';
import { isQatkitError, type Graph } from '@qatkit/core';
import { exportTflite } from '@qatkit/exporter-tflite';
import { loadLiteRt, type LiteRt } from '@qatkit/litert-runner';
import { calibrate, initBackend, quantizeModel, toGraph } from '@qatkit/tfjs';
import { compareOutput, outputStep, predictAll, runDeployed } from './deployed.js';
import { buildModel, caseSpec, inputData, type CaseSpec } from './random-models.js';

/**
 * The hardening property: any small conv/dense model with any weights and data ends either in an
 * int8 model that LiteRT runs and that agrees with the QAT model (≥ 99% of outputs within one
 * output step) or in a clear QatkitError before any bytes are written. Never a silent disagreement.
 */

const RUNS = Number(process.env['QATKIT_PROPERTY_RUNS'] ?? 300);
const TIME_LIMIT_MS = 420_000;
const EVAL = 8;

let rt: LiteRt;
const outcomes = { agreed: 0, refused: new Map<string, number>() };

beforeAll(async () => {
  await initBackend('wasm');
  rt = await loadLiteRt();
});

afterAll(() => {
  const refused = [...outcomes.refused].map(([m, n]) => `${n}× ${m}`).join('\n  ');
  process.stdout.write(`random models: ${outcomes.agreed} agreed on LiteRT, ${[...outcomes.refused.values()].reduce((a, b) => a + b, 0)} refused with a QatkitError\n  ${refused}\n`);
});

/** The first words of a message, so refusals of one kind count together. */
const kindOf = (e: { code: string; message: string }) => `${e.code}: ${e.message.replace(/"[^"]*"/g, '"…"').replace(/-?\d[\d.e+-]*/g, 'N').slice(0, 90)}`;

async function qatModelFor(spec: CaseSpec): Promise<tf.LayersModel> {
  const model = buildModel(spec);
  const { lo, hi, fixedRange } = spec.input;
  const qat = quantizeModel(model, fixedRange ? { inputRange: [lo, hi] } : {});
  model.dispose();
  const xs = inputData(spec, 16, 1);
  if (spec.fit) {
    const units = qat.outputs[0]!.shape[1]!;
    const ys = tf.randomUniform([16, units], 0, 1, 'float32', spec.seed);
    qat.compile({ optimizer: tf.train.sgd(1e-3), loss: 'meanSquaredError' });
    await qat.fit(xs, ys, { epochs: 1, batchSize: 16, verbose: 0 });
    ys.dispose();
  } else {
    calibrate(qat, [xs]);
  }
  xs.dispose();
  return qat;
}

async function check(spec: CaseSpec): Promise<void> {
  const qat = await qatModelFor(spec);
  const xs = inputData(spec, EVAL, 2);
  try {
    let graph: Graph;
    try {
      graph = toGraph(qat);
      // Export once here so its refusals count as such; runDeployed exports the same bytes again.
      exportTflite(graph, { io: spec.io });
    } catch (e) {
      if (!isQatkitError(e)) throw e;
      outcomes.refused.set(kindOf(e), (outcomes.refused.get(kindOf(e)) ?? 0) + 1);
      if (process.env["QATKIT_DEBUG_REFUSALS"]) console.log(JSON.stringify(spec), e.message);
      return;
    }
    const expected = predictAll(qat, [xs])[0]!;
    const got = await runDeployed(rt, graph, spec.io, [xs]);
    const report = compareOutput(expected, got, 0, outputStep(graph, 0));
    const verdict = checkAgreement(report);
    if (!verdict.ok) throw new Error(verdict.message);
    outcomes.agreed++;
  } finally {
    xs.dispose();
    qat.dispose();
  }
}

describe('random models through QAT → TFLite → LiteRT', () => {
  it(`agree with the QAT model or fail with a QatkitError (${RUNS} cases)`, async () => {
    await fc.assert(fc.asyncProperty(caseSpec, check), {
      seed: 20261125,
      numRuns: RUNS,
      interruptAfterTimeLimit: TIME_LIMIT_MS,
      markInterruptAsFailure: true,
      endOnFailure: true,
    });
    // A test that refuses everything would pass vacuously: most cases must deploy.
    expect(outcomes.agreed).toBeGreaterThanOrEqual(RUNS * 0.8);
  });
});
