/**
 * One teardown for the browser suites: close Chromium and the server, delete the build.
 */
import { rm } from 'node:fs/promises';
import type { Browser } from './chromium.js';
import type { StaticServer } from './server.js';

/** Release whatever a suite's setup got as far as creating. */
export async function tearDown(browser: Browser | undefined, server: StaticServer | undefined, outDir: string | undefined): Promise<void> {
  await browser?.close();
  await server?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
}
