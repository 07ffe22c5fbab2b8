/**
 * The single-file build in Chromium: one ES module with the kernels inlined, imported by a
 * plain HTML page (no bundler), training in a worker started from the worker code inlined in
 * it (a Blob URL: no request); the fastest build it carries by default, a build asked for when asked.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { buildWithVite } from './helpers/demo-build.js';
import { serveStatic } from './helpers/server.js';
import { browserSuite, visitOutcome } from './helpers/suite.js';

const PAGE = `<!doctype html><meta charset="utf-8"><title>single file</title><link rel="icon" href="data:,">
<script type="module">
  import { init, makeMoons, trainInWorker, Network, relaxedSimdSupported } from './simdnet.js';
  try {
    const build = await init();
    const data = makeMoons(300, 0.1, 3);
    const job = {
      model: { layerDims: [2, 12, 1], activation: 'tanh', seed: 3 },
      data: { x: data.x, y: data.y, rows: data.rows },
      fit: { epochs: 200, batchSize: 32, optimizer: 'adam', learningRate: 0.03 },
    };
    const result = await trainInWorker(job);
    const onPage = result.network.evaluate({ data: data.x, rows: data.rows, cols: 2 }, data.y);
    const pageBuild = Network.mlp([2, 1]).engine.build;
    // A build asked for is the build used, on the page and in the worker.
    await init('scalar');
    const forced = await trainInWorker({ ...job, fit: { ...job.fit, epochs: 1 }, build: 'scalar' });
    window.outcome = {
      build, workerBuild: result.build, pageBuild, forcedPageBuild: Network.mlp([2, 1], { build: 'scalar' }).engine.build,
      forcedWorkerBuild: forced.build, relaxed: relaxedSimdSupported(),
      accuracy: onPage.accuracy, isNetwork: result.network instanceof Network,
    };
  } catch (err) {
    window.outcome = { error: String(err && err.stack || err) };
  }
</script>`;

const suite = browserSuite(async (outDir) => {
  await buildWithVite('vite.standalone.config.ts', outDir);
  await writeFile(join(outDir, 'index.html'), PAGE);
  return [await serveStatic(outDir)];
}, 120_000);

it('runs from one file: inlined kernels, worker training, prediction on the page', async () => {
  const { browser, servers } = suite();
  const { outcome, errors, requests } = await visitOutcome<Record<string, unknown>>(browser, servers[0]!.url, 60_000);
  // Chromium validates relaxed SIMD, but the single file carries only SIMD and scalar kernels:
  // the default is the fastest of those (test/browser/relaxed.test.ts covers the bundled package).
  expect(outcome).toMatchObject({
    relaxed: true, build: 'simd', workerBuild: 'simd', pageBuild: 'simd',
    forcedPageBuild: 'scalar', forcedWorkerBuild: 'scalar', isNetwork: true,
  });
  expect(outcome['accuracy']).toBeGreaterThanOrEqual(0.95);
  expect(requests.filter((p) => p.endsWith('.wasm'))).toEqual([]);
  expect(new Set(requests)).toEqual(new Set(['/', '/simdnet.js']));
  expect(errors).toEqual([]);
}, 90_000);
