/**
 * CNN training on the bundled digits, batch 64, two nets: TensorFlow.js's tutorial net
 * (conv 5×5×8 → max pool 2 → conv 5×5×16 → max pool 2 → dense 10) and the `mnist-cnn` preset
 * (LeNet-5-style). Reported:
 * - simdnet training samples/s, one thread and all cores taking turns on eighths of
 *   `REPEATS` epochs over the 8,000 training digits (median and best), the all-core speed-up
 *   as the median ratio of the pairs of turns, and the test accuracy after the epochs;
 * - the convolution layers' effective GFLOP/s (forward + backward, 2·M·K·F per GEMM, counted
 *   from the layer shapes) beside the packed GEMM's rate at 256³ measured in the same run,
 *   one thread, so the cost of im2col/col2im and of thin GEMM shapes shows;
 * - the two convolution routes (im2col + GEMM, and the direct kernels) on each layer shape and
 *   a few beside them, forward + filter gradient, one thread: the measurement behind conv2dRoute;
 * - the peers on the tutorial net, time-boxed because they are slow: TensorFlow.js-cpu
 *   (tfjs-layers `model.fit`, Adam) and ConvNetJS (its Trainer, adadelta), samples/s only;
 *   TensorFlow.js-WASM's training attempt (its error message: it has no Conv2D backprop kernels);
 *   with `--peer-accuracy` also the like-for-like accuracy runs against ConvNetJS (the same
 *   initial weights, digits, order and update rule; bench/peers/cnn.ts `sideBySide`);
 * - inference on the tutorial net at batch 1 and 64, simdnet `predict` (one thread) against
 *   TensorFlow.js-WASM `model.predict` (XNNPACK, one thread), each read back to the host.
 * The peers' code is shared with `npm run bench:peers` (bench/peers/cnn.ts).
 */
import os from 'node:os';
import { Adam, Network, createEngine, loadBundledMnist, type Dataset, type LayerSpec } from '../src/node.js';
import { Act } from '../src/backend/kernels.js';
import { conv2dRoute, type Conv2D } from '../src/nn/conv2d.js';
import { windowGeometry, type Padding } from '../src/nn/geometry.js';
import { stagerFor } from '../src/feed/stager.js';
import { packageVersion } from './peers/tfjs.js';
import {
  CNN_BATCH as BATCH, LENET, SIDE_BY_SIDE, rowSlice, SIDE_BY_SIDE_EPOCHS, TUTORIAL, convnetRate, sideBySide, sideBySideMarkdown,
  activateTfjsWasm, interleavedCallsPerSecond, simdnetPredictor, tfjsCpuRate, tfjsPredictor, tfjsTutorial, tfjsWasmTraining,
} from './peers/cnn.js';
import { CONVNET_VERSION } from './peers/convnetjs.js';

const REPEATS = 3;
const TF_SAMPLES = 192;
const CONVNET_SAMPLES = 1280;

const NETS = [{ name: 'tutorial', layers: TUTORIAL }, { name: 'mnist-cnn (LeNet-5-style)', layers: LENET }];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

/** Slices of an epoch that the 1-thread and all-core nets take turns on. */
const SLICES = 8;

/**
 * {@link REPEATS} epochs of the net on 1 and on `threads` threads, taking turns on each
 * 1/{@link SLICES} of the digits (one Adam per net throughout): this VM's speed drifts by up
 * to 1.6× over seconds, and a turn of ~0.1 s puts both nets of a pair in the same phase.
 * Returns samples/s of every slice, the all-core / one-thread ratio of every pair, and the
 * one-thread net's test accuracy after its epochs.
 */
async function simdnetRates(layers: LayerSpec[], threads: number, train: Dataset, test: Dataset): Promise<{ one: number[]; all: number[]; ratios: number[]; accuracy: number }> {
  const runs = [1, threads].map((t) => ({ net: new Network({ inputShape: [28, 28, 1], layers, seed: 1, threads: t }), optimizer: new Adam({ learningRate: 2e-3 }), rates: [] as number[] }));
  const rows = Math.floor(train.rows / SLICES);
  for (let r = 0; r < REPEATS; r++) {
    for (let s = 0; s < SLICES; s++) {
      for (const { net, optimizer, rates } of runs) {
        const history = await net.fit(rowSlice(train, rows, s * rows), { epochs: 1, batchSize: BATCH, optimizer });
        rates.push(history.epochs[0]!.samplesPerSecond);
      }
    }
  }
  const [one, all] = runs.map((run) => run.rates) as [number[], number[]];
  const accuracy = runs[0]!.net.evaluate(test).accuracy!;
  runs.forEach((run) => run.net.engine.close());
  return { one, all, ratios: all.map((rate, i) => rate / one[i]!), accuracy };
}

/**
 * Rounds of the one-thread timings (GEMM rate, conv layers, routes): on a shared machine the
 * best of many short rounds is the one that had a core to itself.
 */
const ROUNDS = 10;

/** Best-of-{@link ROUNDS} GFLOP/s of the single-thread packed GEMM at 256³. */
function gemmRate(): number {
  const engine = createEngine({ threads: 1 });
  const n = 256;
  const [a, b, c] = [0, 1, 2].map(() => engine.heap.alloc(n * n * 4));
  engine.heap.f32.fill(0.5, a! >> 2, (a! >> 2) + 2 * n * n + 8);
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    for (let i = 0; i < 10; i++) engine.kernels.gemm(false, false, n, n, n, 1, a!, n, b!, n, 0, c!, n, 0, Act.identity, 0, engine.gemmWork);
    best = Math.min(best, (performance.now() - t) / 10);
  }
  return (2 * n ** 3) / (best * 1e6);
}

/**
 * Effective GFLOP/s of each conv layer of `layers` (forward + backward, one thread, batch 64),
 * timing the layer's own forward and backward calls: the best of {@link ROUNDS} rounds of 10 training steps.
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
  for (let round = 0; round < ROUNDS; round++) {
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

/** Convolution shapes for the route table: both nets' layers and a few beside them (name, input, kernel, filters, padding). */
const ROUTE_SHAPES: [string, [number, number, number], number, number, Padding][] = [
  ['tutorial conv2d_0', [28, 28, 1], 5, 8, 'valid'],
  ['mnist-cnn conv2d_0', [28, 28, 1], 5, 8, 'same'],
  ['tutorial conv2d_2', [12, 12, 8], 5, 16, 'valid'],
  ['mnist-cnn conv2d_2', [14, 14, 6], 5, 16, 'valid'],
  ['RGB 32×32×3, 5×5×8', [32, 32, 3], 5, 8, 'same'],
  ['RGB 32×32×3, 3×3×8', [32, 32, 3], 3, 8, 'same'],
  ['14×14×6, 3×3×8', [14, 14, 6], 3, 8, 'same'],
  ['12×12×8, 5×5×8', [12, 12, 8], 5, 8, 'valid'],
  ['28×28×1, 5×5×16', [28, 28, 1], 5, 16, 'same'],
  ['12×12×16, 5×5×16 (K 400)', [12, 12, 16], 5, 16, 'valid'],
  ['14×14×8, 3×3×32', [14, 14, 8], 3, 32, 'same'],
  ['12×12×16, 5×5×32', [12, 12, 16], 5, 32, 'valid'],
  ['RGB 32×32×3, 3×3×32', [32, 32, 3], 3, 32, 'same'],
  ['14×14×6, 5×5×12 (a tail of 4)', [14, 14, 6], 5, 12, 'valid'],
];

/**
 * The two convolution routes on one shape, one thread, batch 64, ReLU: forward and the
 * filter and bias gradients (dx is the same GEMM and col2im on all), best of {@link ROUNDS}
 * rounds of 10 calls each, the routes' rounds interleaved so a load that comes or goes hits
 * all, timed in CPU time (one thread: on a shared machine the time spent descheduled is not
 * the kernels').
 * Lowered: im2col, the GEMM with bias and ReLU, colsᵀ·dZ and Σ dZ; direct: f32_conv2d_nhwc and
 * f32_conv2d_nhwc_filter_grad.
 * Returns ms per step of each and the route the layer takes.
 */
export function routeRates([h, w, c]: [number, number, number], kernel: number, f: number, padding: Padding): { lowered: number; direct: number; m: number; k: number; chosen: string } {
  const engine = createEngine({ threads: 1 });
  const { heap, kernels: k, gemmWork } = engine;
  const g = windowGeometry([h, w, c], [kernel, kernel], [1, 1], padding, 'bench', 'kernel');
  const taps = kernel * kernel * c;
  const m = BATCH * g.oh * g.ow;
  const geo = [BATCH, g.h, g.w, g.c, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.oh, g.ow] as const;
  const alloc = (n: number, v: number) => {
    const p = heap.alloc(n * 4);
    heap.f32.fill(v, p >> 2, (p >> 2) + n);
    return p;
  };
  const x = alloc(BATCH * h * w * c, 0.5), wt = alloc(taps * f, 0.01), bias = alloc(f, 0.1), dz = alloc(m * f, 0.01);
  const cols = alloc(m * taps, 0), y = alloc(m * f, 0), dw = alloc(taps * f, 0), db = alloc(f, 0);
  const steps = [
    () => {
      k.im2col(x, ...geo, cols);
      k.gemm(false, false, m, f, taps, 1, cols, taps, wt, f, 0, y, f, bias, Act.relu, 0, gemmWork);
      k.gemm(true, false, taps, f, m, 1, cols, taps, dz, f, 0, dw, f, 0, Act.identity, 0, gemmWork);
      k.sumCols(dz, db, m, f);
    },
    () => {
      k.conv2d(x, ...geo, wt, f, bias, Act.relu, 0, y);
      k.conv2dFilterGrad(x, ...geo, dz, f, dw, db);
    },
  ];
  for (const step of steps) for (let i = 0; i < 3; i++) step();
  const best = steps.map(() => Infinity);
  for (let r = 0; r < ROUNDS; r++) {
    steps.forEach((step, s) => {
      const t = process.cpuUsage();
      for (let i = 0; i < 10; i++) step();
      const spent = process.cpuUsage(t);
      best[s] = Math.min(best[s]!, (spent.user + spent.system) / 1e3 / 10);
    });
  }
  const [lowered, direct] = best as [number, number];
  engine.close();
  return { lowered, direct, m, k: taps, chosen: conv2dRoute(g) };
}

export default async function (): Promise<void> {
  const { train, test } = await loadBundledMnist({ seed: 1 });
  const cores = os.availableParallelism();
  console.log(`CNN training, batch ${BATCH}, Adam 2e-3, ${REPEATS} epochs of 8,000 digits, the 1-thread and all-core nets taking turns on each eighth of them: samples/s (median and best of the ${REPEATS * SLICES} turns), all / one (median of the ${REPEATS * SLICES} pairs' ratios, and their quartiles); test accuracy after the ${REPEATS} epochs`);
  console.log(`| net | simdnet 1 thread | simdnet ${cores} threads | all / one | quartiles | test accuracy (1 thread) |`);
  console.log('|---|---|---|---|---|---|');
  const oneThread = new Map<string, number>();
  for (const { name, layers } of NETS) {
    const { one, all, ratios, accuracy } = await simdnetRates(layers, cores, train, test);
    oneThread.set(name, median(one));
    const cells = [one, all].map((rates) => `${fmt(median(rates))} (best ${fmt(Math.max(...rates))})`);
    const sorted = [...ratios].sort((a, b) => a - b);
    const quartile = (q: number): string => sorted[Math.floor(q * (sorted.length - 1))]!.toFixed(2);
    console.log(`| ${name} | ${cells.join(' | ')} | ${median(ratios).toFixed(2)}× | ${quartile(0.25)}–${quartile(0.75)}× | ${(accuracy * 100).toFixed(2)}% |`);
  }

  // The GEMM rate before and after the layers, the better one: a load that came or went meanwhile favours neither side.
  const before = gemmRate();
  const layerRates = NETS.map(({ name, layers }) => ({ name, rates: convRates(layers, train) }));
  const gemm = Math.max(before, gemmRate());
  console.log(`\nconvolution layers, one thread, batch ${BATCH}: effective GFLOP/s of forward + backward vs the packed GEMM at 256³ (${gemm.toFixed(1)} GFLOP/s, same run, best of before and after the layers)`);
  console.log('| net | layer | ms per step | GFLOP/s | of GEMM rate |');
  console.log('|---|---|---|---|---|');
  for (const { name, rates } of layerRates) {
    for (const r of rates) console.log(`| ${name} | ${r.name} | ${r.ms.toFixed(2)} | ${r.gflops.toFixed(1)} | ${((100 * r.gflops) / gemm).toFixed(0)}% |`);
  }
  console.log(`\nconvolution routes, one thread, batch ${BATCH}, ReLU: ms per forward + filter/bias gradient (GFLOP/s of its 2 GEMMs' worth), CPU time, the routes' rounds interleaved`);
  console.log('| shape | M | K | F | lowered (im2col + GEMM) | direct | lowered / direct | route taken |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [name, input, kernel, f, padding] of ROUTE_SHAPES) {
    const r = routeRates(input, kernel, f, padding);
    const cell = (ms: number) => `${ms.toFixed(2)} (${((4 * r.m * r.k * f) / (ms * 1e6)).toFixed(1)})`;
    console.log(`| ${name} | ${r.m} | ${r.k} | ${f} | ${cell(r.lowered)} | ${cell(r.direct)} | ${(r.lowered / r.direct).toFixed(2)}× | ${r.chosen} |`);
  }

  const simd = oneThread.get('tutorial')!;
  console.log(`\npeers on the tutorial net, time-boxed (samples/s on the first digits after one warm-up batch)`);
  console.log('| peer | samples | samples/s | simdnet 1 thread / peer |');
  console.log('|---|---|---|---|');
  const tfRate = await tfjsCpuRate(train, TF_SAMPLES);
  console.log(`| TF.js-cpu (@tensorflow/tfjs-layers ${packageVersion('@tensorflow/tfjs-layers')}) | ${TF_SAMPLES} | ${tfRate.toFixed(1)} | ${fmt(simd / tfRate)}× |`);
  const cnRate = convnetRate(train, CONVNET_SAMPLES);
  console.log(`| ConvNetJS ${CONVNET_VERSION} (adadelta) | ${CONVNET_SAMPLES} | ${fmt(cnRate)} | ${(simd / cnRate).toFixed(1)}× |`);

  const batches = [1, 64] as const;
  await activateTfjsWasm();
  const net = new Network({ inputShape: [28, 28, 1], layers: TUTORIAL, seed: 1, threads: 1 });
  const model = tfjsTutorial();
  console.log(`\ninference on the tutorial net, one thread, samples/s (median of 7 rounds of 0.2 s, the two libraries taking turns)`);
  console.log(`| batch | simdnet | TF.js-WASM (@tensorflow/tfjs-backend-wasm ${packageVersion('@tensorflow/tfjs-backend-wasm')}) | simdnet / TF.js-WASM |`);
  console.log('|---|---|---|---|');
  for (const rows of batches) {
    const theirs = tfjsPredictor(model, train, rows);
    const [ours, wasm] = interleavedCallsPerSecond([simdnetPredictor(net, train, rows), theirs.run]).map((calls) => rows * calls) as [number, number];
    theirs.dispose();
    console.log(`| ${rows} | ${fmt(ours)} | ${fmt(wasm)} | ${(ours / wasm).toFixed(2)}× |`);
  }
  model.dispose();
  net.engine.close();
  console.log(`\nTF.js-WASM training the same net: ${await tfjsWasmTraining(train)}`);

  // One full epoch of ConvNetJS takes minutes: only on request (TF.js-cpu would take far longer).
  if (process.argv.includes('--peer-accuracy')) {
    const runs = [];
    for (const optimizer of SIDE_BY_SIDE) runs.push(await sideBySide(train, test, optimizer, SIDE_BY_SIDE_EPOCHS));
    console.log(`\n${sideBySideMarkdown(runs)}`);
  }
}
