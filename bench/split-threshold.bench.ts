/**
 * When an elementwise call is worth splitting, inside training: `npm run bench -- split-threshold`.
 * bench/threads.bench.ts times kernels looped alone, where elementwise kernels never paid on 2
 * cores. In a training step they read what the split kernels before them wrote (Adam over the
 * weights whose gradient the GEMM wrote by row panels), so the crossover moves. Trained here:
 * 784-128-64-10 (batch 64 and 256) and the two CNNs of bench/cnn.bench.ts (batch 64), on one
 * thread and on all cores with `elementsPerChunk` at 2¹⁷ (the former default), 2¹⁵ (the default)
 * and 2¹⁴, the nets taking turns on slices of the bundled digits (one Adam each throughout).
 * Reported: median samples/s, and the median over turns of each net's ratio to the one-thread
 * net and to the 2¹⁷ net of the same turn (this VM's speed drifts over seconds; a turn is short).
 */
import os from 'node:os';
import { Adam, Network, loadBundledMnist, type LayerSpec } from '../src/node.js';
import { DEFAULT_THRESHOLDS } from '../src/threads/kernels.js';
import { CNN_BATCH, LENET, TUTORIAL, rowSlice } from './peers/cnn.js';

const TURNS = 30;
const WARM_UP = 2;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Case {
  name: string;
  batch: number;
  /** Rows per turn. */
  rows: number;
  build: (threads: number, elementsPerChunk: number) => Network;
}

const cnn = (layers: LayerSpec[]) => (threads: number, elementsPerChunk: number): Network =>
  new Network({ inputShape: [28, 28, 1], layers, seed: 1, threads, splitThresholds: { elementsPerChunk } });
const mlp = (threads: number, elementsPerChunk: number): Network =>
  Network.mlp([784, 128, 64, 10], { activation: 'relu', seed: 1, threads, splitThresholds: { elementsPerChunk } });

const CASES: Case[] = [
  { name: '784-128-64-10, batch 64', batch: 64, rows: 2000, build: mlp },
  { name: '784-128-64-10, batch 256', batch: 256, rows: 2000, build: mlp },
  { name: 'tutorial CNN, batch 64', batch: CNN_BATCH, rows: 1000, build: cnn(TUTORIAL) },
  { name: 'mnist-cnn, batch 64', batch: CNN_BATCH, rows: 1000, build: cnn(LENET) },
];

export default async function (): Promise<void> {
  const { train } = await loadBundledMnist({ seed: 1 });
  const cores = os.availableParallelism();
  const variants = [{ threads: 1, chunk: 1 << 17 }, ...[17, 15, 14].map((log) => ({ threads: cores, chunk: 2 ** log }))];
  const label = (v: (typeof variants)[number]): string =>
    v.threads === 1 ? '1 thread' : `${v.threads} threads, 2^${Math.log2(v.chunk)}${v.chunk === DEFAULT_THRESHOLDS.elementsPerChunk ? ' (default)' : ''}`;
  console.log(`Training samples/s on the bundled digits, nets taking turns (${TURNS} turns each, medians); the ${cores}-thread nets at elementsPerChunk 2^17, 2^15 and 2^14, load ${os.loadavg()[0]!.toFixed(2)}`);
  console.log('| net | elements per chunk | samples/s | / 1 thread | / 2^17 |');
  console.log('|---|---|---|---|---|');
  for (const c of CASES) {
    const runs = variants.map((v) => ({ v, net: c.build(v.threads, v.chunk), optimizer: new Adam({ learningRate: 2e-3 }), rates: [] as number[] }));
    const slices = Math.floor(train.rows / c.rows);
    // Two warm-up turns, then TURNS timed ones.
    for (let turn = 0; turn < WARM_UP + TURNS; turn++) {
      const data = rowSlice(train, c.rows, (turn % slices) * c.rows);
      for (const run of runs) {
        const rate = (await run.net.fit(data, { epochs: 1, batchSize: c.batch, optimizer: run.optimizer })).epochs[0]!.samplesPerSecond;
        if (turn >= WARM_UP) run.rates.push(rate);
      }
    }
    const ratio = (run: (typeof runs)[number], to: (typeof runs)[number]): string => median(run.rates.map((r, i) => r / to.rates[i]!)).toFixed(3);
    for (const run of runs) {
      console.log(`| ${c.name} | ${label(run.v)} | ${Math.round(median(run.rates)).toLocaleString('en-US')} | ${ratio(run, runs[0]!)}× | ${run.v.threads === 1 ? '' : `${ratio(run, runs[1]!)}×`} |`);
    }
    runs.forEach((run) => run.net.engine.close());
  }
  console.log(`\nload at the end: ${os.loadavg()[0]!.toFixed(2)}`);
}
