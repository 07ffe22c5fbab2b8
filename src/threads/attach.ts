/**
 * A pool for one shared heap: reserves the control block and a GEMM workspace per worker in
 * that heap, and names the kernels {@link threadedKernels} hands to it.
 */
import type { Heap } from '../wasm/heap.js';
import { wasmModule, type WasmBuild } from '../wasm/loader.js';
import { CONTROL_BYTES, ThreadPool, type PoolOptions } from './pool.js';
import { POOL_KERNELS } from './kernels.js';

/**
 * A {@link ThreadPool} of `threads` over `heap` (which must be shared), running `build`;
 * `exports` is the caller's own instance over the heap, `workspaceBytes` the GEMM scratch size,
 * `spinMs` the pool's poll time (see {@link PoolOptions.spinMs}).
 * Allocates persistently in `heap`; the workers start on the first job.
 */
export function attachPool(heap: Heap, build: WasmBuild, threads: number, exports: WebAssembly.Exports, workspaceBytes: number, spinMs?: number): ThreadPool {
  if (!heap.shared) throw new TypeError('attachPool: the heap is not shared (create it with { shared: true })');
  const scratch = [0];
  for (let i = 1; i < threads; i++) scratch.push(heap.alloc(workspaceBytes));
  return new ThreadPool({
    threads, module: wasmModule(build, true), memory: heap.memory, control: heap.alloc(CONTROL_BYTES), names: POOL_KERNELS, exports, scratch,
    ...(spinMs !== undefined ? { spinMs } : {}),
  });
}
