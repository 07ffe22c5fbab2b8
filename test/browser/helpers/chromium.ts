/**
 * Launching Debian's Chromium through playwright-core, the way this machine (and CI) can:
 * no browser download, no sandbox (root), no background network traffic, a fresh profile.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Where the tests expect Chromium; `SIMDNET_CHROMIUM` overrides. */
export const CHROMIUM_PATH = process.env.SIMDNET_CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
  '--no-first-run', '--disable-component-update', '--disable-sync',
];

/** A browser context with its own profile; `close` removes the profile too. */
export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Start Chromium; fails (never skips) with instructions when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM_PATH}, which does not exist. ` +
        'Install it with `apt-get update && apt-get install -y chromium` (.ci/run does this), ' +
        'or point SIMDNET_CHROMIUM at a Chromium binary.',
    );
  }
  const profile = await mkdtemp(join(tmpdir(), 'simdnet-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport: { width: 1100, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
