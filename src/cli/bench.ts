/**
 * `simdnet bench`: a quick look at speed, WASM (SIMD and scalar builds) beside the reference
 * TypeScript kernels — GEMM at the default network's layer shapes, one activation kernel,
 * and end-to-end training throughput. `npm run bench` is the thorough version.
 */
import type { Command } from 'commander';
import { Act, createEngine, Network, simdSupported, type Engine, type EngineOptions } from '../node.js';
import { machineDescription } from './about.js';
import { formatRate } from './format.js';

interface BenchOptions {
  json?: boolean;
  quick?: boolean;
}

/** A backend to measure. */
interface Target {
  label: string;
  engine: EngineOptions;
}

/** One row of the report. */
export interface BenchRow {
  what: string;
  backend: string;
  /** Throughput in `unit`. */
  value: number;
  unit: string;
}

/** Seconds per call of `fn`, repeated until at least `budget` seconds have passed. */
function measure(fn: () => void, budget: number): number {
  fn();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < budget * 1000) {
    fn();
    calls++;
    elapsed = performance.now() - start;
  }
  return elapsed / 1000 / calls;
}

function fillRandom(engine: Engine, ptr: number, n: number, seed: number): void {
  const f = engine.heap.floats(ptr, n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    f[i] = s / 2 ** 32 - 0.5;
  }
}

/** GFLOP/s of C = A·B (m×k times k×n), the forward pass of a dense layer. */
function gemmRate(target: Target, m: number, n: number, k: number, budget: number): number {
  const engine = createEngine(target.engine);
  const a = engine.heap.alloc(m * k * 4);
  const b = engine.heap.alloc(k * n * 4);
  const c = engine.heap.alloc(m * n * 4);
  fillRandom(engine, a, m * k, 1);
  fillRandom(engine, b, k * n, 2);
  const seconds = measure(() => engine.kernels.gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n, 0, Act.identity, 0, engine.gemmWork), budget);
  return (2 * m * n * k) / seconds / 1e9;
}

/** Million elements/s of tanh over a 64×1024 block. */
function activationRate(target: Target, budget: number): number {
  const engine = createEngine(target.engine);
  const n = 64 * 1024;
  const x = engine.heap.alloc(n * 4);
  const y = engine.heap.alloc(n * 4);
  fillRandom(engine, x, n, 3);
  return n / measure(() => engine.kernels.activationForward(Act.tanh, 0, x, y, n), budget) / 1e6;
}

/** Training samples/s of the default 784-128-64-10 network, Adam, batch 64, on random digits. */
async function trainingRate(target: Target, rows: number): Promise<number> {
  const net = Network.mlp([784, 128, 64, 10], { seed: 1, ...target.engine });
  const x = new Float32Array(rows * 784).map((_, i) => (Math.imul(i, 2654435761) >>> 24) / 255);
  const labels = Int32Array.from({ length: rows }, (_, i) => i % 10);
  await net.fit({ data: x.subarray(0, 64 * 784), rows: 64, cols: 784 }, labels.subarray(0, 64), { epochs: 1, batchSize: 64, optimizer: 'adam', learningRate: 1e-3 });
  const history = await net.fit({ data: x, rows, cols: 784 }, labels, { epochs: 1, batchSize: 64, optimizer: 'adam', learningRate: 1e-3 });
  return rows / history.seconds;
}

/** Run every measurement; `quick` shortens the budgets (used by the tests). */
export async function runBench(quick: boolean, onRow: (row: BenchRow) => void = () => {}): Promise<BenchRow[]> {
  const targets: Target[] = [
    ...(simdSupported() ? [{ label: 'wasm-simd', engine: { backend: 'wasm', build: 'simd' } } as const] : []),
    { label: 'wasm-scalar', engine: { backend: 'wasm', build: 'scalar' } },
    { label: 'js (reference)', engine: { backend: 'js' } },
  ];
  const budget = quick ? 0.02 : 0.4;
  const rows: BenchRow[] = [];
  const add = (row: BenchRow) => {
    rows.push(row);
    onRow(row);
  };
  const shapes: [number, number, number][] = [[64, 128, 784], [64, 64, 128], [64, 10, 64]];
  for (const [m, n, k] of shapes) {
    for (const t of targets) add({ what: `gemm ${m}×${k} · ${k}×${n}`, backend: t.label, value: gemmRate(t, m, n, k, budget), unit: 'GFLOP/s' });
  }
  for (const t of targets) add({ what: 'tanh 65,536 floats', backend: t.label, value: activationRate(t, budget), unit: 'M elements/s' });
  for (const t of targets) {
    const trainRows = quick ? 128 : t.engine.backend === 'js' ? 1024 : 8192;
    add({ what: 'train 784-128-64-10, batch 64', backend: t.label, value: await trainingRate(t, trainRows), unit: 'samples/s' });
  }
  return rows;
}

function formatValue(row: BenchRow): string {
  return row.unit === 'samples/s' ? formatRate(row.value) : row.value.toFixed(2);
}

/** Register the `bench` command. */
export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('quick kernel and training-throughput report: WASM (SIMD, scalar) vs the reference backend')
    .option('--json', 'print the results as JSON')
    .option('--quick', 'tiny budgets: checks that everything runs, numbers are rough')
    .action(async (options: BenchOptions) => {
      const machine = machineDescription();
      if (!options.json) process.stdout.write(`machine: ${machine}\n${'what'.padEnd(34)}${'backend'.padEnd(16)}${'result'.padStart(14)}  unit\n`);
      const rows = await runBench(options.quick ?? false, (row) => {
        if (!options.json) process.stdout.write(`${row.what.padEnd(34)}${row.backend.padEnd(16)}${formatValue(row).padStart(14)}  ${row.unit}\n`);
      });
      if (options.json) process.stdout.write(`${JSON.stringify({ machine, results: rows }, null, 2)}\n`);
    });
}
