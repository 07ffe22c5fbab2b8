/**
 * Threads and relaxed SIMD: `npm run bench -- threads`.
 *
 * - GEMM 512³ and 1024³ (NN) with 1 and 2 threads, interleaved rounds, GFLOP/s from the
 *   median and the best round, and the 2-thread/1-thread ratio of the medians.
 * - Training 784-128-64-10 (ReLU, softmax, SGD) at batch 256 on the bundled digits with 1 and
 *   2 threads: samples/s per epoch, interleaved, median and best.
 * - The crossover: GEMM squares and elementwise lengths run single-threaded and force-split
 *   over 2 threads, to place the thresholds of src/threads/kernels.ts.
 * - The relaxed build's GEMM 512³ on one thread. Node 20 needs --experimental-wasm-relaxed-simd
 *   for it (refused in NODE_OPTIONS), so without it this file re-runs itself in a child
 *   `node` with the flag for that row.
 *
 * The machine is shared: every figure is a median of interleaved repeats, the best beside it.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createEngine, type Engine } from '../src/engine.js';
import { Network, SGD, loadBundledMnist, type Dataset } from '../src/node.js';
import { relaxedSimdSupported } from '../src/wasm/features.js';
import { bindWasm } from '../src/backend/wasm.js';
import { Heap } from '../src/wasm/heap.js';
import { attachPool } from '../src/threads/attach.js';
import { threadedKernels } from '../src/threads/kernels.js';
import type { Kernels } from '../src/backend/kernels.js';

const CHILD_FLAG = '--relaxed-gemm-row';
const ROUNDS = 7;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const f1 = (x: number): string => x.toFixed(1);
const int = (x: number): string => Math.round(x).toLocaleString('en-US');

function fill(f: Float32Array, ptr: number, n: number, seed: number): void {
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    f[(ptr >> 2) + i] = s / 2 ** 31 - 1;
  }
}

/** A, B, C of size² floats in `engine`'s heap, and a call of the square NN GEMM. */
function squareGemm(engine: Engine, size: number): () => void {
  const n2 = size * size;
  const a = engine.heap.alloc(n2 * 4), b = engine.heap.alloc(n2 * 4), c = engine.heap.alloc(n2 * 4);
  fill(engine.heap.f32, a, n2, 1);
  fill(engine.heap.f32, b, n2, 2);
  return () => engine.kernels.gemm(false, false, size, size, size, 1, a, size, b, size, 0, c, size, 0, 0, 0, engine.gemmWork);
}

/** Seconds per call: enough calls for ~`budgetMs`, after one warm-up call. */
function secondsPerCall(run: () => void, budgetMs: number): number {
  run();
  let calls = 0;
  const t0 = performance.now();
  do {
    run();
    calls++;
  } while (performance.now() - t0 < budgetMs);
  return (performance.now() - t0) / 1000 / calls;
}

function relaxedGemmRow(): { median: number; best: number } {
  const engine = createEngine({ build: 'relaxed', threads: 1, heap: { initialBytes: 8 << 20 } });
  const run = squareGemm(engine, 512);
  const rates = Array.from({ length: ROUNDS }, () => (2 * 512 ** 3) / secondsPerCall(run, 300) / 1e9);
  return { median: median(rates), best: Math.max(...rates) };
}

async function gemmScaling(): Promise<void> {
  console.log('\n### GEMM, NN, 1 vs 2 threads (GFLOP/s; median of interleaved rounds, best in brackets)\n');
  console.log('| shape | 1 thread | 2 threads | 2 / 1 (medians) |');
  console.log('|---|---|---|---|');
  for (const size of [512, 1024]) {
    const engines = [1, 2].map((threads) => createEngine({ threads, heap: { initialBytes: 16 << 20 } }));
    const runs = engines.map((e) => squareGemm(e, size));
    const rates: number[][] = [[], []];
    for (let r = 0; r < ROUNDS; r++) {
      runs.forEach((run, i) => rates[i]!.push((2 * size ** 3) / secondsPerCall(run, 300) / 1e9));
      await new Promise((res) => setTimeout(res, 0));
    }
    const [one, two] = rates.map(median) as [number, number];
    console.log(`| ${size}³ | ${f1(one)} (${f1(Math.max(...rates[0]!))}) | ${f1(two)} (${f1(Math.max(...rates[1]!))}) | ${(two / one).toFixed(2)}× |`);
    engines.forEach((e) => e.close());
  }
}

async function trainingScaling(): Promise<void> {
  const { train } = await loadBundledMnist({ seed: 1 });
  console.log(`\n### Training 784-128-64-10 ReLU/softmax, SGD, batch 256, ${int(train.rows)} rows per epoch (samples/s)\n`);
  const nets = [1, 2].map((threads) => Network.mlp([784, 128, 64, 10], { activation: 'relu', seed: 1, threads }));
  const epoch = async (net: Network, data: Dataset): Promise<number> =>
    (await net.fit(data, { epochs: 1, batchSize: 256, optimizer: new SGD({ learningRate: 0.05 }) })).epochs[0]!.samplesPerSecond;
  for (const net of nets) await epoch(net, train);
  const rates: number[][] = [[], []];
  for (let r = 0; r < ROUNDS; r++) for (const [i, net] of nets.entries()) rates[i]!.push(await epoch(net, train));
  const [one, two] = rates.map(median) as [number, number];
  console.log('| threads | samples/s (median) | best | vs 1 thread |');
  console.log('|---|---|---|---|');
  console.log(`| 1 | ${int(one)} | ${int(Math.max(...rates[0]!))} | 1.00× |`);
  console.log(`| 2 | ${int(two)} | ${int(Math.max(...rates[1]!))} | ${(two / one).toFixed(2)}× |`);
  nets.forEach((n) => n.engine.close());
}

/** Single-threaded kernels and kernels that split every call over 2 threads, on one shared heap. */
function forcedSplit(): { heap: Heap; single: Kernels; split: Kernels; work: number; close(): void } {
  const heap = new Heap({ shared: true, initialBytes: 64 << 20 });
  const { kernels: single, exports } = bindWasm(heap.memory, 'simd');
  const work = heap.alloc(single.gemmWorkspaceBytes());
  const pool = attachPool(heap, 'simd', 2, exports, single.gemmWorkspaceBytes());
  const split = threadedKernels(single, pool, { gemmFlopsPerChunk: 1, elementsPerChunk: 16 });
  return { heap, single, split, work, close: () => pool.close() };
}

async function crossover(): Promise<void> {
  const { heap, single, split, work, close } = forcedSplit();
  const max = 1 << 20;
  const a = heap.alloc(max * 4), b = heap.alloc(max * 4), c = heap.alloc(max * 4), d = heap.alloc(max * 4);
  fill(heap.f32, a, max, 1);
  fill(heap.f32, b, max, 2);
  fill(heap.f32, d, max, 3);
  split.add(a, b, c, 64); // start the worker
  await new Promise((r) => setTimeout(r, 100));
  const ratio = (f: (k: Kernels) => void): string => {
    const t: number[][] = [[], []];
    for (let r = 0; r < 5; r++) [single, split].forEach((k, i) => t[i]!.push(secondsPerCall(() => f(k), 40)));
    return `${(median(t[0]!) / median(t[1]!)).toFixed(2)}× (${(median(t[0]!) * 1e6).toFixed(1)} µs alone)`;
  };
  console.log('\n### Crossover: speed-up of a call split over 2 threads vs one thread (>1 = splitting pays)\n');
  console.log('| GEMM m=n=k | 2·m·n·k | split / single |');
  console.log('|---|---|---|');
  for (const s of [16, 32, 48, 64, 96, 128, 192, 256]) {
    console.log(`| ${s} | ${int(2 * s ** 3)} | ${ratio((k) => k.gemm(false, false, s, s, s, 1, a, s, b, s, 0, c, s, 0, 0, 0, work))} |`);
  }
  console.log('\n| elements | tanh forward | add | adam |');
  console.log('|---|---|---|---|');
  for (const n of [1 << 12, 1 << 14, 1 << 15, 1 << 16, 1 << 17, 1 << 18, 1 << 20]) {
    const tanh = ratio((k) => k.activationForward(3, 0, a, c, n));
    const add = ratio((k) => k.add(a, b, c, n));
    const adam = ratio((k) => k.adam(c, d, a, b, n, 1e-9, 0.9, 0.999, 1e-8, 1));
    console.log(`| ${int(n)} | ${tanh} | ${add} | ${adam} |`);
  }
  close();
}

function relaxedRow(): void {
  console.log('\n### Relaxed SIMD build, GEMM 512³ NN, one thread (GFLOP/s)\n');
  let row: { median: number; best: number } | { skipped: string };
  if (relaxedSimdSupported()) row = relaxedGemmRow();
  else {
    const self = fileURLToPath(import.meta.url);
    const viteNode = fileURLToPath(new URL('../node_modules/vite-node/vite-node.mjs', import.meta.url));
    const child = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', viteNode, self, CHILD_FLAG], { encoding: 'utf8' });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    try {
      row = JSON.parse(line) as typeof row;
    } catch {
      row = { skipped: `child failed: ${child.stderr.trim().split('\n')[0] ?? child.status}` };
    }
  }
  if ('skipped' in row) console.log(`relaxed build not measured: ${row.skipped}`);
  else console.log(`| relaxed 512³ | ${f1(row.median)} (best ${f1(row.best)}) |`);
}

export default async function (): Promise<void> {
  await gemmScaling();
  relaxedRow();
  await trainingScaling();
  await crossover();
}

if (process.argv.includes(CHILD_FLAG)) {
  console.log(JSON.stringify(relaxedSimdSupported() ? relaxedGemmRow() : { skipped: 'this runtime does not enable relaxed SIMD even with the flag' }));
}
