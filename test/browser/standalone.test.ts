/**
 * The single-file build in Chromium: one ES module with the kernels inlined, imported by a
 * plain HTML page (no bundler), training in a worker started from the worker code inlined in
 * it (a Blob URL: no request).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium, type Browser } from './helpers/chromium.js';
import { buildWithVite } from './helpers/demo-build.js';
import { serveStatic, type StaticServer } from './helpers/server.js';
import { tearDown } from './helpers/teardown.js';

const PAGE = `<!doctype html><meta charset="utf-8"><title>single file</title><link rel="icon" href="data:,">
<script type="module">
  import { init, makeMoons, trainInWorker, Network } from './simdnet.js';
  try {
    const build = await init();
    const data = makeMoons(300, 0.1, 3);
    const result = await trainInWorker({
      model: { layerDims: [2, 12, 1], activation: 'tanh', seed: 3 },
      data: { x: data.x, y: data.y, rows: data.rows },
      fit: { epochs: 200, batchSize: 32, optimizer: 'adam', learningRate: 0.03 },
    });
    const onPage = result.network.evaluate({ data: data.x, rows: data.rows, cols: 2 }, data.y);
    window.outcome = { build, workerBuild: result.build, accuracy: onPage.accuracy, isNetwork: result.network instanceof Network };
  } catch (err) {
    window.outcome = { error: String(err && err.stack || err) };
  }
</script>`;

let browser: Browser;
let server: StaticServer;
let outDir: string;

let setupError: unknown;

// A failed setup (say, no Chromium) fails the test with its message instead of skipping it.
beforeAll(async () => {
  try {
    browser = await launchChromium();
    outDir = await buildWithVite('vite.standalone.config.ts');
    await writeFile(join(outDir, 'index.html'), PAGE);
    server = await serveStatic(outDir);
  } catch (err) {
    setupError = err;
  }
}, 120_000);

afterAll(() => tearDown(browser, server, outDir));

it('runs from one file: inlined kernels, worker training, prediction on the page', async () => {
  if (setupError) throw setupError;
  const page = await browser.context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith('blob:')) requests.push(new URL(r.url()).pathname);
  });
  await page.goto(server.url);
  await page.waitForFunction(() => 'outcome' in window, undefined, { timeout: 60_000 });
  const outcome = await page.evaluate(() => (window as unknown as { outcome: Record<string, unknown> }).outcome);
  expect(outcome).toMatchObject({ build: 'simd', workerBuild: 'simd', isNetwork: true });
  expect(outcome['accuracy']).toBeGreaterThanOrEqual(0.95);
  expect(requests.filter((p) => p.endsWith('.wasm'))).toEqual([]);
  expect(new Set(requests)).toEqual(new Set(['/', '/simdnet.js']));
  expect(errors).toEqual([]);
  await page.close();
}, 90_000);
