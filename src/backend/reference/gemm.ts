/**
 * Reference GEMM: the plainest correct triple loop, used as the oracle for the WASM kernels
 * and as the baseline in benchmarks. Same contract as {@link Kernels.gemm}.
 *
 * Each dot product is accumulated in f64 (JS numbers) and rounded to f32 once when stored,
 * so it is at least as accurate as any f32 blocking order the WASM kernels use.
 */
import type { ActCode } from '../kernels.js';
import { alignUp, type Heap } from '../../wasm/heap.js';
import { activationForward } from './unary.js';

/** The reference kernel packs nothing, so it needs no workspace. */
export function gemmWorkspaceBytes(_heap: Heap): number {
  return 0;
}

/** `C = act(alpha·op(A)·op(B) + beta·C + bias)`; see {@link Kernels.gemm}. */
export function gemm(
  heap: Heap, transA: boolean, transB: boolean, m: number, n: number, k: number,
  alpha: number, a: number, lda: number, b: number, ldb: number,
  beta: number, c: number, ldc: number,
  bias: number, act: ActCode, actParam: number, _work: number,
): void {
  if (m <= 0 || n <= 0) return;
  const f = heap.f32;
  const a0 = a >> 2;
  const b0 = b >> 2;
  const c0 = c >> 2;
  const bias0 = bias >> 2;
  // Element strides of op(A) along i and p, and of op(B) along p and j.
  const aRow = transA ? 1 : lda;
  const aCol = transA ? lda : 1;
  const bRow = transB ? 1 : ldb;
  const bCol = transB ? ldb : 1;
  for (let i = 0; i < m; i++) {
    const row = c0 + i * ldc;
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += f[a0 + i * aRow + p * aCol]! * f[b0 + p * bRow + j * bCol]!;
      // beta == 0 must not read C: it may hold NaN, and 0·NaN would leak it.
      let v = alpha * sum;
      if (beta !== 0) v += beta * f[row + j]!;
      if (bias !== 0) v += f[bias0 + j]!;
      f[row + j] = v;
    }
    if (act !== 0) activationForward(heap, act, actParam, row << 2, row << 2, n);
  }
}

/** The reference "packed" B is op(B) copied k×n row-major: n·k floats. */
export function gemmPackedBytes(_heap: Heap, n: number, k: number): number {
  return n > 0 && k > 0 ? alignUp(n * k * 4) : 0;
}

/** Copy op(B) (k×n) into `packed` row-major; see {@link Kernels.gemmPackB}. */
export function gemmPackB(heap: Heap, transB: boolean, n: number, k: number, b: number, ldb: number, packed: number): void {
  const f = heap.f32;
  const b0 = b >> 2;
  const p0 = packed >> 2;
  for (let p = 0; p < k; p++) {
    for (let j = 0; j < n; j++) f[p0 + p * n + j] = f[b0 + (transB ? j * ldb + p : p * ldb + j)]!;
  }
}

/** {@link gemm} on the copy {@link gemmPackB} made; see {@link Kernels.gemmPacked}. */
export function gemmPacked(
  heap: Heap, transA: boolean, m: number, n: number, k: number,
  alpha: number, a: number, lda: number, packed: number,
  beta: number, c: number, ldc: number,
  bias: number, act: ActCode, actParam: number, work: number,
): void {
  gemm(heap, transA, false, m, n, k, alpha, a, lda, packed, n, beta, c, ldc, bias, act, actParam, work);
}
