/**
 * Apps built from the packed tarball by the bundlers people use, each with no configuration
 * about simdnet — Vite (dev server and build), esbuild and webpack 5 — and run in Chromium:
 * one page imports `simdnet` and `simdnet/browser`, one imports `simdnet/standalone`. Each
 * trains make_moons on the page and in a Web Worker to ≥ 0.95 with no console error.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type Browser } from '../browser/helpers/chromium.js';
import { serveStatic, type StaticServer } from '../browser/helpers/server.js';
import { consumerProject, packTarball } from './tarball.js';

/** Training settings both pages use, on the page and in the worker. */
const JOB = `{
  model: { layerDims: [2, 16, 1], activation: 'tanh', seed: 1 },
  fit: { epochs: 200, batchSize: 'full', optimizer: 'adam', learningRate: 0.02 },
}`;

/** A page's script: train on the page, then in a worker; the outcome goes to body[data-result]. */
const script = (imports: string) => `${imports}
const report = (result) => { document.body.dataset.result = JSON.stringify(result); };
try {
  const job = ${JOB};
  await init();
  const moons = makeMoons(400, 0.1, 1);
  const net = Network.mlp(job.model.layerDims, { activation: job.model.activation, seed: job.model.seed });
  await net.fit(moons, job.fit);
  const inWorker = await trainInWorker({ ...job, data: { x: moons.x, y: moons.y, rows: moons.rows } });
  report({ build: net.engine.build, page: net.evaluate(moons).accuracy, worker: inWorker.evaluation.accuracy, workerBuild: inWorker.build });
} catch (err) {
  report({ error: String((err && err.stack) || err) });
}
`;

const APP = {
  'main.js': script(`import { init, Network, makeMoons } from 'simdnet';\nimport { trainInWorker } from 'simdnet/browser';`),
  'standalone.js': script(`import { init, Network, makeMoons, trainInWorker } from 'simdnet/standalone';`),
};
const PAGES = ['main', 'standalone'] as const;

/** An HTML page loading `src` (a module script unless `classic`). */
const html = (src: string, classic = false) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>app</title><link rel="icon" href="data:,"></head>` +
  `<body><script ${classic ? '' : 'type="module" '}src="${src}"></script></body></html>`;

let browser: Browser;
let project: string;
let setupError: unknown;
const servers: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  try {
    browser = await launchChromium();
    const tarball = await packTarball();
    project = await consumerProject(tarball);
    mkdirSync(join(project, 'src'));
    for (const [name, text] of Object.entries(APP)) writeFileSync(join(project, 'src', name), text);
    for (const page of PAGES) writeFileSync(join(project, `${page}.html`), html(`./src/${page}.js`));
  } catch (err) {
    setupError = err;
  }
}, 300_000);

afterAll(async () => {
  for (const s of servers) await s.close();
  await browser?.close();
});

function ready(): string {
  if (setupError) throw setupError;
  return project;
}

interface Outcome {
  build?: string;
  page?: number;
  worker?: number;
  workerBuild?: string;
  error?: string;
}

/** Open `url`, wait for the outcome; returns it with the console errors seen. */
async function visit(url: string): Promise<{ outcome: Outcome; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(url);
    await page.waitForSelector('body[data-result]', { state: 'attached', timeout: 90_000 });
    const outcome = JSON.parse((await page.getAttribute('body', 'data-result'))!) as Outcome;
    return { outcome, errors };
  } finally {
    await page.close();
  }
}

/** Both pages under `base` (`main.html` / `standalone.html`, or as `file` names them) train on the page and in a worker. */
async function expectBothPagesTrain(base: string, file = (page: string) => `${page}.html`): Promise<void> {
  for (const name of PAGES) {
    const { outcome, errors } = await visit(base + file(name));
    expect(outcome.error, `${name}: ${outcome.error}`).toBeUndefined();
    // Chromium validates relaxed SIMD; the single file carries only the SIMD and scalar kernels.
    const want = name === 'main' ? 'relaxed' : 'simd';
    expect(outcome, name).toMatchObject({ build: want, workerBuild: want });
    expect(outcome.page, name).toBeGreaterThanOrEqual(0.95);
    expect(outcome.worker, name).toBeGreaterThanOrEqual(0.95);
    expect(errors, name).toEqual([]);
  }
}

async function serve(dir: string): Promise<string> {
  const server: StaticServer = await serveStatic(dir);
  servers.push(server);
  return server.url;
}

describe.sequential('bundlers, zero configuration', () => {
  it('Vite dev server (dependency pre-bundling on, nothing excluded)', async () => {
    const { createServer } = await import('vite');
    const server = await createServer({ root: ready(), configFile: false, logLevel: 'error', server: { host: '127.0.0.1', port: 0 } });
    await server.listen();
    servers.push(server);
    const address = server.httpServer!.address() as { port: number };
    await expectBothPagesTrain(`http://127.0.0.1:${address.port}/`);
  }, 240_000);

  it('vite build', async () => {
    const { build } = await import('vite');
    const outDir = join(ready(), 'dist-vite');
    await build({
      root: ready(), configFile: false, logLevel: 'error',
      build: { outDir, target: 'es2022', rollupOptions: { input: Object.fromEntries(PAGES.map((p) => [p, join(ready(), `${p}.html`)])) } },
    });
    await expectBothPagesTrain(await serve(outDir));
  }, 240_000);

  it('esbuild', async () => {
    const esbuild = await import('esbuild');
    const outdir = join(ready(), 'dist-esbuild');
    await esbuild.build({ absWorkingDir: ready(), entryPoints: PAGES.map((p) => `src/${p}.js`), bundle: true, format: 'esm', target: 'es2022', minify: true, outdir, logLevel: 'error' });
    for (const page of PAGES) writeFileSync(join(outdir, `${page}.html`), html(`./${page}.js`));
    await expectBothPagesTrain(await serve(outdir));
  }, 240_000);

  it('webpack 5', async () => {
    const { default: webpack } = await import('webpack');
    const path = join(ready(), 'dist-webpack');
    const stats = await new Promise<import('webpack').Stats>((resolve, reject) => {
      const compiler = webpack({
        mode: 'production', context: ready(), devtool: false, performance: { hints: false },
        entry: Object.fromEntries(PAGES.map((p) => [p, `./src/${p}.js`])), output: { path, filename: '[name].js' },
      });
      compiler.run((err, result) => compiler.close(() => (err || !result ? reject(err) : resolve(result))));
    });
    expect(stats.compilation.errors.map((e) => e.message)).toEqual([]);
    for (const page of PAGES) writeFileSync(join(path, `${page}.html`), html(`./${page}.js`, true));
    await expectBothPagesTrain(await serve(path));
  }, 300_000);
});
