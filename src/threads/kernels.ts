/**
 * Kernels that spread large calls over a {@link ThreadPool}: GEMM by panels of C and the
 * elementwise kernels by element ranges (see split.ts). Calls below the measured crossover,
 * reductions to a scalar (whose summation order would change) and everything else run on
 * the calling thread through the single-threaded kernels, unchanged.
 */
import type { Kernels } from '../backend/kernels.js';
import type { ThreadPool } from './pool.js';
import { GEMM_WORK_ARG, splitElementwise, splitGemm, type ElementwiseShape } from './split.js';

/**
 * When a call is worth splitting. Measured on a 2-core x86 (bench/threads.bench.ts, see
 * bench/results/threads.md): one job costs ~10–20 µs of wake-up and hand-off.
 */
export interface SplitThresholds {
  /** Minimum 2·m·n·k per chunk of a GEMM. */
  gemmFlopsPerChunk: number;
  /** Minimum elements per chunk of an elementwise kernel. */
  elementsPerChunk: number;
}

/**
 * Chunks per thread of a large elementwise call: chunks go to whichever thread is free, so a
 * thread slowed by another process on its core does not hold the whole call back. A GEMM gets
 * one chunk per thread only: every chunk packs its own copy of the shared operand (all of B
 * for a row split), which costs about as much as (5…10)·chunks/m of the multiply itself.
 */
const CHUNKS_PER_THREAD = 4;

/** Defaults from the crossover measurement. */
export const DEFAULT_THRESHOLDS: SplitThresholds = {
  gemmFlopsPerChunk: 1 << 20,
  elementsPerChunk: 1 << 17,
};

type ElementwiseMethod =
  | 'activationForward' | 'activationBackward' | 'add' | 'sub' | 'mul' | 'scale' | 'axpy'
  | 'sgd' | 'momentum' | 'rmsprop' | 'adam';

/** Each splittable method: its export (same argument order) and where its pointers and count are. */
const ELEMENTWISE: Record<ElementwiseMethod, { fn: string } & ElementwiseShape> = {
  activationForward: { fn: 'f32_act_forward', pointers: [2, 3], count: 4 },
  activationBackward: { fn: 'f32_act_backward', pointers: [2, 3, 4, 5], count: 6 },
  add: { fn: 'f32_vadd', pointers: [0, 1, 2], count: 3 },
  sub: { fn: 'f32_vsub', pointers: [0, 1, 2], count: 3 },
  mul: { fn: 'f32_vmul', pointers: [0, 1, 2], count: 3 },
  scale: { fn: 'f32_vscale', pointers: [0, 2], count: 3 },
  axpy: { fn: 'f32_axpy', pointers: [1, 2], count: 3 },
  sgd: { fn: 'f32_sgd', pointers: [0, 1], count: 2 },
  momentum: { fn: 'f32_momentum', pointers: [0, 1, 2], count: 3 },
  rmsprop: { fn: 'f32_rmsprop', pointers: [0, 1, 2], count: 3 },
  adam: { fn: 'f32_adam', pointers: [0, 1, 2, 3], count: 4 },
};

/** Export names a pool must know for {@link threadedKernels}. */
export const POOL_KERNELS: readonly string[] = ['f32_gemm', ...Object.values(ELEMENTWISE).map((e) => e.fn)];

/**
 * Wrap `base` (the caller's own instance over the shared heap) so that large calls run on
 * `pool`, whose workers must have been given their own GEMM workspaces as scratch.
 */
export function threadedKernels(base: Kernels, pool: ThreadPool, thresholds: SplitThresholds = DEFAULT_THRESHOLDS): Kernels {
  const maxParts = Math.min(64, pool.threads * CHUNKS_PER_THREAD);
  const maxGemmParts = pool.threads;
  const gemmFn = pool.fnIndex('f32_gemm');
  const kernels: Kernels = {
    ...base,
    gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bias, act, actParam, work) {
      const parts = Math.min(maxGemmParts, Math.floor((2 * m * n * k) / thresholds.gemmFlopsPerChunk));
      if (parts >= 2 && !pool.isClosed) {
        const args = [+transA, +transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bias, act, actParam, work];
        const chunks = splitGemm(args, parts);
        if (chunks.length >= 2) return pool.run(gemmFn, chunks, { scratchArg: GEMM_WORK_ARG });
      }
      base.gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bias, act, actParam, work);
    },
  };
  for (const [method, spec] of Object.entries(ELEMENTWISE) as [ElementwiseMethod, (typeof ELEMENTWISE)[ElementwiseMethod]][]) {
    const single = base[method] as (...args: unknown[]) => void;
    const fn = pool.fnIndex(spec.fn);
    (kernels as unknown as Record<string, unknown>)[method] = (...args: unknown[]): void => {
      const n = args[spec.count] as number;
      const parts = Math.min(maxParts, Math.floor(n / thresholds.elementsPerChunk));
      if (parts >= 2 && !pool.isClosed) {
        const chunks = splitElementwise(args.map(Number), spec, parts);
        if (chunks.length >= 2) return pool.run(fn, chunks);
      }
      single(...args);
    };
  }
  return kernels;
}
