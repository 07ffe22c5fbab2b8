/**
 * The shape every Chromium suite shares: start the browser and build the pages once per file,
 * fail (never skip) each test with the setup's error, release everything afterwards; and pages
 * that report by setting `window.outcome`.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium, type Browser } from './chromium.js';
import type { StaticServer } from './server.js';
import { tearDown } from './teardown.js';

/** A ready suite: Chromium, the temporary folder the pages were built into, the servers over it (the first is the default). */
export interface BrowserSuite {
  browser: Browser;
  outDir: string;
  servers: StaticServer[];
}

/**
 * Register the file's setup and teardown: `build` writes the pages into a new temporary folder
 * and returns the servers it started. The returned function gives the ready suite, or throws
 * what went wrong in setup (say, no Chromium), so that the test fails with that message.
 */
export function browserSuite(build: (outDir: string) => Promise<StaticServer[]>, timeout: number): () => BrowserSuite {
  let browser: Browser | undefined;
  let outDir: string | undefined;
  const servers: StaticServer[] = [];
  let setupError: unknown;
  beforeAll(async () => {
    try {
      browser = await launchChromium();
      outDir = await mkdtemp(join(tmpdir(), 'simdnet-web-'));
      servers.push(...(await build(outDir)));
    } catch (err) {
      setupError = err;
    }
  }, timeout);
  afterAll(async () => {
    for (const server of servers.slice(1)) await server.close();
    await tearDown(browser, servers[0], outDir);
  });
  return () => {
    if (setupError) throw setupError;
    return { browser: browser!, outDir: outDir!, servers };
  };
}

/** A page's report, the errors it logged or threw, and the paths it requested (blob: URLs aside). */
export interface PageVisit<T> {
  outcome: T;
  errors: string[];
  requests: string[];
}

/**
 * Open `url` in a new page, wait up to `timeout` ms for `window.outcome` and return it. A page whose
 * module never runs says why (its errors) instead of only timing out.
 */
export async function visitOutcome<T>(browser: Browser, url: string, timeout: number): Promise<PageVisit<T>> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (e) => errors.push(e.stack ?? e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('requestfailed', (r) => errors.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('blob:')) requests.push(new URL(r.url()).pathname);
  });
  try {
    await page.goto(url);
    await page.waitForFunction(() => 'outcome' in window, undefined, { timeout }).catch((err: Error) => {
      throw new Error(`${err.message}; page errors: ${errors.join(' | ') || 'none'}`);
    });
    const outcome = await page.evaluate(() => (window as unknown as { outcome: T }).outcome);
    return { outcome, errors, requests };
  } finally {
    await page.close();
  }
}
