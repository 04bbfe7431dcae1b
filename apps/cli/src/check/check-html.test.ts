import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readTflite } from '@qatkit/exporter-tflite';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDocument } from './check-json.js';
import { renderHtml } from './check-html.js';
import { DEFAULT_TARGETS, parseTarget } from './target-specs.js';
import { sharedModel } from './test-models.js';

/** Debian's chromium (.ci/run installs it); QATKIT_CHROMIUM points elsewhere. */
const CHROMIUM = process.env['QATKIT_CHROMIUM'] ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

let browser: Browser;
beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set QATKIT_CHROMIUM)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});
afterAll(async () => browser?.close());

async function reportFile(model: string): Promise<{ file: string; ops: number; targets: number }> {
  const bytes = new Uint8Array(await readFile(sharedModel(model)));
  const m = readTflite(bytes);
  const reports = DEFAULT_TARGETS.map(parseTarget).map((t) => t.check(m));
  const dir = await mkdtemp(join(tmpdir(), 'qatkit-html-'));
  const file = join(dir, 'report.html');
  await writeFile(file, renderHtml(checkDocument(model, bytes.length, m, reports), m, '0.0.0-test'));
  return { file, ops: m.subgraphs[0]!.operators.length, targets: reports.length };
}

/** Opens the report with every network request refused: self-contained means nothing is fetched. */
async function open(file: string) {
  const page = await browser.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('request', (req) => req.url().startsWith('file:') || requests.push(req.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, errors, requests };
}

describe('the HTML report in headless Chromium', () => {
  it('renders every op of MobileNetV2 in every target\'s graph and table, with no console error', async () => {
    const { file, ops, targets } = await reportFile('mobilenet_v2_quantized_1x3x224x224.tflite');
    const { page, errors, requests } = await open(file);
    const perSection = await page.$$eval('section.target', (sections) =>
      sections.map((s) => [s.querySelectorAll('svg g.op[data-op]').length, s.querySelectorAll('tr[data-op]').length]),
    );
    expect(perSection).toEqual(Array.from({ length: targets }, () => [ops, ops]));
    const hidden = await page.$$eval('svg g.op', (nodes) => nodes.filter((n) => n.getBoundingClientRect().width < 10 || n.getBoundingClientRect().height < 10).length);
    expect(hidden).toBe(0);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('colours each op by placement and links graph and table on hover', async () => {
    const { file } = await reportFile('keyword_scrambled_8bit.tflite');
    const { page, errors } = await open(file);
    const fills = await page.$$eval('section.target:first-of-type svg g.op', (nodes) => {
      // runs in the page (DOM), typed here without the DOM lib
      const style = (globalThis as unknown as { getComputedStyle(e: unknown): { fill: string } }).getComputedStyle;
      return nodes.map((n) => [n.getAttribute('data-placement'), style(n.querySelector('rect')!).fill]);
    });
    const byPlacement = Object.fromEntries(fills.map(([p, f]) => [p, f]));
    expect(byPlacement).toEqual({ cpu: 'rgb(255, 224, 178)', accelerator: 'rgb(200, 230, 201)' });
    expect(fills.filter(([p]) => p === 'accelerator')).toHaveLength(1); // Edge TPU: one FULLY_CONNECTED mapped
    await page.hover('svg g.op[data-op="t0s0:2"]');
    expect(await page.getAttribute('tr[data-op="t0s0:2"]', 'class')).toMatch(/\bhl\b/);
    const refused = await reportFile('hello_world_float.tflite');
    const second = await open(refused.file);
    expect(await second.page.$$eval('section.target:first-of-type svg g.op', (n) => n.map((x) => x.getAttribute('data-placement')))).toEqual(['blocks', 'blocks', 'blocks']);
    expect([...errors, ...second.errors]).toEqual([]);
    await page.close();
    await second.page.close();
  });
});
