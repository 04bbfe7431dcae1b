// Debian's chromium under playwright-core (never Playwright's own browser download).
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env['QATKIT_CHROMIUM'] ?? '/usr/bin/chromium';

// Root needs --no-sandbox; the rest keep a headless CI run quiet and offline.
const ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set QATKIT_CHROMIUM)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}
