/**
 * Kernels that spread large calls over a {@link ThreadPool}: GEMM by panels of C, the
 * elementwise kernels by element ranges, the image kernels (im2col, col2im, pooling) and
 * batch-norm forward by images or rows, batch-norm statistics and backward by channels, the
 * direct convolution's filter gradient by taps and filter groups (see split.ts), weight
 * gradients in parts of the batch by part (see src/backend/parts.ts). Calls below the measured
 * crossover, reductions to a scalar (whose summation order would change) and everything else
 * run on the calling thread through the single-threaded kernels, unchanged.
 */
import { Act, type Kernels } from '../backend/kernels.js';
import { addFilterGradPartials, addPartials, filterGradPartCalls, gemmTnPartCalls } from '../backend/parts.js';
import { MAX_CHUNKS } from './protocol.js';
import type { ThreadPool } from './pool.js';
import { GEMM_PACKED_WORK_ARG, GEMM_WORK_ARG, splitBatch, splitElementwise, splitGemm, splitGemmPacked, splitFilterGrad, FILTER_GROUP, type BatchShape, type ElementwiseShape } from './split.js';

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
 * Chunks per thread of a large call at most: chunks go to whichever thread is free, so a
 * thread slowed by another process on its core (or a vCPU the host runs slower for a while)
 * does not hold the whole call back.
 */
const CHUNKS_PER_THREAD = 4;

/**
 * Rows (or columns) of C per GEMM chunk beyond the first `threads` chunks. Every chunk packs its
 * own copy of the shared operand (all of B for a row split) or, when B was packed ahead, reads
 * all of it again; packing a float costs about as much as 5…10 multiply-adds, so a chunk of r
 * rows pays (5…10)/r of its multiply again: 400 rows keep that within 2.5 %. Tall products (a
 * convolution's 4096 output pixels) get several chunks per thread; a dense layer's batch of
 * 256 rows one per thread, as before.
 */
const GEMM_ROWS_PER_EXTRA_CHUNK = 400;

/**
 * How many chunks a call of `work` units gets: none worth splitting (< 2) below two chunks of
 * `perChunk`; above `threads` chunks, a multiple of `threads` (so that equal chunks end
 * together: 7 chunks on 2 threads keep one thread busy a seventh longer), `max` at most.
 */
export function chunkCount(work: number, perChunk: number, threads: number, max: number): number {
  const parts = Math.min(max, Math.floor(work / perChunk));
  if (parts <= threads) return parts;
  return Math.min(max - (max % threads), Math.ceil(parts / threads) * threads);
}

/**
 * Defaults from the crossover measurements (bench/results/threads.md,
 * bench/results/split-threshold-2026-12-01.md). Looped alone, an elementwise kernel never paid on
 * 2 cores; inside training it does from 2¹⁵ per chunk, because it reads what the split kernels
 * before it wrote by the same halves (Adam over a dense layer's weights, whose gradient the GEMM
 * wrote by row panels): on 2 threads 784-128-64-10 trained 12–16 % faster at batch 64 and 4–6 %
 * at batch 256 than with 2¹⁷, the CNNs 0–2 % (`npm run bench -- split-threshold`).
 */
export const DEFAULT_THRESHOLDS: SplitThresholds = {
  gemmFlopsPerChunk: 1 << 20,
  elementsPerChunk: 1 << 15,
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

type BatchedMethod = 'im2col' | 'col2im' | 'conv2d' | 'maxPool2d' | 'maxPool2dBackward' | 'avgPool2d' | 'avgPool2dBackward' | 'batchNormForward';

// Window kernels' arguments: (in, batch, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow, out[, argmax]).
type Args = readonly number[];
const image = (a: Args): number => a[2]! * a[3]! * a[4]!;
const pooled = (a: Args): number => a[11]! * a[12]! * a[4]!;
const colsOf = (a: Args): number => a[11]! * a[12]! * a[5]! * a[6]! * a[4]!;
const windows = (a: Args): number => a[1]! * colsOf(a);

/**
 * Each batched method: its export (same argument order), its batch split, and the elements a
 * call touches (compared with {@link SplitThresholds.elementsPerChunk}).
 */
const BATCHED: Record<BatchedMethod, { fn: string; work: (a: Args) => number } & BatchShape> = {
  im2col: { fn: 'f32_im2col_nhwc', batch: 1, pointers: (a) => [[0, image(a)], [13, colsOf(a)]], work: windows },
  col2im: { fn: 'f32_col2im_nhwc', batch: 1, pointers: (a) => [[0, colsOf(a)], [13, image(a)]], work: windows },
  // (…, weights, filters, bias, act, actParam, y).
  conv2d: { fn: 'f32_conv2d_nhwc', batch: 1, pointers: (a) => [[0, image(a)], [18, a[11]! * a[12]! * a[14]!]], work: windows },
  maxPool2d: { fn: 'f32_maxpool2d_nhwc', batch: 1, pointers: (a) => [[0, image(a)], [13, pooled(a)], [14, pooled(a)]], work: windows },
  avgPool2d: { fn: 'f32_avgpool2d_nhwc', batch: 1, pointers: (a) => [[0, image(a)], [13, pooled(a)]], work: windows },
  avgPool2dBackward: { fn: 'f32_avgpool2d_backward_nhwc', batch: 1, pointers: (a) => [[0, pooled(a)], [13, image(a)]], work: windows },
  // (dy, argmax, batch, outputs, dx, inputs), sizes per image.
  maxPool2dBackward: { fn: 'f32_maxpool2d_backward', batch: 2, pointers: (a) => [[0, a[3]!], [1, a[3]!], [4, a[5]!]], work: (a) => a[2]! * (a[3]! + a[5]!) },
  // (x, rows, cols, mean, invstd, gamma, beta, y): rows of x and y.
  batchNormForward: { fn: 'f32_batchnorm_forward', batch: 1, pointers: (a) => [[0, a[2]!], [7, a[2]!]], work: (a) => a[1]! * a[2]! },
};

/**
 * Batch-norm kernels split by channels. Their exports take a row stride `ld` after `cols`
 * (which the method lacks: whole matrices are dense); every pointer moves with the first column.
 */
const BY_COLUMNS = {
  batchNormStats: { fn: 'f32_batchnorm_stats', pointers: [0, 4, 5], count: 2 },
  batchNormBackward: { fn: 'f32_batchnorm_backward', pointers: [0, 1, 5, 6, 7, 9, 10, 11], count: 3 },
} as const satisfies Record<string, { fn: string } & ElementwiseShape>;

/** The direct convolution's filter gradient, split by taps and filter groups (see {@link splitFilterGrad}). */
const FILTER_GRAD = 'f32_conv2d_nhwc_filter_grad';

/** Export names a pool must know for {@link threadedKernels}. */
export const POOL_KERNELS: readonly string[] = [
  'f32_gemm', 'f32_gemm_packed', FILTER_GRAD,
  ...[ELEMENTWISE, BATCHED, BY_COLUMNS].flatMap((table) => Object.values(table).map((e) => e.fn)),
];

/**
 * Wrap `base` (the caller's own instance over the shared heap) so that large calls run on
 * `pool`, whose workers must have been given their own GEMM workspaces as scratch.
 */
export function threadedKernels(base: Kernels, pool: ThreadPool, thresholds: SplitThresholds = DEFAULT_THRESHOLDS): Kernels {
  const threads = pool.threads;
  const maxParts = Math.min(64, threads * CHUNKS_PER_THREAD);
  /** Chunks of an m×n×k GEMM cut along `length` rows or columns of C (see splitGemm). */
  const gemmParts = (m: number, n: number, k: number, length: number): number => {
    const extra = Math.floor(length / GEMM_ROWS_PER_EXTRA_CHUNK);
    return chunkCount(2 * m * n * k, thresholds.gemmFlopsPerChunk, threads, Math.min(maxParts, threads + extra));
  };
  const gemmFn = pool.fnIndex('f32_gemm');
  const gemmPackedFn = pool.fnIndex('f32_gemm_packed');
  const kernels: Kernels = {
    ...base,
    gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bias, act, actParam, work) {
      const parts = gemmParts(m, n, k, Math.max(m, n));
      if (parts >= 2 && !pool.isClosed) {
        const args = [+transA, +transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bias, act, actParam, work];
        const chunks = splitGemm(args, parts);
        if (chunks.length >= 2) return pool.run(gemmFn, chunks, { scratchArg: GEMM_WORK_ARG });
      }
      base.gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bias, act, actParam, work);
    },
    gemmPacked(transA, m, n, k, alpha, a, lda, packed, beta, c, ldc, bias, act, actParam, work) {
      const parts = gemmParts(m, n, k, m);
      if (parts >= 2 && !pool.isClosed) {
        const chunks = splitGemmPacked([+transA, m, n, k, alpha, a, lda, packed, beta, c, ldc, bias, act, actParam, work], parts);
        if (chunks.length >= 2) return pool.run(gemmPackedFn, chunks, { scratchArg: GEMM_PACKED_WORK_ARG });
      }
      base.gemmPacked(transA, m, n, k, alpha, a, lda, packed, beta, c, ldc, bias, act, actParam, work);
    },
  };
  for (const [method, spec] of Object.entries(ELEMENTWISE) as [ElementwiseMethod, (typeof ELEMENTWISE)[ElementwiseMethod]][]) {
    const single = base[method] as (...args: unknown[]) => void;
    const fn = pool.fnIndex(spec.fn);
    (kernels as unknown as Record<string, unknown>)[method] = (...args: unknown[]): void => {
      const n = args[spec.count] as number;
      const parts = chunkCount(n, thresholds.elementsPerChunk, threads, maxParts);
      if (parts >= 2 && !pool.isClosed) {
        const chunks = splitElementwise(args.map(Number), spec, parts);
        if (chunks.length >= 2) return pool.run(fn, chunks);
      }
      single(...args);
    };
  }
  for (const [method, spec] of Object.entries(BATCHED) as [BatchedMethod, (typeof BATCHED)[BatchedMethod]][]) {
    const single = base[method] as (...args: unknown[]) => void;
    const fn = pool.fnIndex(spec.fn);
    (kernels as unknown as Record<string, unknown>)[method] = (...args: unknown[]): void => {
      const numbers = args.map(Number);
      const parts = chunkCount(spec.work(numbers), thresholds.elementsPerChunk, threads, maxParts);
      if (parts >= 2 && !pool.isClosed) {
        const chunks = splitBatch(numbers, spec, parts);
        if (chunks.length >= 2) return pool.run(fn, chunks);
      }
      single(...args);
    };
  }
  /** Run a batch-norm export by channels when rows·cols is worth it; false leaves it to the caller. */
  const byColumns = (spec: (typeof BY_COLUMNS)[keyof typeof BY_COLUMNS], args: number[]): boolean => {
    const [rows, cols] = [args[spec.count - 1]!, args[spec.count]!];
    const parts = chunkCount(rows * cols, thresholds.elementsPerChunk, threads, maxParts);
    if (parts < 2 || pool.isClosed) return false;
    const chunks = splitElementwise(args, spec, parts, 4);
    if (chunks.length < 2) return false;
    pool.run(pool.fnIndex(spec.fn), chunks);
    return true;
  };
  const filterGrad = pool.fnIndex(FILTER_GRAD);
  kernels.conv2dFilterGrad = (...args) => {
    const [, batch, , , c, kh, kw, , , , , oh, ow, , filters] = args;
    const groups = Math.ceil(filters / FILTER_GROUP);
    // Parts are cut between the kernel's passes over dz, so more of them read nothing twice. A
    // part crossing a filter group's end becomes two lists, and a job holds 64 at most.
    const work = batch * oh * ow * kh * kw * c * groups;
    const parts = chunkCount(work, thresholds.elementsPerChunk, threads, Math.min(maxParts, 65 - groups));
    if (parts >= 2 && !pool.isClosed) {
      const chunks = splitFilterGrad(args, parts);
      if (chunks.length >= 2) return pool.run(filterGrad, chunks);
    }
    base.conv2dFilterGrad(...args);
  };
  // Weight gradients in parts of the batch: one chunk per part (each split further by its
  // outputs when threads outnumber parts), then the partials added in order.
  const partSplit = (parts: number): number => Math.ceil(threads / parts);
  kernels.gemmTnInParts = (m, n, k, a, lda, b, ldb, c, rowsPerImage, parts, partials, work) => {
    const calls = gemmTnPartCalls(m, n, k, a, lda, b, ldb, c, rowsPerImage, parts, partials, work);
    if (calls.length < 2) return kernels.gemm(true, false, m, n, k, 1, a, lda, b, ldb, 0, c, n, 0, Act.identity, 0, work);
    if (2 * m * n * k < 2 * thresholds.gemmFlopsPerChunk || pool.isClosed) return base.gemmTnInParts(m, n, k, a, lda, b, ldb, c, rowsPerImage, parts, partials, work);
    pool.run(gemmFn, calls.flatMap((call) => splitGemm(call, partSplit(calls.length))), { scratchArg: GEMM_WORK_ARG });
    addPartials(kernels.axpy, c, partials, m * n, m * n, calls.length);
  };
  kernels.conv2dFilterGradInParts = (...args) => {
    const [parts, partials] = args.slice(17) as [number, number];
    const calls = filterGradPartCalls(args, parts, partials);
    const single = args.slice(0, 17) as Parameters<Kernels['conv2dFilterGrad']>;
    if (calls.length < 2) return kernels.conv2dFilterGrad(...single);
    const [, batch, , , c, kh, kw, , , , , oh, ow] = args;
    if (batch * oh * ow * kh * kw * c < 2 * thresholds.elementsPerChunk || pool.isClosed) return base.conv2dFilterGradInParts(...args);
    const chunks = calls.flatMap((call) => splitFilterGrad(call, partSplit(calls.length)));
    if (chunks.length <= MAX_CHUNKS) pool.run(filterGrad, chunks);
    // More filter groups than a job holds: each part split on its own.
    else for (const call of calls) kernels.conv2dFilterGrad(...(call as Parameters<Kernels['conv2dFilterGrad']>));
    addFilterGradPartials(kernels.axpy, args, partials, calls.length);
  };
  kernels.batchNormStats = (x, rows, cols, mean, variance) => {
    if (!byColumns(BY_COLUMNS.batchNormStats, [x, rows, cols, cols, mean, variance])) base.batchNormStats(x, rows, cols, mean, variance);
  };
  kernels.batchNormBackward = (x, dy, rows, cols, mean, invstd, gamma, batchStats, dx, dgamma, dbeta) => {
    const args = [x, dy, rows, cols, cols, mean, invstd, gamma, +batchStats, dx, dgamma, dbeta];
    if (!byColumns(BY_COLUMNS.batchNormBackward, args)) base.batchNormBackward(x, dy, rows, cols, mean, invstd, gamma, batchStats, dx, dgamma, dbeta);
  };
  return kernels;
}
