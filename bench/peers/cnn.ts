/**
 * The CNN peers, shared by `npm run bench -- cnn` (bench/cnn.bench.ts) and `npm run
 * bench:peers` (bench/peers.bench.ts): TensorFlow.js's tutorial net (conv 5×5×8 → max pool 2 →
 * conv 5×5×16 → max pool 2 → dense 10 softmax) built in each library, trained and run on the
 * bundled digits through each library's public API:
 * - simdnet `Network.fit` / `predict`, one thread and all cores (results do not depend on the
 *   thread count, so both reach the same accuracy);
 * - TensorFlow.js-cpu, tfjs-layers `model.fit` (plain JS: about 20 samples/s, so time-boxed);
 * - TensorFlow.js-WASM: inference (XNNPACK); training fails, it has no Conv2D backprop kernels,
 *   and the message is recorded;
 * - ConvNetJS 0.3.0, its `Trainer` one sample per call (plain JS, about 100 samples/s).
 *
 * Accuracy is compared after one epoch of the same digits, with the same optimizer where both
 * libraries have it — SGD with momentum 0.9 at ConvNetJS's default rate 0.01, and Nesterov
 * momentum at 0.05 — and with each library's own adaptive choice (simdnet Adam, ConvNetJS
 * adadelta).
 */
import os from 'node:os';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { Adam, Momentum, Network, type Dataset, type LayerSpec, type Optimizer } from '../../src/node.js';
import { fmt, seededRandom } from './harness.js';
import { initWasm, packageVersion } from './tfjs.js';

/** Rows per update everywhere. */
export const CNN_BATCH = 64;

/** TensorFlow.js's MNIST tutorial net, as simdnet layers. */
export const TUTORIAL: LayerSpec[] = [
  { type: 'conv2d', filters: 8, kernelSize: 5, activation: 'relu' },
  { type: 'maxPool2d', size: 2 },
  { type: 'conv2d', filters: 16, kernelSize: 5, activation: 'relu' },
  { type: 'maxPool2d', size: 2 },
  { type: 'dense', units: 10, activation: 'softmax' },
];

/** An optimizer setting both libraries of a comparison run. */
export interface CnnOptimizer {
  /** As printed, e.g. `SGD momentum 0.9, lr 0.01`. */
  label: string;
  simdnet: () => Optimizer;
  /** ConvNetJS Trainer options (besides batch size and L2). */
  convnet: Record<string, unknown>;
}

/** The same update rule in both: v = μv + g, w −= lr·v (ConvNetJS's `sgd` with its defaults). */
export const SAME_SGD: CnnOptimizer = {
  label: 'SGD momentum 0.9, lr 0.01 (both)',
  simdnet: () => new Momentum({ learningRate: 0.01, momentum: 0.9 }),
  convnet: { method: 'sgd', learning_rate: 0.01, momentum: 0.9 },
};

/**
 * Nesterov momentum in both, at the rate that trained simdnet best in one epoch of a small sweep
 * (Adam 1e-3…5e-3, RMSprop 1e-3, momentum 0.01–0.05): ConvNetJS's `nesterov` is the same rule.
 */
export const SAME_NESTEROV: CnnOptimizer = {
  label: 'Nesterov momentum 0.9, lr 0.05 (both)',
  simdnet: () => new Momentum({ learningRate: 0.05, momentum: 0.9, nesterov: true }),
  convnet: { method: 'nesterov', learning_rate: 0.05, momentum: 0.9 },
};

/** Each library's own adaptive optimizer: simdnet Adam 2e-3, ConvNetJS adadelta (its MNIST demo's). */
export const OWN_ADAPTIVE: CnnOptimizer = {
  label: 'simdnet Adam 2e-3; ConvNetJS adadelta',
  simdnet: () => new Adam({ learningRate: 2e-3 }),
  convnet: { method: 'adadelta' },
};

/** The tutorial net in tfjs-layers, on whichever backend is active. */
export function tfjsTutorial(): tfl.Sequential {
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

/** The first `rows` rows of `data`, as views. */
function firstRows(data: Dataset, rows: number): Dataset {
  const out: Dataset = { ...data, rows, x: data.x.subarray(0, rows * data.features), y: data.y.subarray(0, rows * data.outputs) };
  if (data.labels) out.labels = data.labels.subarray(0, rows);
  return out;
}

/** The first `rows` digits as TF.js tensors. */
function tfBatch(data: Dataset, rows: number): readonly [tf.Tensor4D, tf.Tensor2D] {
  return [tf.tensor4d(data.x.subarray(0, rows * 784), [rows, 28, 28, 1]), tf.tensor2d(data.y.subarray(0, rows * 10), [rows, 10])];
}

/** Calls of `run` per second, from the best of 5 rounds of about 0.2 s, after a warm-up call. */
export function bestCallsPerSecond(run: () => void): number {
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

/** TF.js-cpu: tfjs-layers `model.fit` (Adam 2e-3) samples/s on the first `samples` digits after one warm-up batch. */
export async function tfjsCpuRate(train: Dataset, samples: number): Promise<number> {
  await tf.setBackend('cpu');
  const model = tfjsTutorial();
  model.compile({ optimizer: tf.train.adam(2e-3), loss: 'categoricalCrossentropy' });
  const [wx, wy] = tfBatch(train, CNN_BATCH);
  await model.fit(wx, wy, { epochs: 1, batchSize: CNN_BATCH, verbose: 0 });
  const [x, y] = tfBatch(train, samples);
  const t = performance.now();
  await model.fit(x, y, { epochs: 1, batchSize: CNN_BATCH, verbose: 0, shuffle: false });
  const rate = samples / ((performance.now() - t) / 1000);
  tf.dispose([wx, wy, x, y]);
  model.dispose();
  return rate;
}

/** TF.js-cpu `model.predict` samples/s at each batch size. */
export async function tfjsCpuInference(data: Dataset, batches: readonly number[]): Promise<number[]> {
  await tf.setBackend('cpu');
  return tfjsInference(data, batches);
}

function tfjsInference(data: Dataset, batches: readonly number[]): number[] {
  const model = tfjsTutorial();
  const rates = batches.map((rows) => {
    const [x, y] = tfBatch(data, rows);
    const rate = rows * bestCallsPerSecond(() => tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync()));
    tf.dispose([x, y]);
    return rate;
  });
  model.dispose();
  return rates;
}

/** TF.js-WASM on the tutorial net: inference samples/s at each batch size, and what an attempt to train does. */
export async function tfjsWasm(data: Dataset, batches: readonly number[]): Promise<{ inference: number[]; training: string }> {
  await initWasm();
  // initWasm selects the backend only on its first call; another peer may have switched since.
  if (!(await tf.setBackend('wasm')) || tf.getBackend() !== 'wasm') throw new Error('tfjs-wasm: the WASM backend is not active');
  const inference = tfjsInference(data, batches);
  const model = tfjsTutorial();
  model.compile({ optimizer: tf.train.adam(2e-3), loss: 'categoricalCrossentropy' });
  const [x, y] = tfBatch(data, CNN_BATCH);
  let training: string;
  try {
    await model.fit(x, y, { epochs: 1, batchSize: CNN_BATCH, verbose: 0 });
    training = 'trains';
  } catch (error) {
    training = `fails: ${(error as Error).message}`;
  }
  tf.dispose([x, y]);
  model.dispose();
  return { inference, training };
}

/** simdnet `predict` samples/s on the tutorial net at each batch size. */
export function simdnetInference(data: Dataset, batches: readonly number[], threads = 1): number[] {
  const net = new Network({ inputShape: [28, 28, 1], layers: TUTORIAL, seed: 1, threads });
  const rates = batches.map((rows) => rows * bestCallsPerSecond(() => net.predict({ data: data.x.subarray(0, rows * 784), rows, cols: 784 })));
  net.engine.close();
  return rates;
}

/**
 * simdnet on the tutorial net: samples/s of `epochs` epochs of `train` after a warm-up batch
 * on a throwaway net (median of the epochs), and the test accuracy after them.
 */
export async function simdnetTraining(train: Dataset, test: Dataset, optimizer: CnnOptimizer, threads: number, epochs = 1): Promise<{ rates: number[]; accuracy: number }> {
  const warm = new Network({ inputShape: [28, 28, 1], layers: TUTORIAL, seed: 1, threads });
  await warm.fit(firstRows(train, CNN_BATCH), { epochs: 1, batchSize: CNN_BATCH });
  warm.engine.close();
  const net = new Network({ inputShape: [28, 28, 1], layers: TUTORIAL, seed: 1, threads });
  const history = await net.fit(train, { epochs, batchSize: CNN_BATCH, optimizer: optimizer.simdnet() });
  const accuracy = net.evaluate(test).accuracy!;
  net.engine.close();
  return { rates: history.epochs.map((e) => e.samplesPerSecond), accuracy };
}

interface ConvNetJs {
  Net: new () => { makeLayers(defs: object[]): void; forward(v: object): { w: Float64Array } };
  Vol: new (w: number, h: number, d: number, fill: number) => { w: Float64Array };
  Trainer: new (net: object, options: object) => { train(x: object, label: number): void };
}

const convnetjs = createRequire(import.meta.url)('convnetjs') as ConvNetJs;

/** The ConvNetJS version that ran. */
export const CONVNET_VERSION = packageVersion('convnetjs');

/**
 * The tutorial net in ConvNetJS and its Trainer (batch 64, no L2). Its initial weights come
 * from `Math.random`, which is swapped for a seeded stream while the net is built so a run
 * repeats exactly.
 */
export function convnetTutorial(optimizer: Record<string, unknown> = OWN_ADAPTIVE.convnet, seed = 1) {
  const random = Math.random;
  Math.random = seededRandom(seed);
  try {
    const net = new convnetjs.Net();
    net.makeLayers([
      { type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 },
      { type: 'conv', sx: 5, filters: 8, stride: 1, pad: 0, activation: 'relu' },
      { type: 'pool', sx: 2, stride: 2 },
      { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 0, activation: 'relu' },
      { type: 'pool', sx: 2, stride: 2 },
      { type: 'softmax', num_classes: 10 },
    ]);
    return { net, trainer: new convnetjs.Trainer(net, { ...optimizer, batch_size: CNN_BATCH, l2_decay: 0 }) };
  } finally {
    Math.random = random;
  }
}

/** Row `i` of `data` as a ConvNetJS volume and its class. */
function convnetSample(data: Dataset, i: number): { v: { w: Float64Array }; label: number } {
  const v = new convnetjs.Vol(28, 28, 1, 0);
  for (let j = 0; j < 784; j++) v.w[j] = data.x[i * 784 + j]!;
  return { v, label: data.y.subarray(i * 10, i * 10 + 10).indexOf(1) };
}

/** ConvNetJS: samples/s of its Trainer over `samples` digits, one sample per call, after one warm-up batch. */
export function convnetRate(train: Dataset, samples: number): number {
  const { trainer } = convnetTutorial();
  const rows = Array.from({ length: samples + CNN_BATCH }, (_, i) => convnetSample(train, i));
  for (const s of rows.slice(0, CNN_BATCH)) trainer.train(s.v, s.label);
  const t = performance.now();
  for (const s of rows.slice(CNN_BATCH)) trainer.train(s.v, s.label);
  return samples / ((performance.now() - t) / 1000);
}

/** ConvNetJS `forward` samples/s, one sample per call, `batch` calls per timed unit. */
export function convnetInference(data: Dataset, batches: readonly number[]): number[] {
  const { net } = convnetTutorial();
  return batches.map((rows) => {
    const samples = Array.from({ length: rows }, (_, i) => convnetSample(data, i).v);
    return rows * bestCallsPerSecond(() => samples.forEach((v) => net.forward(v)));
  });
}

/**
 * ConvNetJS after one epoch over every training digit in order (a minute or more): samples/s
 * over the epoch and the test accuracy.
 */
export function convnetEpoch(train: Dataset, test: Dataset, optimizer: CnnOptimizer): { rate: number; accuracy: number } {
  const { net, trainer } = convnetTutorial(optimizer.convnet);
  const t = performance.now();
  for (let i = 0; i < train.rows; i++) {
    const s = convnetSample(train, i);
    trainer.train(s.v, s.label);
  }
  const rate = train.rows / ((performance.now() - t) / 1000);
  let right = 0;
  for (let i = 0; i < test.rows; i++) {
    const s = convnetSample(test, i);
    const p = net.forward(s.v).w;
    if (p.indexOf(Math.max(...p)) === s.label) right++;
  }
  return { rate, accuracy: right / test.rows };
}

/** One row of the CNN peer tables, as written to the results file. */
export interface CnnRow {
  table: 'training' | 'inference';
  /** Peer as printed, e.g. `simdnet, 2 threads`. */
  peer: string;
  library: string;
  /** Training: the optimizer; inference: `batch 1` or `batch 64`. */
  setting: string;
  /** Samples behind the rate (training), or the batch size (inference). */
  samples: number;
  /** Samples per second; null when the peer cannot do it. */
  rate: number | null;
  /** Test accuracy after one epoch, when measured. */
  accuracy?: number;
  note?: string;
}

/** How much of the slow peers to run. */
export interface CnnPeerOptions {
  /** Short run: no full ConvNetJS epoch (no peer accuracy), fewer time-boxed samples. */
  quick: boolean;
  log?: (line: string) => void;
}

/**
 * The CNN rows of the peer benchmark on the tutorial net, batch 64: training samples/s and
 * test accuracy after one epoch of the 8,000 digits (the slow peers time-boxed), and inference
 * at batch 1 and 64. Returns the rows and their markdown.
 */
export async function cnnPeerRows(train: Dataset, test: Dataset, options: CnnPeerOptions): Promise<{ rows: CnnRow[]; markdown: string }> {
  const log = options.log ?? (() => {});
  const cores = os.availableParallelism();
  const rows: CnnRow[] = [];
  const simdnetLib = 'simdnet (this repository)';
  const tfCpuLib = `@tensorflow/tfjs-layers ${packageVersion('@tensorflow/tfjs-layers')} + tfjs-backend-cpu`;
  const tfWasmLib = `@tensorflow/tfjs-backend-wasm ${packageVersion('@tensorflow/tfjs-backend-wasm')}`;
  const convLib = `convnetjs ${CONVNET_VERSION}`;
  const epochTrain = options.quick ? firstRows(train, 2000) : train;

  for (const optimizer of [SAME_SGD, SAME_NESTEROV, OWN_ADAPTIVE]) {
    for (const threads of [1, cores]) {
      log(`cnn training: simdnet, ${threads} thread(s), ${optimizer.label}`);
      const r = await simdnetTraining(epochTrain, test, optimizer, threads);
      rows.push({ table: 'training', peer: `simdnet, ${threads} thread${threads > 1 ? 's' : ''}`, library: simdnetLib, setting: optimizer.label, samples: epochTrain.rows, rate: r.rates[0]!, accuracy: r.accuracy });
    }
    if (!options.quick) {
      log(`cnn training: ConvNetJS one epoch, ${optimizer.label}`);
      const c = convnetEpoch(train, test, optimizer);
      rows.push({ table: 'training', peer: 'ConvNetJS', library: convLib, setting: optimizer.label, samples: train.rows, rate: c.rate, accuracy: c.accuracy, note: 'Trainer.train one sample at a time, update every 64; digits in order' });
    }
  }
  if (options.quick) {
    const samples = 640;
    log(`cnn training: ConvNetJS ${samples} samples`);
    rows.push({ table: 'training', peer: 'ConvNetJS', library: convLib, setting: OWN_ADAPTIVE.label, samples, rate: convnetRate(train, samples), note: 'time-boxed: no accuracy' });
  }
  const tfSamples = options.quick ? 128 : 192;
  log(`cnn training: TF.js-cpu ${tfSamples} samples`);
  rows.push({ table: 'training', peer: 'TF.js-cpu', library: tfCpuLib, setting: 'Adam 2e-3', samples: tfSamples, rate: await tfjsCpuRate(train, tfSamples), note: 'time-boxed (a full epoch would take about 7 minutes): no accuracy' });

  const batches = [1, CNN_BATCH] as const;
  log('cnn inference');
  const wasm = await tfjsWasm(test, batches);
  rows.push({ table: 'training', peer: 'TF.js-WASM', library: tfWasmLib, setting: 'Adam 2e-3', samples: CNN_BATCH, rate: null, note: wasm.training });
  const inference: [string, string, number[]][] = [
    ['simdnet, 1 thread', simdnetLib, simdnetInference(test, batches, 1)],
    [`simdnet, ${cores} threads`, simdnetLib, simdnetInference(test, batches, cores)],
    ['TF.js-WASM', tfWasmLib, wasm.inference],
    ['TF.js-cpu', tfCpuLib, await tfjsCpuInference(test, batches)],
    ['ConvNetJS', convLib, convnetInference(test, batches)],
  ];
  for (const [peer, library, rates] of inference) {
    batches.forEach((b, i) => rows.push({ table: 'inference', peer, library, setting: `batch ${b}`, samples: b, rate: rates[i]! }));
  }
  return { rows, markdown: cnnMarkdown(rows, epochTrain.rows) };
}

function cnnMarkdown(rows: readonly CnnRow[], epochRows: number): string {
  const pct = (x: number | undefined) => (x === undefined ? '' : `${(100 * x).toFixed(2)} %`);
  const one = (setting: string, table: CnnRow['table']) => rows.find((r) => r.table === table && r.setting === setting && r.peer === 'simdnet, 1 thread')?.rate;
  const ratio = (r: CnnRow) => {
    const mine = one(r.table === 'training' && r.peer === 'TF.js-cpu' ? OWN_ADAPTIVE.label : r.setting, r.table);
    return r.rate === null || mine == null ? '' : `${fmt(mine / r.rate)}×`;
  };
  const training = rows.filter((r) => r.table === 'training');
  const inference = rows.filter((r) => r.table === 'inference');
  return [
    '### CNN training: TF.js tutorial net (conv 5×5×8 → max pool 2 → conv 5×5×16 → max pool 2 → dense 10), batch 64',
    '',
    `samples/s over the samples shown (one epoch of ${epochRows.toLocaleString('en-US')} digits unless time-boxed); test accuracy on the 2,000 test digits after that epoch; ` +
      'simdnet 1 thread ÷ peer compares like optimizers (TF.js-cpu against simdnet with Adam)',
    '',
    '| peer | optimizer | samples | samples/s | simdnet 1 thread ÷ peer | test accuracy | library | note |',
    '|---|---|---:|---:|---:|---:|---|---|',
    ...training.map((r) => `| ${r.peer} | ${r.setting} | ${r.samples.toLocaleString('en-US')} | ${r.rate === null ? '—' : fmt(r.rate)} | ${ratio(r)} | ${pct(r.accuracy)} | ${r.library} | ${r.note ?? ''} |`),
    '',
    '### CNN inference: the same net, samples/s (best of 5 rounds of 0.2 s; ConvNetJS one sample per call)',
    '',
    '| peer | batch | samples/s | simdnet 1 thread ÷ peer | library |',
    '|---|---:|---:|---:|---|',
    ...inference.map((r) => `| ${r.peer} | ${r.samples} | ${fmt(r.rate!)} | ${ratio(r)} | ${r.library} |`),
  ].join('\n');
}
