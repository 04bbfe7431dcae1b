// The acceptance test of the playground: the built page in real (headless) Chromium trains the
// demo CNN with QAT for a bounded number of steps, and what it hands the user (a .tflite
// download) is checked outside the browser: readTflite parses it, LiteRT in Node runs it, and
// its outputs agree with the page's own QAT model on a fixed batch.
import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { readTflite } from '@qatkit/exporter-tflite';
import { loadLiteRt } from '@qatkit/litert-runner';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoOutcome } from './run-demo.js';
import { launchChromium } from './test-utils/browser.js';
import { saveOwnModel } from './test-utils/own-model.js';
import { serveStatic, type StaticServer } from './test-utils/serve.js';

const DIST = fileURLToPath(new URL('../dist', import.meta.url));
const FLOAT_STEPS = 40;
const QAT_STEPS = 30;

let server: StaticServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

interface PageState {
  status: string;
  backend?: string;
  error?: string;
  outcome?: DemoOutcome;
  ownModel?: { tfliteBytes: number; opcodes: string[] };
}
const pageState = () => page.evaluate(() => (window as unknown as { qatkitPlayground: PageState }).qatkitPlayground);

async function download(selector: string): Promise<Uint8Array> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return new Uint8Array(await readFile(await file.path()));
}

beforeAll(async () => {
  server = await serveStatic(DIST);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  page.on('console', (m) => void (m.type() === 'error' && problems.push(`console.error: ${m.text()}`)));
  page.on('pageerror', (e) => void problems.push(`page error: ${e.message}`));
  await page.goto(`${server.url}?auto&float=${FLOAT_STEPS}&qat=${QAT_STEPS}&test=500`);
  await page.waitForFunction(
    () => ['done', 'error'].includes((window as unknown as { qatkitPlayground?: PageState }).qatkitPlayground?.status ?? ''),
    null,
    { timeout: 90_000 },
  );
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the playground in headless Chromium', () => {
  it('trains float then QAT to the end, with no console error, on a backend it names', async () => {
    const state = await pageState();
    expect(state.error).toBeUndefined();
    expect(state.status).toBe('done');
    expect(['webgpu', 'webgl', 'wasm', 'cpu']).toContain(state.backend);
    expect(await page.textContent('#backend')).toContain(state.backend!);
    expect(problems).toEqual([]);
    // 70 steps of a fresh CNN: far above chance (10%), and the deployed model matches QAT in the page too
    expect(state.outcome!.floatAccuracy).toBeGreaterThan(0.4);
    expect(state.outcome!.qatAccuracy).toBeGreaterThan(0.4);
    expect(state.outcome!.withinOneStep).toBeGreaterThanOrEqual(0.99);
    expect(Math.abs(state.outcome!.deployedAccuracy - state.outcome!.qatAccuracy)).toBeLessThanOrEqual(0.01);
  });

  it('draws the chart: one point per step, both curves on the canvas', async () => {
    expect(await page.evaluate(() => (window as unknown as { qatkitChart: { size: number } }).qatkitChart.size)).toBe(FLOAT_STEPS + QAT_STEPS);
    const colored = await page.evaluate(() => {
      const canvas = document.getElementById('chart') as HTMLCanvasElement;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      const near = (i: number, rgb: number[]) => rgb.every((c, k) => Math.abs(data[i + k]! - c) < 40) && data[i + 3]! > 200;
      let loss = 0;
      let acc = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (near(i, [0xd9, 0x48, 0x0f])) loss++;
        if (near(i, [0x19, 0x71, 0xc2])) acc++;
      }
      return { loss, acc };
    });
    // a 2 px line across ~800 px, minus the axis labels drawn in the same colours
    expect(colored.loss).toBeGreaterThan(800);
    expect(colored.acc).toBeGreaterThan(800);
  });

  it('hands out a .tflite that readTflite accepts and LiteRT in Node runs like the page QAT model', async () => {
    const bytes = await download('#download-tflite');
    const state = await pageState();
    expect(bytes.byteLength).toBe(state.outcome!.tfliteBytes);
    const model = readTflite(bytes);
    const sg = model.subgraphs[0]!;
    const opcodes = sg.operators.map((op) => op.opcode);
    expect(opcodes).toEqual(expect.arrayContaining(['QUANTIZE', 'CONV_2D', 'MAX_POOL_2D', 'FULLY_CONNECTED', 'DEQUANTIZE']));
    expect(sg.tensors[sg.inputs[0]!]!).toMatchObject({ shape: [1, 28, 28, 1], type: 'FLOAT32' });
    // one output step, read from the file itself: the int8 tensor the final DEQUANTIZE reads
    const dequantize = sg.operators.find((op) => op.opcode === 'DEQUANTIZE' && op.outputs[0] === sg.outputs[0])!;
    const step = sg.tensors[dequantize.inputs[0]!]!.quantization!.scale[0]!;
    expect(step).toBeCloseTo(state.outcome!.probe.step, 6);

    const { pixels, logits, count } = state.outcome!.probe;
    const compiled = await (await loadLiteRt()).compile(bytes);
    let within = 0;
    for (let i = 0; i < count; i++) {
      const data = Float32Array.from(pixels.slice(i * 784, (i + 1) * 784), (p) => p / 255);
      const [out] = compiled.run([{ data, shape: [1, 28, 28, 1] }]);
      for (let c = 0; c < 10; c++) if (Math.abs(out!.data[c]! - logits[i * 10 + c]!) / step <= 1 + 1e-3) within++;
    }
    compiled.dispose();
    expect(within / (count * 10)).toBeGreaterThanOrEqual(0.99);
  });

  it("quantizes and exports a user's own model.json picked from disk", async () => {
    const own = await saveOwnModel();
    try {
      await page.setInputFiles('#model-files', own.files);
      await page.waitForSelector('#download-own', { timeout: 30_000 });
      const state = await pageState();
      expect(state.ownModel!.opcodes).toEqual(expect.arrayContaining(['CONV_2D', 'MEAN', 'FULLY_CONNECTED']));
      const bytes = await download('#download-own');
      expect(readTflite(bytes).subgraphs[0]!.tensors.some((t) => t.type === 'INT8')).toBe(true);
      expect(await page.textContent('#own-status')).toMatch(/my_net: .*random inputs/);
      expect(problems).toEqual([]);
    } finally {
      await rm(own.dir, { recursive: true, force: true });
    }
  });
});
