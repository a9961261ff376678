/**
 * One headless Chromium per test file: Debian's /usr/bin/chromium driven by playwright-core, never a browser
 * downloaded by Playwright (CI installs the Debian package; nothing else can be fetched).
 */
import * as fs from 'node:fs';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium; `MESH_CHROMIUM` points elsewhere on a machine that has it in another place. */
export const CHROMIUM = process.env.MESH_CHROMIUM ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium) or set MESH_CHROMIUM`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true });
}

/** The browser and the one context a test file opens its tabs in. */
export interface BrowserSession {
  readonly browser: Browser;
  readonly context: BrowserContext;
}

export async function openSession(): Promise<BrowserSession> {
  const browser = await launchBrowser();
  return { browser, context: await browser.newContext() };
}
