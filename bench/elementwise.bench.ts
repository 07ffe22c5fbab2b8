/**
 * Elementwise, reduction, softmax, loss and optimizer kernels: WASM SIMD, WASM scalar and the
 * reference backend side by side in one tinybench run per case (warm-up first). Reported from
 * the median latency: M elements/s and GB/s (bytes the kernel must move per element: each
 * input and output stream counted once, 4 bytes each), then SIMD/scalar and SIMD/reference.
 *
 * Sizes come from real layers: 100,352 = 128×784 (a batch of MNIST-sized activations),
 * 128×10 (a classifier head), 128×128 (db of a hidden layer), 100k parameters for Adam.
 */
import { Bench } from 'tinybench';
import { Heap } from '../src/wasm/heap.js';
import { wasmKernels } from '../src/backend/wasm.js';
import { referenceKernels } from '../src/backend/reference/index.js';
import { Act, type ActCode, type Kernels } from '../src/backend/kernels.js';

interface Case {
  name: string;
  /** Elements processed per call. */
  elements: number;
  /** Bytes read + written per element. */
  bytesPerElement: number;
  run: (k: Kernels) => void;
}

const N = 128 * 784;

function fill(heap: Heap, ptr: number, n: number, seed: number, lo: number, hi: number): void {
  const f = heap.f32;
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    f[(ptr >> 2) + i] = lo + ((hi - lo) * s) / 2 ** 32;
  }
}

const fmt = (x: number | undefined, digits = 1): string => (x === undefined ? '—' : x.toFixed(digits));

export default async function (): Promise<void> {
  const heap = new Heap({ initialBytes: 16 << 20 });
  const simd = wasmKernels(heap.memory, 'simd');
  const scalar = wasmKernels(heap.memory, 'scalar');
  const ref = referenceKernels(heap);
  const buf = (seed: number, lo = -4, hi = 4): number => {
    const p = heap.alloc(N * 4);
    fill(heap, p, N, seed, lo, hi);
    return p;
  };
  const x = buf(1);
  const a = buf(3, 0, 1);
  const da = buf(4, -1, 1);
  const out = buf(5);
  const out2 = buf(6);
  const targets = buf(7, 0, 0); // zeros, one-hot set below
  for (let i = 0; i < 128; i++) heap.f32[(targets >> 2) + i * 10 + (i % 10)] = 1;
  const w = buf(8, -1, 1);
  const g = buf(9, -1, 1);
  const m = buf(10, 0, 0);
  const v = buf(11, 0, 0);

  const acts = (Object.entries(Act) as [string, ActCode][]).filter(([, c]) => c !== Act.identity);
  // Backward streams: one of z/a (none for step), da, dz.
  const cases: Case[] = [
    ...acts.map(([name, act]): Case => ({
      name: `${name} forward`, elements: N, bytesPerElement: 8,
      run: (k) => k.activationForward(act, 0.01, x, out, N),
    })),
    ...acts.map(([name, act]): Case => ({
      name: `${name} backward`, elements: N, bytesPerElement: act === Act.binaryStep ? 8 : 12,
      run: (k) => k.activationBackward(act, 0.01, x, a, da, out, N),
    })),
    { name: 'softmax rows 128×10', elements: 1280, bytesPerElement: 8, run: (k) => k.softmaxRows(x, out, 128, 10) },
    { name: 'softmax rows 128×784', elements: N, bytesPerElement: 8, run: (k) => k.softmaxRows(x, out, 128, 784) },
    {
      name: 'softmax_xent 128×10 (probs+grad)', elements: 1280, bytesPerElement: 16,
      run: (k) => void k.softmaxCrossEntropy(x, targets, out, out2, 128, 10, 1 / 128),
    },
    { name: 'sum_cols 128×128', elements: 128 * 128, bytesPerElement: 4, run: (k) => k.sumCols(x, out, 128, 128) },
    { name: `sumsq ${N}`, elements: N, bytesPerElement: 4, run: (k) => void k.sumSquares(x, N) },
    {
      name: 'adam 100k', elements: 100_000, bytesPerElement: 28, // w, m, v read+write; g read
      run: (k) => k.adam(w, g, m, v, 100_000, 1e-3, 0.9, 0.999, 1e-7, 10),
    },
  ];

  console.log('Median latency → M elements/s and GB/s (each input/output stream counted once); single thread.');
  const rows: Record<string, string>[] = [];
  for (const c of cases) {
    const bench = new Bench({ name: c.name, time: 150, warmupTime: 50, warmupIterations: 5, throws: true });
    bench.add('simd', () => c.run(simd)).add('scalar', () => c.run(scalar)).add('reference', () => c.run(ref));
    await bench.run();
    const rate = (name: string): number | undefined => {
      const result = bench.getTask(name)?.result;
      const ms = result && 'latency' in result ? result.latency.p50 : undefined;
      return ms ? c.elements / (ms * 1e3) : undefined; // M elements/s
    };
    const s = rate('simd');
    const sc = rate('scalar');
    const r = rate('reference');
    const gbs = (me: number | undefined): string => fmt(me === undefined ? undefined : (me * c.bytesPerElement) / 1e3, 2);
    rows.push({
      case: c.name,
      'SIMD Melem/s': fmt(s),
      'SIMD GB/s': gbs(s),
      'scalar Melem/s': fmt(sc),
      'reference Melem/s': fmt(r),
      'SIMD/scalar': s && sc ? `${fmt(s / sc)}×` : '—',
      'SIMD/reference': s && r ? `${fmt(s / r)}×` : '—',
    });
  }
  console.table(rows);
}
