/**
 * GEMM throughput: WASM SIMD, WASM scalar and the reference backend side by side, one
 * tinybench run per shape × transpose case (warm-up first), reported as GFLOP/s (2·m·n·k
 * per call, from the median latency; for SIMD also from the fastest sample, which is what
 * survives on a shared, busy machine) and the SIMD/reference and SIMD/scalar ratios.
 *
 * Shapes: squares 128…1024 in all four transpose cases, and the three GEMMs of a
 * 784→128 dense layer at batch 128 (forward NN, dW = Xᵀ·dZ as TN, dX = dZ·Wᵀ as NT).
 * The reference triple loop runs only up to 256³: at 512³ one call takes seconds.
 *
 * Then, SIMD build only: the public `matmul` at 512³ (tensors, checks and output allocation
 * included: issue 16's bar), the packed-B entry against the plain GEMM on inference shapes
 * (a dense layer's weights packed once; batch 1 takes the one-row path), and the 5×8
 * micro-kernel alone on panels in L1, the ceiling the GEMM is measured against.
 */
import { Bench } from 'tinybench';
import { Heap } from '../src/wasm/heap.js';
import { wasmKernels } from '../src/backend/wasm.js';
import { referenceKernels } from '../src/backend/reference/index.js';
import { bindWasm } from '../src/backend/wasm.js';
import type { Kernels } from '../src/backend/kernels.js';
import { createEngine } from '../src/engine.js';
import { Tensor } from '../src/tensor/tensor.js';
import { matmul } from '../src/ops/matmul.js';

interface Case {
  name: string;
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
}

const REFERENCE_MAX_FLOP = 2 * 256 ** 3;

function cases(): Case[] {
  const out: Case[] = [];
  for (const size of [128, 256, 512, 1024]) {
    for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const op = `${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`;
      out.push({ name: `${size}³ ${op}`, transA, transB, m: size, n: size, k: size });
    }
  }
  out.push({ name: 'MLP fwd 128×784·784×128 NN', transA: false, transB: false, m: 128, n: 128, k: 784 });
  out.push({ name: 'MLP dW (128×784)ᵀ·128×128 TN', transA: true, transB: false, m: 784, n: 128, k: 128 });
  out.push({ name: 'MLP dX 128×128·(784×128)ᵀ NT', transA: false, transB: true, m: 128, n: 784, k: 128 });
  return out;
}

function fill(heap: Heap, ptr: number, n: number, seed: number): void {
  const f = heap.f32;
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    f[(ptr >> 2) + i] = s / 2 ** 31 - 1;
  }
}

function gflops(c: Case, latencyMs: number | undefined): number | undefined {
  return latencyMs ? (2 * c.m * c.n * c.k) / (latencyMs * 1e6) : undefined;
}

const fmt = (x: number | undefined, digits = 1): string => (x === undefined ? '—' : x.toFixed(digits));

export default async function (): Promise<void> {
  const maxFloats = 1024 * 1024;
  const heap = new Heap({ initialBytes: 64 << 20 });
  const simd = wasmKernels(heap.memory, 'simd');
  const scalar = wasmKernels(heap.memory, 'scalar');
  const ref = referenceKernels(heap);
  const a = heap.alloc(maxFloats * 4);
  const b = heap.alloc(maxFloats * 4);
  const c = heap.alloc(maxFloats * 4);
  const work = heap.alloc(Math.max(simd.gemmWorkspaceBytes(), scalar.gemmWorkspaceBytes()));
  fill(heap, a, maxFloats, 1);
  fill(heap, b, maxFloats, 2);

  console.log('GFLOP/s = 2·m·n·k / median latency ("SIMD best": fastest sample); single thread;');
  console.log('the reference backend runs only up to 256³ (a 512³ triple loop takes seconds per call).');
  const rows: Record<string, string>[] = [];
  for (const cs of cases()) {
    const lda = cs.transA ? cs.m : cs.k;
    const ldb = cs.transB ? cs.k : cs.n;
    const run = (kernels: Kernels) => () =>
      kernels.gemm(cs.transA, cs.transB, cs.m, cs.n, cs.k, 1, a, lda, b, ldb, 0, c, cs.n, 0, 0, 0, work);
    // Few iterations for the slow tasks; the time budget gives fast ones many samples.
    const bench = new Bench({ name: cs.name, time: 250, iterations: 4, warmupTime: 100, warmupIterations: 2, throws: true });
    bench.add('simd', run(simd)).add('scalar', run(scalar));
    const withRef = 2 * cs.m * cs.n * cs.k <= REFERENCE_MAX_FLOP;
    if (withRef) bench.add('reference', run(ref));
    await bench.run();
    const latency = (name: string) => {
      const result = bench.getTask(name)?.result;
      return result && 'latency' in result ? result.latency : undefined;
    };
    const median = (name: string): number | undefined => latency(name)?.p50;
    const simdRate = gflops(cs, median('simd'));
    const scalarRate = gflops(cs, median('scalar'));
    const refRate = withRef ? gflops(cs, median('reference')) : undefined;
    rows.push({
      case: cs.name,
      'SIMD GFLOP/s': fmt(simdRate),
      // The fastest sample: what the kernel does when nothing else competes for the core.
      'SIMD best': fmt(gflops(cs, latency('simd')?.min)),
      'scalar GFLOP/s': fmt(scalarRate),
      'reference GFLOP/s': fmt(refRate, 2),
      'SIMD/reference': simdRate && refRate ? `${fmt(simdRate / refRate)}×` : '—',
      'SIMD/scalar': simdRate && scalarRate ? `${fmt(simdRate / scalarRate)}×` : '—',
    });
  }
  console.table(rows);
  await publicAndPacked(heap, a, b, c, work);
}

/** Median and best GFLOP/s of `fn` doing `flop` per call, from one tinybench task. */
async function rate(name: string, flop: number, fn: () => void): Promise<{ median: number; best: number }> {
  const bench = new Bench({ name, time: 400, iterations: 8, warmupTime: 150, warmupIterations: 4, throws: true });
  bench.add(name, fn);
  await bench.run();
  const result = bench.getTask(name)?.result;
  const latency = result && 'latency' in result ? result.latency : undefined;
  const perCall = (ms: number | undefined): number => (ms ? flop / (ms * 1e6) : 0);
  return { median: perCall(latency?.p50), best: perCall(latency?.min) };
}

/** The public matmul, the packed-B entry against the plain GEMM, and the micro-kernel alone. */
export async function publicAndPacked(heap: Heap, a: number, b: number, c: number, work: number): Promise<void> {
  const rows: Record<string, string>[] = [];
  const row = (name: string, r: { median: number; best: number }, note = '') =>
    rows.push({ case: name, 'GFLOP/s': fmt(r.median), best: fmt(r.best), note });

  // The public road: matmul on tensors of one engine (its output allocated and released per call).
  const engine = createEngine({ build: 'simd', threads: 1 });
  const size = 512;
  const ta = Tensor.from(engine, heap.floats(a, size * size), [size, size]);
  const tb = Tensor.from(engine, heap.floats(b, size * size), [size, size]);
  row('matmul 512³ (public API)', await rate('matmul', 2 * size ** 3, () => matmul(ta, tb).dispose()));

  // Packed B on inference shapes: W (k×n) packed once, against packing it per call.
  const simd = wasmKernels(heap.memory, 'simd');
  for (const [m, n, k] of [[1, 128, 784], [1, 25, 784], [4, 128, 784], [256, 128, 784], [256, 25, 784], [256, 10, 64]] as const) {
    const packed = heap.alloc(simd.gemmPackedBytes(n, k));
    simd.gemmPackB(false, n, k, b, n, packed);
    const flop = 2 * m * n * k;
    const plain = await rate('plain', flop, () => simd.gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n, 0, 0, 0, work));
    const pre = await rate('packed', flop, () => simd.gemmPacked(false, m, n, k, 1, a, k, packed, 0, c, n, 0, 0, 0, work));
    row(`${m}×${k}·${k}×${n} gemm`, plain);
    row(`${m}×${k}·${k}×${n} gemmPacked`, pre, `${fmt(pre.median / plain.median, 2)}× gemm`);
    heap.release(packed);
  }

  // The micro-kernel alone: one 5-row A panel against 32 B panels of depth 256, all in L1/L2.
  const { exports } = bindWasm(heap.memory, 'simd');
  const ukernel = exports['f32_gemm_ukernel_5x8'] as (kc: number, pa: number, pb: number, tile: number) => void;
  const kc = 256;
  const panels = 32;
  row('5×8 micro-kernel, kc 256', await rate('ukernel', 2 * 5 * 8 * kc * panels, () => {
    for (let j = 0; j < panels; j++) ukernel(kc, a, b + j * kc * 32, work);
  }), 'the ceiling');
  console.log('\nSIMD build, single thread: the public matmul, the packed-B entry, the micro-kernel (GFLOP/s from the median; best = fastest sample)');
  console.table(rows);
}
