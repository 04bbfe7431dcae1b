// Screenshot of the built page after a full default run (300 float + 150 QAT steps, all 2,000
// test images) for the README: `pnpm --filter @qatkit/playground screenshot [out.png]`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../src/test-utils/browser.js';
import { serveStatic } from '../src/test-utils/serve.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = path.resolve(process.argv[2] ?? path.join(root, '..', '..', 'docs', 'playground.png'));
const server = await serveStatic(path.join(root, 'dist'));
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const started = performance.now();
  await page.goto(`${server.url}?auto`);
  await page.waitForFunction(() => ['done', 'error'].includes((window as unknown as { qatkitPlayground?: { status: string } }).qatkitPlayground?.status ?? ''), null, {
    timeout: 600_000,
  });
  await page.screenshot({ path: out, fullPage: true });
  console.log(`${out} after ${((performance.now() - started) / 1000).toFixed(1)} s: ${await page.textContent('#status')}`);
} finally {
  await browser.close();
  await server.close();
}
