/**
 * ONNX export in a browser: a page built with Vite from the browser-safe core exports
 * networks with exportOnnx (its own protobuf wire codec, bundled) and runs them in Chromium with
 * onnxruntime-web's WebAssembly backend; the outputs match simdnet's predict within 1e-5.
 */
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { expect, it } from 'vitest';
import { serveStatic } from '../browser/helpers/server.js';
import { browserSuite, visitOutcome } from '../browser/helpers/suite.js';

const ORT_DIST = fileURLToPath(new URL('../../node_modules/onnxruntime-web/dist/', import.meta.url));
const CORE = fileURLToPath(new URL('../../src/index.ts', import.meta.url));

/** The page: every activation as a hidden layer, and an image network, exported and run in onnxruntime-web. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>onnxruntime-web</title><link rel="icon" href="data:,">
<script type="module">
  import { Network, exportOnnx, ACTIVATION_NAMES } from './core.js';
  import * as ort from './ort.js';
  ort.env.wasm.numThreads = 1;
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 4 - 2;
  const nets = [
    ...ACTIVATION_NAMES.map((activation) => ({ name: activation, inputs: 6, layers: [
      { type: 'dense', units: 5, activation }, { type: 'dropout', rate: 0.1 }, { type: 'dense', units: 3, activation: 'softmax' },
    ] })),
    { name: 'cnn', inputShape: [6, 6, 2], layers: [
      { type: 'conv2d', filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }, { type: 'batchNorm' },
      { type: 'maxPool2d', size: 2 }, { type: 'avgPool2d', size: 2, stride: 1, padding: 'same' },
      { type: 'globalAvgPool' }, { type: 'dense', units: 2, activation: 'sigmoid' },
    ] },
  ];
  try {
    const results = [];
    for (const { name, ...spec } of nets) {
      const net = new Network({ ...spec, backend: 'js', seed: 3 });
      const rows = 8;
      const x = Float32Array.from({ length: rows * net.inputs }, random);
      const want = net.predict({ data: x, rows, cols: net.inputs });
      const session = await ort.InferenceSession.create(exportOnnx(net));
      const dims = [rows, ...(net.inputShape ?? [net.inputs])];
      const got = (await session.run({ input: new ort.Tensor('float32', x, dims) })).output.data;
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
      results.push({ name, outputs: got.length === want.length, worst });
    }
    window.outcome = { results };
  } catch (err) {
    window.outcome = { error: String(err && err.stack || err) };
  }
</script>`;

const suite = browserSuite(async (outDir) => {
  await build({
    configFile: false, logLevel: 'warn',
    build: { outDir, emptyOutDir: false, lib: { entry: CORE, formats: ['es'], fileName: () => 'core.js' }, minify: false },
  });
  // The WebAssembly-only bundle holds onnxruntime's JavaScript glue and fetches its .wasm from beside itself; .js
  // because the test server types scripts by that extension.
  await copyFile(join(ORT_DIST, 'ort.wasm.bundle.min.mjs'), join(outDir, 'ort.js'));
  await copyFile(join(ORT_DIST, 'ort-wasm-simd-threaded.wasm'), join(outDir, 'ort-wasm-simd-threaded.wasm'));
  await writeFile(join(outDir, 'index.html'), PAGE);
  return [await serveStatic(outDir)];
}, 180_000);

it('onnxruntime-web runs what exportOnnx writes in the page: every activation and an image network, within 1e-5', async () => {
  const { browser, servers } = suite();
  type Outcome = { error?: string; results?: { name: string; outputs: boolean; worst: number }[] };
  const { outcome, errors } = await visitOutcome<Outcome>(browser, servers[0]!.url, 60_000);
  expect(outcome.error).toBeUndefined();
  expect(outcome.results!.map((r) => r.name)).toEqual(['linear', 'sigmoid', 'bipolarSigmoid', 'tanh', 'arctan', 'binaryStep', 'relu', 'leakyRelu', 'softplus', 'softmax', 'cnn']);
  for (const r of outcome.results!) {
    expect(r.outputs, r.name).toBe(true);
    expect(r.worst, r.name).toBeLessThanOrEqual(1e-5);
  }
  expect(errors).toEqual([]);
}, 120_000);
