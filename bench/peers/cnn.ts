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
 * Accuracy against ConvNetJS is compared like for like ({@link sideBySide}): simdnet starts from
 * ConvNetJS's initial weights, both see the same digits in the same order in batches of 64,
 * with the same update rule (SGD with momentum 0.9, at ConvNetJS's default rate 0.01 and at
 * 0.05), for a few epochs; and, from the same start, with each library's own adaptive optimizer
 * (simdnet Adam, ConvNetJS adadelta).
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { Adam, Momentum, Network, type Dataset, type LayerSpec, type Optimizer } from '../../src/node.js';
import { fmt, seededRandom } from './harness.js';
import { argmax } from './peer.js';
import { CONVNET_VERSION, convnetSample, convnetTrainer, convnetTutorialNet, convnetWeightsForSimdnet, type ConvNetNet } from './convnetjs.js';
import { initWasm, packageVersion } from './tfjs.js';
import { PRESETS } from '../../src/cli/presets.js';
import { cnnLayers } from '../../src/cli/network.js';

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

/** The `mnist-cnn` preset's net (LeNet-5-style), its layers as `simdnet train --preset mnist-cnn` builds them. */
export const LENET: LayerSpec[] = cnnLayers(PRESETS['mnist-cnn'].settings, PRESETS['mnist-cnn'].settings.convolutions!);

/** An optimizer setting both libraries of a comparison run. */
export interface CnnOptimizer {
  /** As printed, e.g. `SGD momentum 0.9, lr 0.01`. */
  label: string;
  simdnet: () => Optimizer;
  /** ConvNetJS Trainer options (besides batch size and L2). */
  convnet: Record<string, unknown>;
}

/**
 * SGD with momentum 0.9 at `learningRate` in both. ConvNetJS 0.3.0's `sgd` keeps a step
 * `dx = μ·dx − lr·ĝ` and adds it to w, ĝ the batch's summed gradient ÷ batch size; simdnet's
 * `momentum` keeps `v = μ·v + g` and subtracts lr·v, g the mean gradient over the batch. With a
 * constant rate dx = −lr·v at every step, so the weights are the same up to rounding.
 * (ConvNetJS 0.3.0 has no Nesterov: its Trainer runs any unknown `method` as `sgd`.)
 */
export function sameMomentum(learningRate: number): CnnOptimizer {
  return {
    label: `SGD momentum 0.9, lr ${learningRate} (both)`,
    simdnet: () => new Momentum({ learningRate, momentum: 0.9 }),
    convnet: { method: 'sgd', learning_rate: learningRate, momentum: 0.9 },
  };
}

/** ConvNetJS's default update rule (`sgd`, momentum 0.9, lr 0.01) in both. */
export const SAME_SGD = sameMomentum(0.01);

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

/** `rows` rows of `data` from row `start` (the first `rows` by default), as views. */
export function rowSlice(data: Dataset, rows: number, start = 0): Dataset {
  const end = start + rows;
  const out: Dataset = { ...data, rows, x: data.x.subarray(start * data.features, end * data.features), y: data.y.subarray(start * data.outputs, end * data.outputs) };
  if (data.labels) out.labels = data.labels.subarray(start, end);
  return out;
}

/** The first `rows` digits as TF.js tensors. */
function tfBatch(data: Dataset, rows: number): readonly [tf.Tensor4D, tf.Tensor2D] {
  return [tf.tensor4d(data.x.subarray(0, rows * 784), [rows, 28, 28, 1]), tf.tensor2d(data.y.subarray(0, rows * 10), [rows, 10])];
}

/** Calls of `run` per second over one round of about 0.2 s. */
function roundRate(run: () => void): number {
  let calls = 0;
  const t = performance.now();
  while (performance.now() - t < 200) {
    run();
    calls++;
  }
  return (1000 * calls) / (performance.now() - t);
}

/** Calls of `run` per second, from the best of 5 rounds of about 0.2 s, after a warm-up call. */
export function bestCallsPerSecond(run: () => void): number {
  run();
  return Math.max(...Array.from({ length: 5 }, () => roundRate(run)));
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
    const predictor = tfjsPredictor(model, data, rows);
    const rate = rows * bestCallsPerSecond(predictor.run);
    predictor.dispose();
    return rate;
  });
  model.dispose();
  return rates;
}

/** A call of `model.predict` on the first `rows` samples of `data`, read back to the host, on the current backend. */
export function tfjsPredictor(model: tfl.Sequential, data: Dataset, rows: number): { run: () => void; dispose: () => void } {
  const [x, y] = tfBatch(data, rows);
  return { run: () => tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync()), dispose: () => tf.dispose([x, y]) };
}

/**
 * Calls per second of each of `runs`: the median of `rounds` rounds of about 0.2 s in which
 * the runs take turns, after a warm-up call each. A machine whose speed drifts from one second
 * to the next then moves every run alike, so their ratio holds where rounds run one library
 * after the other would compare one library's fast minute with the other's slow one.
 */
export function interleavedCallsPerSecond(runs: readonly (() => void)[], rounds = 7): number[] {
  runs.forEach((run) => run());
  const rates = runs.map((): number[] => []);
  for (let r = 0; r < rounds; r++) runs.forEach((run, i) => rates[i]!.push(roundRate(run)));
  return rates.map((xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);
}

/** TF.js-WASM on the tutorial net: inference samples/s at each batch size, and what an attempt to train does. */
export async function tfjsWasm(data: Dataset, batches: readonly number[]): Promise<{ inference: number[]; training: string }> {
  await activateTfjsWasm();
  const inference = tfjsInference(data, batches);
  return { inference, training: await tfjsWasmTraining(data) };
}

/** Make TF.js-WASM the active backend. */
export async function activateTfjsWasm(): Promise<void> {
  await initWasm();
  // initWasm selects the backend only on its first call; another peer may have switched since.
  if (!(await tf.setBackend('wasm')) || tf.getBackend() !== 'wasm') throw new Error('tfjs-wasm: the WASM backend is not active');
}

/** What an attempt to train the tutorial net on the active backend does: 'trains', or 'fails: ' and its message. */
export async function tfjsWasmTraining(data: Dataset): Promise<string> {
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
  return training;
}

/** simdnet `predict` samples/s on the tutorial net at each batch size. */
export function simdnetInference(data: Dataset, batches: readonly number[], threads = 1): number[] {
  const net = new Network({ inputShape: [28, 28, 1], layers: TUTORIAL, seed: 1, threads });
  const rates = batches.map((rows) => rows * bestCallsPerSecond(simdnetPredictor(net, data, rows)));
  net.engine.close();
  return rates;
}

/** A call of `net.predict` on the first `rows` samples of `data`. */
export function simdnetPredictor(net: Network, data: Dataset, rows: number): () => void {
  return () => net.predict({ data: data.x.subarray(0, rows * data.features), rows, cols: data.features });
}

/**
 * simdnet on the tutorial net as a user trains it (its own initial weights, rows shuffled):
 * samples/s of one epoch of `train`, after a warm-up batch on a throwaway net.
 */
export async function simdnetTrainingRate(train: Dataset, optimizer: CnnOptimizer, threads: number): Promise<number> {
  const warm = new Network({ inputShape: [28, 28, 1], layers: TUTORIAL, seed: 1, threads });
  await warm.fit(rowSlice(train, CNN_BATCH), { epochs: 1, batchSize: CNN_BATCH });
  warm.engine.close();
  const net = new Network({ inputShape: [28, 28, 1], layers: TUTORIAL, seed: 1, threads });
  const history = await net.fit(train, { epochs: 1, batchSize: CNN_BATCH, optimizer: optimizer.simdnet() });
  net.engine.close();
  return history.epochs[0]!.samplesPerSecond;
}

/**
 * ConvNetJS's Trainer over `samples` digits, one sample per call, after one warm-up batch:
 * samples/s (its adadelta, the optimizer of its MNIST demo).
 */
export function convnetRate(train: Dataset, samples: number): number {
  const trainer = convnetTrainer(convnetTutorialNet(), OWN_ADAPTIVE.convnet, CNN_BATCH);
  const rows = Array.from({ length: samples + CNN_BATCH }, (_, i) => convnetSample(train, i));
  for (const s of rows.slice(0, CNN_BATCH)) trainer.train(s.v, s.label);
  const t = performance.now();
  for (const s of rows.slice(CNN_BATCH)) trainer.train(s.v, s.label);
  return samples / ((performance.now() - t) / 1000);
}

/** ConvNetJS `forward` samples/s, one sample per call, `batch` calls per timed unit. */
export function convnetInference(data: Dataset, batches: readonly number[]): number[] {
  const net = convnetTutorialNet();
  return batches.map((rows) => {
    const samples = Array.from({ length: rows }, (_, i) => convnetSample(data, i).v);
    return rows * bestCallsPerSecond(() => samples.forEach((v) => net.forward(v)));
  });
}

/** ConvNetJS's softmax outputs for every row of `data` (rows × 10). */
function convnetOutputs(net: ConvNetNet, data: Dataset): Float64Array {
  const out = new Float64Array(data.rows * 10);
  for (let i = 0; i < data.rows; i++) out.set(net.forward(convnetSample(data, i).v).w, i * 10);
  return out;
}

/** The class with the largest output in each row of a rows × 10 matrix. */
function argmaxRows(outputs: ArrayLike<number>, rows: number): Int32Array {
  return Int32Array.from({ length: rows }, (_, i) => argmax(outputs, i * 10, 10));
}

/** Largest |a − b| over two lists of arrays of the same shapes. */
export function maxDifference(a: readonly ArrayLike<number>[], b: readonly ArrayLike<number>[]): number {
  const shapes = (xs: readonly ArrayLike<number>[]) => xs.map((x) => x.length).join(',');
  if (shapes(a) !== shapes(b)) throw new RangeError(`maxDifference: arrays of ${shapes(a)} against ${shapes(b)} values`);
  let max = 0;
  a.forEach((x, i) => {
    for (let j = 0; j < x.length; j++) max = Math.max(max, Math.abs(x[j]! - b[i]![j]!));
  });
  return max;
}

/** Where simdnet and ConvNetJS stand at one point of a like-for-like run. */
export interface SideBySideEpoch {
  /** Epochs trained so far (0: the initial weights). */
  epoch: number;
  /** Test accuracies. */
  simdnet: number;
  convnet: number;
  /** Test digits whose predicted class differs between the two. */
  disagreements: number;
  /** Largest |Δ| between the two nets' softmax outputs on the test digits. */
  maxOutputDifference: number;
  /** Largest |simdnet weight − ConvNetJS weight| over every parameter. */
  maxWeightDifference: number;
  /**
   * The yardstick for it: largest weight difference between simdnet and a second simdnet run
   * whose initial weights were each moved by one part in 2²³ (about one float32 rounding), same
   * data and rule. How far rounding alone carries this training.
   */
  maxSelfDifference: number;
}

/** A like-for-like run: both libraries from the same weights, same samples, same order, same batches. */
export interface SideBySide {
  optimizer: CnnOptimizer;
  /** Training rows per epoch. */
  rows: number;
  /** Before training, then after each epoch. */
  points: SideBySideEpoch[];
  /** ConvNetJS Trainer samples/s over the first epoch (one sample per call, plain JS). */
  convnetRate: number;
}

/**
 * simdnet and ConvNetJS trained like for like on the tutorial net: simdnet starts from
 * ConvNetJS's seeded initial weights (converted by {@link convnetWeightsForSimdnet}), both see
 * the rows of `train` in their stored order every epoch (simdnet `shuffle: false`; the bundled
 * split is already shuffled) in batches of {@link CNN_BATCH}, no weight decay; the comparison
 * is taken before training and after each epoch. simdnet runs on one thread (its results do not
 * depend on the thread count). ConvNetJS computes in float64, simdnet in float32: with the same
 * update rule that is the only difference left, and a second simdnet run from initial weights
 * moved by about one float32 rounding shows how far such differences grow in this training.
 */
export async function sideBySide(train: Dataset, test: Dataset, optimizer: CnnOptimizer, epochs: number, seed = 1): Promise<SideBySide> {
  const convnet = convnetTutorialNet(seed);
  const trainer = convnetTrainer(convnet, optimizer.convnet, CNN_BATCH);
  const start = convnetWeightsForSimdnet(convnet);
  const nudge = seededRandom(seed);
  const [net, nudged] = [start, start.map((w) => w.map((x) => x * (1 + (nudge() < 0.5 ? -1 : 1) * 2 ** -23)))].map((weights) => {
    const n = new Network({ inputShape: [28, 28, 1], layers: TUTORIAL, seed, threads: 1 });
    n.setWeights(weights);
    return n;
  }) as [Network, Network];
  const [simdnetOptimizer, nudgedOptimizer] = [optimizer.simdnet(), optimizer.simdnet()];
  const labels = argmaxRows(test.y, test.rows);
  const accuracy = (classes: Int32Array) => classes.reduce((n, c, i) => n + (c === labels[i] ? 1 : 0), 0) / test.rows;
  const compare = (epoch: number): SideBySideEpoch => {
    const ours = net.predict(test);
    const theirs = convnetOutputs(convnet, test);
    const [ourClasses, theirClasses] = [argmaxRows(ours, test.rows), argmaxRows(theirs, test.rows)];
    return {
      epoch,
      simdnet: accuracy(ourClasses),
      convnet: accuracy(theirClasses),
      disagreements: ourClasses.reduce((n, c, i) => n + (c === theirClasses[i] ? 0 : 1), 0),
      maxOutputDifference: maxDifference([ours], [theirs]),
      maxWeightDifference: maxDifference(net.getWeights(), convnetWeightsForSimdnet(convnet)),
      maxSelfDifference: maxDifference(net.getWeights(), nudged.getWeights()),
    };
  };

  const points = [compare(0)];
  const samples = Array.from({ length: train.rows }, (_, i) => convnetSample(train, i));
  let convnetRate = 0;
  for (let e = 1; e <= epochs; e++) {
    const t = performance.now();
    for (const s of samples) trainer.train(s.v, s.label);
    if (e === 1) convnetRate = train.rows / ((performance.now() - t) / 1000);
    await net.fit(train, { epochs: 1, batchSize: CNN_BATCH, shuffle: false, optimizer: simdnetOptimizer });
    await nudged.fit(train, { epochs: 1, batchSize: CNN_BATCH, shuffle: false, optimizer: nudgedOptimizer });
    points.push(compare(e));
  }
  net.engine.close();
  nudged.engine.close();
  return { optimizer, rows: train.rows, points, convnetRate };
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
  note?: string;
}

/** How much of the slow peers to run. */
export interface CnnPeerOptions {
  /** Short run: the like-for-like run on 640 digits for one epoch, fewer time-boxed samples. */
  quick: boolean;
  log?: (line: string) => void;
}

/** Epochs of the like-for-like runs in a full peer run. */
export const SIDE_BY_SIDE_EPOCHS = 3;

/**
 * The like-for-like runs of a full peer run: ConvNetJS's default rule, the same rule at 5× the
 * rate (where rounding differences have more room to grow), and each library's adaptive
 * optimizer (then only the update rule differs).
 */
export const SIDE_BY_SIDE: readonly CnnOptimizer[] = [SAME_SGD, sameMomentum(0.05), OWN_ADAPTIVE];

/**
 * The CNN rows of the peer benchmark on the tutorial net, batch 64: training samples/s (the
 * slow peers time-boxed or over one epoch), the like-for-like accuracy runs against ConvNetJS
 * ({@link sideBySide}), and inference at batch 1 and 64. Returns the rows, the runs and their
 * markdown.
 */
export async function cnnPeerRows(train: Dataset, test: Dataset, options: CnnPeerOptions): Promise<{ rows: CnnRow[]; sideBySide: SideBySide[]; markdown: string }> {
  const log = options.log ?? (() => {});
  const cores = os.availableParallelism();
  const rows: CnnRow[] = [];
  const simdnetLib = 'simdnet (this repository)';
  const tfCpuLib = `@tensorflow/tfjs-layers ${packageVersion('@tensorflow/tfjs-layers')} + tfjs-backend-cpu`;
  const tfWasmLib = `@tensorflow/tfjs-backend-wasm ${packageVersion('@tensorflow/tfjs-backend-wasm')}`;
  const convLib = `convnetjs ${CONVNET_VERSION}`;
  const epochTrain = options.quick ? rowSlice(train, 2000) : train;

  for (const optimizer of [SAME_SGD, OWN_ADAPTIVE]) {
    for (const threads of [1, cores]) {
      log(`cnn training: simdnet, ${threads} thread(s), ${optimizer.label}`);
      const rate = await simdnetTrainingRate(epochTrain, optimizer, threads);
      rows.push({ table: 'training', peer: `simdnet, ${threads} thread${threads > 1 ? 's' : ''}`, library: simdnetLib, setting: optimizer.label, samples: epochTrain.rows, rate });
    }
  }
  const [sideTrain, sideEpochs, sideRuns] = options.quick ? [rowSlice(train, 640), 1, [SAME_SGD]] : [train, SIDE_BY_SIDE_EPOCHS, SIDE_BY_SIDE];
  const runs: SideBySide[] = [];
  for (const optimizer of sideRuns) {
    log(`cnn like for like: ${sideEpochs} epoch(s) of ${sideTrain.rows} digits, ${optimizer.label}`);
    const run = await sideBySide(sideTrain, test, optimizer, sideEpochs);
    runs.push(run);
    rows.push({ table: 'training', peer: 'ConvNetJS', library: convLib, setting: optimizer.label, samples: sideTrain.rows, rate: run.convnetRate, note: 'Trainer.train one sample at a time, update every 64: the first epoch of the like-for-like run' });
  }
  const tfSamples = options.quick ? 128 : 192;
  log(`cnn training: TF.js-cpu ${tfSamples} samples`);
  rows.push({ table: 'training', peer: 'TF.js-cpu', library: tfCpuLib, setting: 'Adam 2e-3', samples: tfSamples, rate: await tfjsCpuRate(train, tfSamples), note: 'time-boxed (a full epoch would take about 7 minutes)' });

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
  return { rows, sideBySide: runs, markdown: [cnnMarkdown(rows, epochTrain.rows), '', sideBySideMarkdown(runs)].join('\n') };
}

function cnnMarkdown(rows: readonly CnnRow[], epochRows: number): string {
  const one = (setting: string, table: CnnRow['table']) => rows.find((r) => r.table === table && r.setting === setting && r.peer === 'simdnet, 1 thread')?.rate;
  const ratio = (r: CnnRow) => {
    const mine = one(r.table === 'training' && r.peer === 'TF.js-cpu' ? OWN_ADAPTIVE.label : r.setting, r.table);
    return r.rate === null || mine == null ? '' : `${fmt(mine / r.rate)}×`;
  };
  const training = rows.filter((r) => r.table === 'training');
  const inference = rows.filter((r) => r.table === 'inference');
  return [
    '### CNN training speed: TF.js tutorial net (conv 5×5×8 → max pool 2 → conv 5×5×16 → max pool 2 → dense 10), batch 64',
    '',
    `samples/s over the samples shown (simdnet: one epoch of ${epochRows.toLocaleString('en-US')} digits from its own initial weights, rows shuffled); ` +
      'simdnet 1 thread ÷ peer compares like optimizers (TF.js-cpu against simdnet with Adam). Accuracy: the like-for-like table below',
    '',
    '| peer | optimizer | samples | samples/s | simdnet 1 thread ÷ peer | library | note |',
    '|---|---|---:|---:|---:|---|---|',
    ...training.map((r) => `| ${r.peer} | ${r.setting} | ${r.samples.toLocaleString('en-US')} | ${r.rate === null ? '—' : fmt(r.rate)} | ${ratio(r)} | ${r.library} | ${r.note ?? ''} |`),
    '',
    '### CNN inference: the same net, samples/s (best of 5 rounds of 0.2 s; ConvNetJS one sample per call)',
    '',
    '| peer | batch | samples/s | simdnet 1 thread ÷ peer | library |',
    '|---|---:|---:|---:|---|',
    ...inference.map((r) => `| ${r.peer} | ${r.samples} | ${fmt(r.rate!)} | ${ratio(r)} | ${r.library} |`),
  ].join('\n');
}

/** The like-for-like runs as a markdown table: one line per run and epoch (0: before training). */
export function sideBySideMarkdown(runs: readonly SideBySide[]): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
  const sci = (x: number) => x.toExponential(1);
  return [
    `### CNN accuracy like for like: simdnet against ConvNetJS ${CONVNET_VERSION}, the same training`,
    '',
    'The tutorial net in both, simdnet given ConvNetJS\'s seeded initial weights (layouts converted by bench/peers/convnetjs.ts; ' +
      'simdnet rounds them to float32), the same training digits in the same order every epoch (the bundled split as stored, simdnet `shuffle: false`), ' +
      'batches of 64, no weight decay; simdnet one thread, float32; ConvNetJS float64. `SGD momentum` is one update rule in both ' +
      '(ConvNetJS\'s `dx = μ·dx − lr·g` is simdnet\'s `v = μ·v + g`, `w −= lr·v` with dx = −lr·v); the adaptive run differs only in the rule. ' +
      'Test accuracy on the 2,000 test digits; "differ": test digits the two classify differently; max |Δ output|: largest difference of a softmax output on them; ' +
      'max |Δw|: largest difference of a weight; its yardstick, simdnet against itself: the same run from initial weights each moved by one part in 2²³ ' +
      '(about one float32 rounding), the largest weight difference between the two simdnet runs.',
    '',
    '| update rule | digits per epoch | epoch | simdnet | ConvNetJS | simdnet − ConvNetJS | differ | max \\|Δ output\\| | max \\|Δw\\| | simdnet against itself: max \\|Δw\\| |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...runs.flatMap((run) =>
      run.points.map((p) =>
        `| ${p.epoch === 0 ? run.optimizer.label : ''} | ${p.epoch === 0 ? run.rows.toLocaleString('en-US') : ''} | ${p.epoch} | ${pct(p.simdnet)} | ${pct(p.convnet)} | ` +
          `${(100 * (p.simdnet - p.convnet)).toFixed(2)} points | ${p.disagreements} | ${sci(p.maxOutputDifference)} | ${sci(p.maxWeightDifference)} | ${sci(p.maxSelfDifference)} |`,
      ),
    ),
  ].join('\n');
}
