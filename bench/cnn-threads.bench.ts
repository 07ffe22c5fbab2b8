/**
 * Where CNN training's time goes on threads: `npm run bench -- cnn-threads` (issue 12).
 *
 * - A job's round trip: an empty 2-chunk job after the calling thread worked alone for a gap,
 *   so the worker is still polling (short gaps) or asleep (long ones), with the pool's poll time
 *   before and after issue 12's change.
 * - For the two nets of bench/cnn.bench.ts (tutorial, mnist-cnn), batch 64, Adam: every kernel
 *   call of a one-thread training step in order, its time (the round with the fastest step of
 *   {@link ROUNDS}), and whether a 2-thread engine splits the same call (it posted a job); the
 *   time outside the kernels; the jobs per step; the Amdahl bound on 2 threads from those.
 * - The same nets trained on 1 and on 2 threads, interleaved rounds, median samples/s.
 *
 * Speed-up figures mean something only on a quiet machine; the load average is printed.
 */
import os from 'node:os';
import { Adam, Network, loadBundledMnist, type Dataset } from '../src/node.js';
import { bindWasm } from '../src/backend/wasm.js';
import { Heap } from '../src/wasm/heap.js';
import { attachPool } from '../src/threads/attach.js';
import { jobsPosted } from '../src/threads/pool.js';
import { LAYOUT } from '../src/threads/protocol.js';
import { CNN_BATCH as BATCH, LENET, TUTORIAL, rowSlice } from './peers/cnn.js';

const ROUNDS = 7;
const STEPS = 20;

/** The two nets of bench/cnn.bench.ts. */
const NETS: { name: string; build: (threads: number) => Network }[] = [
  { name: 'tutorial', build: (threads) => new Network({ inputShape: [28, 28, 1], layers: TUTORIAL, seed: 1, threads }) },
  { name: 'mnist-cnn', build: (threads) => new Network({ inputShape: [28, 28, 1], layers: LENET, seed: 1, threads }) },
];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = (): string => os.loadavg()[0]!.toFixed(2);

/** Poll time of the pools before this measurement: 2^14 polls by a worker, about 80 µs here. */
const OLD_SPIN_MS = 0.08;

function roundTrips(): void {
  const gaps = [0, 30, 100, 300, 1000, 3000];
  console.log('\n### An empty 2-chunk job after the caller worked alone for a gap (median of 300, µs)\n');
  console.log(`| poll time | ${gaps.map((g) => `gap ${g} µs`).join(' | ')} |`);
  console.log(`|---|${gaps.map(() => '---|').join('')}`);
  for (const spinMs of [OLD_SPIN_MS, LAYOUT.spinMs]) {
    const heap = new Heap({ shared: true });
    const { kernels, exports } = bindWasm(heap.memory, 'simd');
    const pool = attachPool(heap, 'simd', 2, exports, kernels.gemmWorkspaceBytes(), spinMs);
    const fn = pool.fnIndex('f32_vadd');
    const empty = [[0, 0, 0, 0], [0, 0, 0, 0]];
    for (let i = 0; i < 2000; i++) pool.run(fn, empty);
    const cells = gaps.map((gap) => {
      const times: number[] = [];
      for (let r = 0; r < 300; r++) {
        const until = performance.now() + gap / 1000;
        while (performance.now() < until);
        const t = performance.now();
        pool.run(fn, empty);
        times.push((performance.now() - t) * 1000);
      }
      return median(times).toFixed(1);
    });
    console.log(`| ${spinMs} ms${spinMs === LAYOUT.spinMs ? ' (default)' : ''} | ${cells.join(' | ')} |`);
    pool.close();
  }
}

interface Call {
  key: string;
  ms: number;
  split: boolean;
}

/**
 * Time every kernel call of `net` and note whether it posted a pool job; each `computeLoss`
 * (one per training step) starts a new list in `steps`.
 */
function instrument(net: Network, steps: Call[][]): void {
  const kernels = net.engine.kernels as unknown as Record<string, unknown>;
  const timed: Record<string, unknown> = { ...kernels };
  const seen = new Map<string, number>();
  let step: Call[] = [];
  for (const [name, fn] of Object.entries(kernels)) {
    if (typeof fn !== 'function' || name === 'gemmWorkspaceBytes') continue;
    timed[name] = (...args: unknown[]): unknown => {
      const jobs = jobsPosted();
      const t = performance.now();
      const out = (fn as (...a: unknown[]) => unknown)(...args);
      const ms = performance.now() - t;
      const nth = (seen.get(name) ?? 0) + 1;
      seen.set(name, nth);
      const shape = name === 'gemm' ? ` ${args[0] ? 'T' : 'N'}${args[1] ? 'T' : 'N'} ${args[2]}×${args[3]}×${args[4]}` : '';
      step.push({ key: `${name} #${nth}${shape}`, ms, split: jobsPosted() > jobs });
      return out;
    };
  }
  (net.engine as { kernels: unknown }).kernels = timed;
  const computeLoss = net.computeLoss.bind(net);
  net.computeLoss = (...args) => {
    step = [];
    steps.push(step);
    seen.clear();
    return computeLoss(...args);
  };
}

async function profile(name: string, build: (threads: number) => Network, train: Dataset): Promise<void> {
  const nets = [1, 2].map(build);
  const optimizers = nets.map(() => new Adam({ learningRate: 2e-3 }));
  for (let i = 0; i < 2; i++) await nets[i]!.fit(rowSlice(train, BATCH * 5), { epochs: 1, batchSize: BATCH, optimizer: optimizers[i] });
  const steps: Call[][][] = [[], []];
  nets.forEach((net, i) => instrument(net, steps[i]!));
  // Per net, the round with the fastest step: its wall time per step and each call's ms per step.
  const best = [0, 1].map(() => ({ wall: Infinity, calls: new Map<string, number>() }));
  let jobs = 0;
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < 2; i++) {
      steps[i]!.length = 0;
      const before = jobsPosted();
      const t = performance.now();
      await nets[i]!.fit(rowSlice(train, BATCH * STEPS), { epochs: 1, batchSize: BATCH, optimizer: optimizers[i] });
      const wall = (performance.now() - t) / STEPS;
      if (i === 1) jobs = (jobsPosted() - before) / STEPS;
      if (wall >= best[i]!.wall) continue;
      const calls = new Map<string, number>();
      for (const step of steps[i]!) for (const c of step) calls.set(c.key, (calls.get(c.key) ?? 0) + c.ms / STEPS);
      best[i] = { wall, calls };
    }
  }
  nets.forEach((net) => net.engine.close());
  const split = new Set(steps[1]!.at(-1)!.filter((c) => c.split).map((c) => c.key));
  const [one, two] = best as [typeof best[0], typeof best[0]];
  const inKernels = (calls: Map<string, number>): number => [...calls.values()].reduce((s, ms) => s + ms, 0);
  const splitMs = [...one.calls].reduce((s, [key, ms]) => s + (split.has(key) ? ms : 0), 0);
  const pct = (ms: number): string => ((100 * ms) / one.wall).toFixed(1);
  console.log(`\n### ${name}: one-thread step ${one.wall.toFixed(2)} ms, two-thread step ${two.wall.toFixed(2)} ms (${(one.wall / two.wall).toFixed(2)}×; fastest of ${ROUNDS} rounds of ${STEPS} steps each), load ${load()}\n`);
  console.log('| call, in step order | ms, 1 thread | % of step | split on 2 threads | ms, 2 threads | 1 / 2 |');
  console.log('|---|---|---|---|---|---|');
  for (const [key, ms] of one.calls) {
    const ms2 = two.calls.get(key) ?? NaN;
    console.log(`| ${key} | ${ms.toFixed(3)} | ${pct(ms)} | ${split.has(key) ? 'yes' : 'no'} | ${ms2.toFixed(3)} | ${(ms / ms2).toFixed(2)}× |`);
  }
  const outside = [one, two].map((b) => b.wall - inKernels(b.calls));
  console.log(`| outside the kernels (fit loop, staging, layers' JS) | ${outside[0]!.toFixed(3)} | ${pct(outside[0]!)} | no | ${outside[1]!.toFixed(3)} | ${(outside[0]! / outside[1]!).toFixed(2)}× |`);
  console.log(`\nsplit on 2 threads: ${pct(splitMs)} % of the step; ${jobs} jobs per step; Amdahl bound on 2 threads (even halves, free jobs): ${(one.wall / (one.wall - splitMs / 2)).toFixed(2)}×`);
}

async function scaling(train: Dataset): Promise<void> {
  console.log(`\n### Training samples/s, batch ${BATCH}, Adam, 1 vs 2 threads: median of ${ROUNDS} interleaved rounds of ${STEPS} steps (load ${load()} at the start)\n`);
  console.log('| net | 1 thread | 2 threads | 2 / 1 |');
  console.log('|---|---|---|---|');
  for (const { name, build } of NETS) {
    const runs = [1, 2].map((threads) => ({ net: build(threads), optimizer: new Adam({ learningRate: 2e-3 }), rates: [] as number[] }));
    for (const run of runs) await run.net.fit(rowSlice(train, BATCH * 5), { epochs: 1, batchSize: BATCH, optimizer: run.optimizer });
    for (let r = 0; r < ROUNDS; r++) {
      for (const run of runs) run.rates.push((await run.net.fit(rowSlice(train, BATCH * STEPS), { epochs: 1, batchSize: BATCH, optimizer: run.optimizer })).epochs[0]!.samplesPerSecond);
    }
    const [one, two] = runs.map((run) => median(run.rates)) as [number, number];
    console.log(`| ${name} | ${Math.round(one)} | ${Math.round(two)} | ${(two / one).toFixed(2)}× |`);
    runs.forEach((run) => run.net.engine.close());
  }
  console.log(`\nload at the end: ${load()}`);
}

export default async function (): Promise<void> {
  roundTrips();
  const { train } = await loadBundledMnist({ seed: 1 });
  for (const { name, build } of NETS) await profile(name, build, train);
  await scaling(train);
}
