/**
 * The demo page in real Chromium: built with Vite, served on 127.0.0.1, driven through
 * playwright-core. Screenshots of each view go to test/browser/artifacts/.
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildWithVite } from './helpers/demo-build.js';
import { serveStatic } from './helpers/server.js';
import { browserSuite } from './helpers/suite.js';
import { Network } from '../../src/network.js';
import { encodeModel } from '../../src/io/format.js';
import { formatLoss } from '../../demo/src/format.js';

const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url));
const LONG = 90_000;

const suite = browserSuite(async (outDir) => {
  await buildWithVite('vite.config.ts', outDir);
  await mkdir(artifacts, { recursive: true });
  return [await serveStatic(outDir)];
}, 120_000);

/** A page on the demo that records console errors and uncaught exceptions. */
async function openDemo(query = '', base?: string): Promise<{ page: Page; errors: string[] }> {
  // First, before touching what setup should have made: without Chromium, its message is the failure.
  const { browser, servers } = suite();
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto((base ?? servers[0]!.url) + query);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return { page, errors };
}

/** Fill the playground form and start training. */
async function trainPlayground(page: Page, settings: { dataset: string; epochs: number }): Promise<void> {
  await page.selectOption('select[name="dataset"]', settings.dataset);
  await page.fill('input[name="epochs"]', String(settings.epochs));
  await page.click('#pg-train');
}

/**
 * The page's number rules, checked on a piece of its text: no count of four or more digits
 * without thousands separators ("1000"; digits after a decimal point are not a count), and
 * no loss written with four decimals and nothing significant ("0.0000").
 */
function expectFormatted(text: string): void {
  expect(text, 'a count without thousands separators').not.toMatch(/(?<![.,\d])\d{4,}/);
  expect(text, 'a loss without significant digits').not.toMatch(/\b0\.0{3,}(?![1-9])/);
}

/** The text of `selector`, checked against the number rules, with its loss written as {@link formatLoss} writes `data-loss`. */
async function expectLossText(page: Page, selector: string): Promise<string> {
  const el = page.locator(selector);
  const text = (await el.textContent()) ?? '';
  expectFormatted(text);
  expect(text).toContain(`loss ${formatLoss(Number(await el.getAttribute('data-loss')))}`);
  return text;
}

/** Wait for the playground run to finish; returns its final accuracy and build. */
async function playgroundResult(page: Page): Promise<{ accuracy: number; build: string }> {
  await page.waitForSelector('#pg-result[data-state="done"]', { timeout: LONG });
  const result = page.locator('#pg-result');
  return { accuracy: Number(await result.getAttribute('data-accuracy')), build: (await result.getAttribute('data-build')) ?? '' };
}

/** Fractions of the boundary canvas tinted towards each class colour. */
async function boundaryCoverage(page: Page): Promise<{ class0: number; class1: number }> {
  return page.$eval('#pg-boundary', (el) => {
    const canvas = el as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let class0 = 0;
    let class1 = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, b] = [data[i]!, data[i + 2]!];
      if (r > b + 40) class0++;
      else if (b > r + 40) class1++;
    }
    const n = data.length / 4;
    return { class0: class0 / n, class1: class1 / n };
  });
}

/** Draw a stroke through `points` (fractions of the pad's size) with the mouse. */
async function drawOnPad(page: Page, points: [number, number][]): Promise<void> {
  const box = (await page.locator('#dg-pad').boundingBox())!;
  const at = ([fx, fy]: [number, number]): [number, number] => [box.x + fx * box.width, box.y + fy * box.height];
  await page.mouse.move(...at(points[0]!));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 4 });
  await page.mouse.up();
}

const ONE: [number, number][] = [[0.52, 0.18], [0.5, 0.5], [0.48, 0.82]];
const ZERO: [number, number][] = Array.from({ length: 25 }, (_, i) => {
  const t = (i / 24) * 2 * Math.PI;
  return [0.5 + 0.2 * Math.sin(t), 0.5 - 0.3 * Math.cos(t)];
});

/** The pad's current prediction, once one is shown. */
async function predictedDigit(page: Page): Promise<number> {
  await page.waitForSelector('#dg-class[data-digit]', { timeout: 10_000 });
  return Number(await page.locator('#dg-class').getAttribute('data-digit'));
}

describe('demo page in Chromium', () => {
  it('loads with no console errors and reports the relaxed-SIMD build, the default where it validates', async () => {
    const { page, errors } = await openDemo();
    expect(await page.locator('#status-build').getAttribute('data-build')).toBe('relaxed');
    await page.screenshot({ path: `${artifacts}loaded.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('trains moons in the worker to ≥ 95% and draws both classes of the boundary', async () => {
    const { page, errors } = await openDemo();
    await trainPlayground(page, { dataset: 'moons', epochs: 300 });
    const { accuracy, build } = await playgroundResult(page);
    expect(build).toBe('relaxed');
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    const coverage = await boundaryCoverage(page);
    expect(coverage.class0).toBeGreaterThan(0.15);
    expect(coverage.class1).toBeGreaterThan(0.15);
    expect(Number(await page.locator('#status-rate').getAttribute('data-value'))).toBeGreaterThan(0);
    expect(Number(await page.locator('#status-first').getAttribute('data-ms'))).toBeGreaterThan(0);
    expect(await expectLossText(page, '#pg-result')).toMatch(/^Done after 300 epochs/);
    await page.screenshot({ path: `${artifacts}playground.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, LONG);

  it('answers clicks while a long training run is in progress, and stops on request', async () => {
    const { page, errors } = await openDemo();
    await trainPlayground(page, { dataset: 'spirals', epochs: 100_000 });
    await page.waitForFunction(() => document.getElementById('pg-result')!.textContent!.startsWith('Epoch'), undefined, { timeout: 30_000 });
    const started = Date.now();
    await page.click('#tab-digits');
    await expect.poll(() => page.locator('#tab-digits').getAttribute('aria-selected')).toBe('true');
    // A frame renders promptly: the main thread is not busy training.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await page.locator('#pg-result').getAttribute('data-state')).toBe('training');
    await page.click('#tab-playground');
    await page.click('#pg-stop');
    await page.waitForSelector('#pg-result[data-state="done"]', { timeout: 30_000 });
    expect(await expectLossText(page, '#pg-result')).toMatch(/^Stopped after [\d,]+ epochs/);
    expect(errors).toEqual([]);
    await page.close();
  }, LONG);

  it('trains on the bundled digits in the worker and classifies digits drawn on the pad', async () => {
    const { page, errors } = await openDemo();
    await page.click('#tab-digits');
    await page.selectOption('select[name="model"]', 'mlp');
    await page.selectOption('select[name="rows"]', '5000');
    await page.selectOption('select[name="hidden"]', '64');
    await page.fill('#dg-form input[name="epochs"]', '4');
    await page.click('#dg-train');
    await page.waitForSelector('#dg-status[data-state="ready"]', { timeout: LONG });
    expect(Number(await page.locator('#dg-status').getAttribute('data-accuracy'))).toBeGreaterThan(0.85);
    expect(await page.locator('#dg-status').getAttribute('data-architecture')).toBe('dense → dense');
    await drawOnPad(page, ONE);
    expect(await predictedDigit(page)).toBe(1);
    await page.click('#dg-clear');
    await drawOnPad(page, ZERO);
    await expect.poll(() => predictedDigit(page)).toBe(0);
    await page.screenshot({ path: `${artifacts}digits.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, LONG * 2);

  it('trains the CNN in the worker to ≥ 92% on 2,000 held-out digits from 2,000 digits × 2 epochs, and classifies drawn digits with it', async () => {
    const { page, errors } = await openDemo();
    await page.click('#tab-digits');
    // The CNN is the default; the hidden-units control is for the MLP only.
    expect(await page.locator('select[name="model"]').inputValue()).toBe('cnn');
    expect(await page.locator('select[name="hidden"]').isDisabled()).toBe(true);
    await page.selectOption('select[name="rows"]', '2000');
    await page.fill('#dg-form input[name="epochs"]', '2');
    await page.click('#dg-train');
    // Progress within an epoch, with the loss written to significant digits.
    await page.waitForFunction(() => document.getElementById('dg-status')!.textContent!.includes('batch'), undefined, { timeout: LONG });
    expectFormatted((await page.locator('#dg-status').textContent()) ?? '');
    await page.waitForSelector('#dg-status[data-state="ready"]', { timeout: LONG });
    const status = page.locator('#dg-status');
    expect(await status.getAttribute('data-architecture')).toBe('conv2d → maxPool2d → conv2d → maxPool2d → dense');
    expect(Number(await status.getAttribute('data-accuracy'))).toBeGreaterThanOrEqual(0.92);
    const text = (await status.textContent()) ?? '';
    expectFormatted(text);
    expect(text).toMatch(/^Trained the CNN on 2,000 digits in .*: test accuracy \d+\.\d% on 2,000 held-out digits/);
    expect(await page.locator('#dg-progress').evaluate((el) => (el as HTMLProgressElement).value)).toBe(2);
    await drawOnPad(page, ONE);
    expect(await predictedDigit(page)).toBe(1);
    await page.click('#dg-clear');
    await drawOnPad(page, ZERO);
    await expect.poll(() => predictedDigit(page)).toBe(0);
    await page.screenshot({ path: `${artifacts}digits-cnn.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, LONG * 2);

  it('serves the digits compressed: the package\'s gzipped file, no unpacked copy', async () => {
    const { outDir } = suite();
    const files = await readdir(outDir);
    expect(files.filter((f) => f.includes('digits'))).toEqual(['mnist-digits.bin.gz']);
    // 7,850,008 bytes unpacked (10,000 × 785 and the header).
    expect((await stat(join(outDir, 'mnist-digits.bin.gz'))).size).toBeLessThan(1_700_000);
  });

  it('suggests an activation, layout, run length and learning rate per data set and optimizer', async () => {
    const { page, errors } = await openDemo();
    const values = (): Promise<string[]> => Promise.all(['activation', 'layers', 'epochs', 'learningRate'].map((n) => page.locator(`#pg-form [name="${n}"]`).inputValue()));
    expect(await values()).toEqual(['tanh', '8, 8', '300', '0.01']);
    await page.selectOption('select[name="dataset"]', 'spirals');
    expect(await values()).toEqual(['relu', '16, 16', '1,000', '0.002']);
    await page.selectOption('select[name="optimizer"]', 'sgd');
    expect(await values()).toEqual(['relu', '16, 16', '1,000', '0.03']);
    await page.selectOption('select[name="dataset"]', 'moons');
    expect(await values()).toEqual(['tanh', '8, 8', '300', '0.03']);
    // Typed counts are rewritten with separators.
    await page.fill('#pg-form [name="epochs"]', '2500');
    await page.locator('#pg-form [name="epochs"]').dispatchEvent('change');
    expect(await page.locator('#pg-form [name="epochs"]').inputValue()).toBe('2,500');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('loads a model file saved outside the page and predicts with it', async () => {
    const net = Network.mlp([784, 16, 10], { seed: 3 });
    const bytes = encodeModel(net, { transform: { kind: 'pixels', scaling: 'seeds' }, classes: [...'0123456789'] });
    const { page, errors } = await openDemo();
    await page.click('#tab-digits');
    await page.setInputFiles('#dg-file', { name: 'cli-model.sdnt', mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
    await page.waitForSelector('#dg-status[data-state="ready"]', { timeout: 10_000 });
    expect(await page.locator('#dg-status').textContent()).toContain('784-16-10');
    await drawOnPad(page, ONE);
    const digit = await predictedDigit(page);
    expect(digit).toBeGreaterThanOrEqual(0);
    expect(digit).toBeLessThan(10);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('trains on threads in a cross-origin-isolated page, on one thread (saying why) otherwise', async () => {
    const plain = await openDemo();
    await trainPlayground(plain.page, { dataset: 'moons', epochs: 50 });
    await playgroundResult(plain.page);
    expect(await plain.page.locator('#status-threads').getAttribute('data-count')).toBe('1');
    expect(await plain.page.locator('#status-threads').textContent()).toMatch(/^1 \(.*cross-origin isolated/);
    await plain.page.close();

    const isolatedServer = await serveStatic(suite().outDir, { isolated: true });
    try {
      const { page, errors } = await openDemo('', isolatedServer.url);
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      const cores = await page.evaluate(() => navigator.hardwareConcurrency);
      await trainPlayground(page, { dataset: 'moons', epochs: 300 });
      const { accuracy } = await playgroundResult(page);
      expect(accuracy).toBeGreaterThanOrEqual(0.95);
      expect(await page.locator('#status-threads').getAttribute('data-count')).toBe(String(Math.min(cores, 64)));
      await page.screenshot({ path: `${artifacts}isolated.png`, fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await isolatedServer.close();
    }
  }, LONG);

  it('falls back to the scalar build when SIMD is reported unavailable', async () => {
    const { page, errors } = await openDemo('?simd=0');
    expect(await page.locator('#status-build').getAttribute('data-build')).toBe('scalar');
    await trainPlayground(page, { dataset: 'moons', epochs: 300 });
    const { accuracy, build } = await playgroundResult(page);
    expect(build).toBe('scalar');
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    await page.screenshot({ path: `${artifacts}scalar.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, LONG);

  it('fits a phone-width screen without horizontal scrolling', async () => {
    const { page, errors } = await openDemo();
    await page.setViewportSize({ width: 390, height: 844 });
    for (const tab of ['playground', 'digits']) {
      await page.click(`#tab-${tab}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${tab} view scrolls sideways`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${artifacts}phone-${tab}.png`, fullPage: true });
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
