/**
 * GEMM throughput: WASM SIMD, WASM scalar and the reference backend side by side, one
 * tinybench run per shape × transpose case (warm-up first), reported as GFLOP/s (2·m·n·k
 * per call, from the median latency; for SIMD also from the fastest sample, which is what
 * survives on a shared, busy machine) and the SIMD/reference and SIMD/scalar ratios.
 *
 * Shapes: squares 128…1024 in all four transpose cases, and the three GEMMs of a
 * 784→128 dense layer at batch 128 (forward NN, dW = Xᵀ·dZ as TN, dX = dZ·Wᵀ as NT).
 * The reference triple loop runs only up to 256³: at 512³ one call takes seconds.
 */
import { Bench } from 'tinybench';
import { Heap } from '../src/wasm/heap.js';
import { wasmKernels } from '../src/backend/wasm.js';
import { referenceKernels } from '../src/backend/reference/index.js';
import type { Kernels } from '../src/backend/kernels.js';

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
}
