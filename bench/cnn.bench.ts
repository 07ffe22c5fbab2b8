/**
 * CNN training on the bundled digits, batch 64, two nets: TensorFlow.js's tutorial net
 * (conv 5×5×8 → max pool 2 → conv 5×5×16 → max pool 2 → dense 10) and the `mnist-cnn` preset
 * (LeNet-5-style). Reported:
 * - simdnet training samples/s, one thread and all cores (median and best of `REPEATS`
 *   epochs over the 8,000 training digits), and the test accuracy after them;
 * - the convolution layers' effective GFLOP/s (forward + backward, 2·M·K·F per GEMM, counted
 *   from the layer shapes) beside the packed GEMM's rate at 256³ measured in the same run,
 *   one thread, so the cost of im2col/col2im and of thin GEMM shapes shows;
 * - the peers on the tutorial net, time-boxed because they are slow: TensorFlow.js-cpu
 *   (tfjs-layers `model.fit`, Adam) and ConvNetJS (its Trainer, adadelta), samples/s only;
 *   TensorFlow.js-WASM's training attempt (its error message: it has no Conv2D backprop kernels);
 *   with `--peer-accuracy` also both nets' test accuracy after one full epoch, simdnet and ConvNetJS;
 * - inference on the tutorial net at batch 1 and 64, simdnet `predict` (one thread) against
 *   TensorFlow.js-WASM `model.predict` (XNNPACK, one thread), each read back to the host.
 */
import os from 'node:os';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { Adam, Network, createEngine, loadBundledMnist, type Dataset, type LayerSpec } from '../src/node.js';
import { Act } from '../src/backend/kernels.js';
import type { Conv2D } from '../src/nn/conv2d.js';
import { stagerFor } from '../src/feed/stager.js';
import { PRESETS } from '../src/cli/presets.js';
import { initWasm, packageVersion } from './peers/tfjs.js';

const REPEATS = 3;
const BATCH = 64;
const TF_SAMPLES = 192;
const CONVNET_SAMPLES = 1280;

const TUTORIAL: LayerSpec[] = [
  { type: 'conv2d', filters: 8, kernelSize: 5, activation: 'relu' },
  { type: 'maxPool2d', size: 2 },
  { type: 'conv2d', filters: 16, kernelSize: 5, activation: 'relu' },
  { type: 'maxPool2d', size: 2 },
  { type: 'dense', units: 10, activation: 'softmax' },
];
const preset = PRESETS['mnist-cnn'].settings;
const LENET: LayerSpec[] = [
  ...preset.convolutions,
  ...preset.layers.slice(1).map((units, i, all): LayerSpec => ({ type: 'dense', units, activation: i === all.length - 1 ? 'softmax' : 'relu' })),
];
const NETS = [{ name: 'tutorial', layers: TUTORIAL }, { name: 'mnist-cnn (LeNet-5-style)', layers: LENET }];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

async function simdnetRates(layers: LayerSpec[], threads: number, train: Dataset, test: Dataset): Promise<{ rates: number[]; accuracy: number }> {
  const net = new Network({ inputShape: [28, 28, 1], layers, seed: 1, threads });
  const rates: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const history = await net.fit(train, { epochs: 1, batchSize: BATCH, optimizer: new Adam({ learningRate: 2e-3 }) });
    rates.push(history.epochs[0]!.samplesPerSecond);
  }
  const accuracy = net.evaluate(test).accuracy!;
  net.engine.close();
  return { rates, accuracy };
}

/** Best-of-5 GFLOP/s of the single-thread packed GEMM at 256³. */
function gemmRate(): number {
  const engine = createEngine({ threads: 1 });
  const n = 256;
  const [a, b, c] = [0, 1, 2].map(() => engine.heap.alloc(n * n * 4));
  engine.heap.f32.fill(0.5, a! >> 2, (a! >> 2) + 2 * n * n + 8);
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    for (let i = 0; i < 10; i++) engine.kernels.gemm(false, false, n, n, n, 1, a!, n, b!, n, 0, c!, n, 0, Act.identity, 0, engine.gemmWork);
    best = Math.min(best, (performance.now() - t) / 10);
  }
  return (2 * n ** 3) / (best * 1e6);
}

/**
 * Effective GFLOP/s of each conv layer of `layers` (forward + backward, one thread, batch 64),
 * timing the layer's own forward and backward calls: the best of 5 rounds of 10 training steps.
 */
function convRates(layers: LayerSpec[], train: Dataset): { name: string; gflops: number; ms: number }[] {
  const net = new Network({ inputShape: [28, 28, 1], layers, seed: 1, threads: 1 });
  const stager = stagerFor(net);
  stager.stageRange(train, 0, BATCH, true);
  const spent = new Map<string, number>();
  net.layers.forEach((layer) => {
    if (layer.toConfig().type !== 'conv2d') return;
    const forward = layer.forward.bind(layer);
    const backward = layer.backward.bind(layer);
    const timed = <A extends unknown[]>(fn: (...args: A) => number) => (...args: A): number => {
      const t = performance.now();
      const out = fn(...args);
      spent.set(layer.name, (spent.get(layer.name) ?? 0) + performance.now() - t);
      return out;
    };
    layer.forward = timed(forward);
    layer.backward = timed(backward);
  });
  const steps = 10;
  for (let i = 0; i < 5; i++) net.computeLoss(stager.inputs, stager.targets, BATCH, true, true);
  const best = new Map<string, number>();
  for (let round = 0; round < 5; round++) {
    spent.clear();
    for (let i = 0; i < steps; i++) net.computeLoss(stager.inputs, stager.targets, BATCH, true, true);
    for (const [name, ms] of spent) best.set(name, Math.min(best.get(name) ?? Infinity, ms));
  }
  const out = net.layers.flatMap((layer, index) => {
    const c = layer.toConfig();
    if (c.type !== 'conv2d') return [];
    const g = (layer as Conv2D).geometry;
    const m = BATCH * g.oh * g.ow;
    const k = g.kh * g.kw * g.c;
    // Forward and dW always; dX except for the first layer, which needs no input gradient.
    const gemms = index === 0 ? 2 : 3;
    const ms = best.get(layer.name)! / steps;
    return [{ name: `${layer.name} (M ${m}, K ${k}, F ${c.filters})`, gflops: (gemms * 2 * m * k * c.filters) / (ms * 1e6), ms }];
  });
  net.engine.close();
  return out;
}

/** The tutorial net in tfjs-layers, on whichever backend is active. */
function tfjsTutorial(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 5, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

/** The first `rows` digits as TF.js tensors. */
function tfBatch(train: Dataset, rows: number): readonly [tf.Tensor4D, tf.Tensor2D] {
  return [tf.tensor4d(train.x.subarray(0, rows * 784), [rows, 28, 28, 1]), tf.tensor2d(train.y.subarray(0, rows * 10), [rows, 10])];
}

/** Calls of `run` per second, from the best of 5 rounds of about 0.2 s, after a warm-up call. */
function callsPerSecond(run: () => void): number {
  run();
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    let calls = 0;
    const t = performance.now();
    while (performance.now() - t < 200) {
      run();
      calls++;
    }
    best = Math.min(best, (performance.now() - t) / calls);
  }
  return 1000 / best;
}

/** TF.js-cpu: tfjs-layers model.fit on `samples` digits after one warm-up batch. */
async function tfjsRate(train: Dataset): Promise<number> {
  await tf.setBackend('cpu');
  const model = tfjsTutorial();
  model.compile({ optimizer: tf.train.adam(2e-3), loss: 'categoricalCrossentropy' });
  const [wx, wy] = tfBatch(train, BATCH);
  await model.fit(wx, wy, { epochs: 1, batchSize: BATCH, verbose: 0 });
  const [x, y] = tfBatch(train, TF_SAMPLES);
  const t = performance.now();
  await model.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0, shuffle: false });
  const rate = TF_SAMPLES / ((performance.now() - t) / 1000);
  tf.dispose([wx, wy, x, y]);
  model.dispose();
  return rate;
}

/** TF.js-WASM on the tutorial net: inference samples/s at each batch size, and what training does. */
async function tfjsWasm(train: Dataset, batches: readonly number[]): Promise<{ inference: number[]; training: string }> {
  await initWasm();
  const model = tfjsTutorial();
  const inference = batches.map((rows) => {
    const [x, y] = tfBatch(train, rows);
    const rate = rows * callsPerSecond(() => tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync()));
    tf.dispose([x, y]);
    return rate;
  });
  model.compile({ optimizer: tf.train.adam(2e-3), loss: 'categoricalCrossentropy' });
  const [x, y] = tfBatch(train, BATCH);
  let training: string;
  try {
    await model.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0 });
    training = 'trains';
  } catch (error) {
    training = `fails: ${(error as Error).message}`;
  }
  tf.dispose([x, y]);
  model.dispose();
  return { inference, training };
}

/** simdnet `predict` samples/s on the tutorial net (one thread) at each batch size. */
function simdnetInference(train: Dataset, batches: readonly number[]): number[] {
  const net = new Network({ inputShape: [28, 28, 1], layers: TUTORIAL, seed: 1, threads: 1 });
  return batches.map((rows) => rows * callsPerSecond(() => net.predict({ data: train.x.subarray(0, rows * 784), rows, cols: 784 })));
}

interface ConvNetJs {
  Net: new () => { makeLayers(defs: object[]): void; forward(v: object): { w: Float64Array } };
  Vol: new (w: number, h: number, d: number, fill: number) => { w: Float64Array };
  Trainer: new (net: object, options: object) => { train(x: object, label: number): void };
}

const convnetjs = createRequire(import.meta.url)('convnetjs') as ConvNetJs;

/** The tutorial net in ConvNetJS and its Trainer (adadelta, batch 64). */
function convnetTutorial() {
  const net = new convnetjs.Net();
  net.makeLayers([
    { type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 },
    { type: 'conv', sx: 5, filters: 8, stride: 1, pad: 0, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 0, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'softmax', num_classes: 10 },
  ]);
  return { net, trainer: new convnetjs.Trainer(net, { method: 'adadelta', batch_size: BATCH, l2_decay: 0 }) };
}

/** Row `i` of `data` as a ConvNetJS volume and its class. */
function convnetSample(data: Dataset, i: number): { v: { w: Float64Array }; label: number } {
  const v = new convnetjs.Vol(28, 28, 1, 0);
  for (let j = 0; j < 784; j++) v.w[j] = data.x[i * 784 + j]!;
  return { v, label: data.y.subarray(i * 10, i * 10 + 10).indexOf(1) };
}

/** ConvNetJS: samples/s of its Trainer, one sample per call, after one warm-up batch. */
function convnetRate(train: Dataset): number {
  const { trainer } = convnetTutorial();
  const samples = Array.from({ length: CONVNET_SAMPLES + BATCH }, (_, i) => convnetSample(train, i));
  for (const s of samples.slice(0, BATCH)) trainer.train(s.v, s.label);
  const t = performance.now();
  for (const s of samples.slice(BATCH)) trainer.train(s.v, s.label);
  return CONVNET_SAMPLES / ((performance.now() - t) / 1000);
}

/** ConvNetJS's test accuracy after one epoch over every training digit (about 1.5 minutes). */
function convnetEpochAccuracy(train: Dataset, test: Dataset): number {
  const { net, trainer } = convnetTutorial();
  for (let i = 0; i < train.rows; i++) {
    const s = convnetSample(train, i);
    trainer.train(s.v, s.label);
  }
  let right = 0;
  for (let i = 0; i < test.rows; i++) {
    const s = convnetSample(test, i);
    const p = net.forward(s.v).w;
    if (p.indexOf(Math.max(...p)) === s.label) right++;
  }
  return right / test.rows;
}

/** simdnet's test accuracy on the tutorial net after one epoch (one thread, Adam 2e-3, batch 64). */
async function simdnetEpochAccuracy(train: Dataset, test: Dataset): Promise<number> {
  const net = new Network({ inputShape: [28, 28, 1], layers: TUTORIAL, seed: 1, threads: 1 });
  await net.fit(train, { epochs: 1, batchSize: BATCH, optimizer: new Adam({ learningRate: 2e-3 }) });
  return net.evaluate(test).accuracy!;
}

export default async function (): Promise<void> {
  const { train, test } = await loadBundledMnist({ seed: 1 });
  const cores = os.availableParallelism();
  console.log(`CNN training, batch ${BATCH}, Adam 2e-3, samples/s (median and best of ${REPEATS} epochs of 8,000 digits); test accuracy after the ${REPEATS} epochs`);
  console.log(`| net | simdnet 1 thread | simdnet ${cores} threads | all / one | test accuracy (1 thread) |`);
  console.log('|---|---|---|---|---|');
  const oneThread = new Map<string, number>();
  for (const { name, layers } of NETS) {
    const one = await simdnetRates(layers, 1, train, test);
    const all = await simdnetRates(layers, cores, train, test);
    oneThread.set(name, median(one.rates));
    const cells = [one, all].map((r) => `${fmt(median(r.rates))} (best ${fmt(Math.max(...r.rates))})`);
    console.log(`| ${name} | ${cells.join(' | ')} | ${(median(all.rates) / median(one.rates)).toFixed(2)}× | ${(one.accuracy * 100).toFixed(2)}% |`);
  }

  const gemm = gemmRate();
  console.log(`\nconvolution layers, one thread, batch ${BATCH}: effective GFLOP/s of forward + backward vs the packed GEMM at 256³ (${gemm.toFixed(1)} GFLOP/s, same run)`);
  console.log('| net | layer | ms per step | GFLOP/s | of GEMM rate |');
  console.log('|---|---|---|---|---|');
  for (const { name, layers } of NETS) {
    for (const r of convRates(layers, train)) console.log(`| ${name} | ${r.name} | ${r.ms.toFixed(2)} | ${r.gflops.toFixed(1)} | ${((100 * r.gflops) / gemm).toFixed(0)}% |`);
  }

  const simd = oneThread.get('tutorial')!;
  console.log(`\npeers on the tutorial net, time-boxed (samples/s on the first digits after one warm-up batch)`);
  console.log('| peer | samples | samples/s | simdnet 1 thread / peer |');
  console.log('|---|---|---|---|');
  const tfRate = await tfjsRate(train);
  console.log(`| TF.js-cpu (@tensorflow/tfjs-layers ${packageVersion('@tensorflow/tfjs-layers')}) | ${TF_SAMPLES} | ${tfRate.toFixed(1)} | ${fmt(simd / tfRate)}× |`);
  const cnRate = convnetRate(train);
  console.log(`| ConvNetJS ${packageVersion('convnetjs')} (adadelta) | ${CONVNET_SAMPLES} | ${fmt(cnRate)} | ${(simd / cnRate).toFixed(1)}× |`);

  const batches = [1, 64] as const;
  const ours = simdnetInference(train, batches);
  const wasm = await tfjsWasm(train, batches);
  console.log(`\ninference on the tutorial net, one thread, samples/s (best of 5 rounds)`);
  console.log(`| batch | simdnet | TF.js-WASM (@tensorflow/tfjs-backend-wasm ${packageVersion('@tensorflow/tfjs-backend-wasm')}) | simdnet / TF.js-WASM |`);
  console.log('|---|---|---|---|');
  batches.forEach((rows, i) => console.log(`| ${rows} | ${fmt(ours[i]!)} | ${fmt(wasm.inference[i]!)} | ${(ours[i]! / wasm.inference[i]!).toFixed(2)}× |`));
  console.log(`\nTF.js-WASM training the same net: ${wasm.training}`);

  // One full epoch of ConvNetJS takes minutes: only on request (TF.js-cpu would take far longer).
  if (process.argv.includes('--peer-accuracy')) {
    const ours = await simdnetEpochAccuracy(train, test);
    const theirs = convnetEpochAccuracy(train, test);
    console.log(`\ntest accuracy after one epoch of the 8,000 digits, tutorial net: simdnet (Adam) ${(ours * 100).toFixed(2)}%, ConvNetJS (adadelta) ${(theirs * 100).toFixed(2)}%`);
  }
}
