/**
 * The build chosen by default in Chromium, which validates relaxed SIMD: a page built with
 * Vite from the sources (as a bundler-using app imports the package) computes with the relaxed
 * build after a plain `init()`, on the page and in `trainInWorker`'s worker, isolated (threads)
 * or not; a build asked for — per network, per worker job, or relaxed SIMD turned off before
 * `init()` — is the build used.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';
import { serveStatic } from './helpers/server.js';
import { browserSuite, visitOutcome } from './helpers/suite.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

const PAGE = `<!doctype html><meta charset="utf-8"><title>relaxed by default</title><link rel="icon" href="data:,">
<script type="module" src="./main.js"></script>`;

/** `?off` turns relaxed SIMD off before init(), the documented way to keep the simd build. */
const MAIN = `
import { init, Network, makeMoons, relaxedSimdSupported, overrideRelaxedSimdSupport } from ${JSON.stringify(join(SRC, 'index.ts'))};
import { trainInWorker } from ${JSON.stringify(join(SRC, 'browser/index.ts'))};
try {
  const validates = relaxedSimdSupported();
  if (location.search === '?off') overrideRelaxedSimdSupport(false);
  await init();
  const moons = makeMoons(200, 0.1, 2);
  const job = {
    model: { layerDims: [2, 8, 1], activation: 'tanh', seed: 2 },
    data: { x: moons.x, y: moons.y, rows: moons.rows },
    fit: { epochs: 100, batchSize: 32, optimizer: 'adam', learningRate: 0.03 },
  };
  const net = Network.mlp([2, 8, 1], { seed: 2 });
  const inWorker = await trainInWorker(job);
  const forcedWorker = await trainInWorker({ ...job, fit: { ...job.fit, epochs: 1 }, build: 'simd' });
  window.outcome = {
    validates, page: net.engine.build, forcedPage: Network.mlp([2, 1], { build: 'simd' }).engine.build,
    worker: inWorker.build, workerAccuracy: inWorker.evaluation.accuracy, workerNetwork: inWorker.network.engine.build,
    forcedWorker: forcedWorker.build,
  };
} catch (err) {
  window.outcome = { error: String((err && err.stack) || err) };
}
`;

const suite = browserSuite(async (outDir) => {
  await writeFile(join(outDir, 'index.html'), PAGE);
  await writeFile(join(outDir, 'main.js'), MAIN);
  await build({
    root: outDir, configFile: false, logLevel: 'warn', base: './', worker: { format: 'es' },
    build: { outDir: join(outDir, 'dist'), target: 'es2022', minify: false, assetsInlineLimit: 0 },
  });
  const dist = join(outDir, 'dist');
  return [await serveStatic(dist), await serveStatic(dist, { isolated: true })];
}, 180_000);

interface Outcome {
  error?: string;
  validates?: boolean;
  page?: string;
  forcedPage?: string;
  worker?: string;
  workerAccuracy?: number;
  workerNetwork?: string;
  forcedWorker?: string;
}

async function visit(url: string): Promise<Outcome> {
  const { outcome, errors } = await visitOutcome<Outcome>(suite().browser, url, 90_000);
  expect(errors).toEqual([]);
  return outcome;
}

describe('the default WASM build in Chromium', () => {
  for (const isolated of [false, true]) {
    it(`is relaxed SIMD on the page and in trainInWorker (${isolated ? 'cross-origin isolated: threads' : 'not isolated: one thread'}); a build asked for is used`, async () => {
      const outcome = await visit(suite().servers[isolated ? 1 : 0]!.url);
      expect(outcome.error).toBeUndefined();
      expect(outcome).toMatchObject({
        validates: true, page: 'relaxed', worker: 'relaxed', workerNetwork: 'relaxed', forcedPage: 'simd', forcedWorker: 'simd',
      });
      expect(outcome.workerAccuracy).toBeGreaterThanOrEqual(0.95);
    }, 120_000);
  }

  it('is SIMD when relaxed SIMD is turned off before init()', async () => {
    const outcome = await visit(`${suite().servers[0]!.url}?off`);
    expect(outcome.error).toBeUndefined();
    // The page's choice only: the worker is its own realm and detects for itself.
    expect(outcome).toMatchObject({ validates: true, page: 'simd', forcedPage: 'simd', worker: 'relaxed', forcedWorker: 'simd' });
  }, 120_000);
});
