// Failures that LiteRT.js itself lets pass: its compile and run calls return normally and
// only its log says what went wrong. On the real runtime, no mocks.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadLiteRt, type CompiledTflite, type LiteRt } from './index.js';
import { gatherModel, PARAMS } from './test-utils/gather-model.js';
import { pinDynamicDims, readModel } from './test-utils/models.js';

const PARAM_VALUES = Float32Array.of(10, 11, 12, 13);

let litert: LiteRt;
beforeAll(async () => {
  litert = await loadLiteRt();
});

function gather(model: CompiledTflite, index: number): number {
  const [out] = model.run([
    { data: PARAM_VALUES, shape: [PARAMS] },
    { data: Int32Array.of(index), shape: [1] },
  ]);
  return out.data[0];
}

/** hello_world_int8 at x = π/2; ≈ 1 when the model ran (its I/O quantization, see load-litert.test.ts). */
async function helloWorldPeak(): Promise<number> {
  const model = await litert.compile(pinDynamicDims(readModel('hello_world_int8.tflite')));
  try {
    const x = Math.round(Math.PI / 2 / 0.024480115622282028) - 128;
    const [out] = model.run([{ data: Int8Array.of(x), shape: [1, 1] }]);
    return (out.data[0] - 5) * 0.008290956728160381;
  } finally {
    model.dispose();
  }
}

describe('a failure while running (GATHER with an index out of range)', () => {
  it('throws with LiteRT\'s words and returns nothing, then runs good inputs again', async () => {
    const model = await litert.compile(gatherModel());
    expect(model.inputs.map((i) => i.dtype)).toEqual(['float32', 'int32']);
    expect(gather(model, 1)).toBe(11);

    let message = '';
    try {
      gather(model, 7);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^LiteRT failed while running the model; its outputs would be stale/);
    expect(message).toContain('ERROR: gather index out of bounds');
    expect(message).toContain('ERROR: Node number 0 (GATHER) failed to invoke.');
    expect(() => gather(model, -1)).toThrow(/gather\.cc:\d+ indices_has_only_positive_elements was not true/);

    // The failed calls leave nothing behind: the same model, then another one, run correctly.
    expect(gather(model, 2)).toBe(12);
    expect(gather(model, 0)).toBe(10);
    model.dispose();
    expect(await helloWorldPeak()).toBeCloseTo(1, 1);
  });
});

describe('a model that can never run is refused at compile()', () => {
  it('rejects person_detect_vela (an Ethos-U custom op LiteRT lacks), quoting LiteRT', async () => {
    const compiling = litert.compile(readModel('person_detect_vela.tflite'));
    await expect(compiling).rejects.toThrow(/^LiteRT could not prepare the model: a trial run on zero inputs failed\./);
    await expect(compiling).rejects.toThrow(/ERROR: Encountered unresolved custom op: ethos-u\./);
    await expect(compiling).rejects.toThrow(/ERROR: Node number 0 \(ethos-u\) failed to prepare\./);
  });

  it('does not carry one call\'s log into the next call\'s verdict', async () => {
    const good = await litert.compile(pinDynamicDims(readModel('hello_world_float.tflite')));
    const bad = await litert.compile(gatherModel());
    const sine = () => good.run([{ data: Float32Array.of(Math.PI / 2), shape: [1, 1] }])[0].data[0];

    expect(() => gather(bad, 9)).toThrow(/out of bounds/);
    expect(sine()).toBeCloseTo(1, 1); // a run right after a failed run
    expect(() => gather(bad, 9)).toThrow(/out of bounds/);
    expect(await helloWorldPeak()).toBeCloseTo(1, 1); // a compile right after a failed run

    await expect(litert.compile(readModel('person_detect_vela.tflite'))).rejects.toThrow(/failed to prepare/);
    expect(sine()).toBeCloseTo(1, 1); // a run right after a failed compile
    await expect(litert.compile(readModel('person_detect_vela.tflite'))).rejects.toThrow(/failed to prepare/);
    expect(await helloWorldPeak()).toBeCloseTo(1, 1); // a compile right after a failed compile
    expect(gather(bad, 3)).toBe(13);
    good.dispose();
    bad.dispose();
  });
});

describe('a second copy of the runner in the same process', () => {
  it('shares the one LiteRT runtime and still sees its failures', async () => {
    vi.resetModules(); // a fresh load-litert.js module; @litertjs/core (external) stays shared
    const copy = await import('./load-litert.js');
    const second = await copy.loadLiteRt();
    expect(second).not.toBe(litert);
    const model = await second.compile(gatherModel());
    expect(gather(model, 1)).toBe(11);
    expect(() => gather(model, 8)).toThrow(/ERROR: gather index out of bounds/);
    await expect(second.compile(readModel('person_detect_vela.tflite'))).rejects.toThrow(/ethos-u/);
    model.dispose();
    // The first copy keeps working and keeps detecting.
    const first = await litert.compile(gatherModel());
    expect(() => gather(first, 8)).toThrow(/ERROR: gather index out of bounds/);
    expect(gather(first, 0)).toBe(10);
    first.dispose();
  });
});
