/**
 * An engine is one heap plus the kernels that compute over it. Every network owns one, so
 * models never share mutable state and a model can be dropped without explicit disposal.
 *
 * With more than one thread the heap is a shared memory and large kernel calls are split
 * over a worker pool (src/threads); the pool gets workers on the first call worth splitting,
 * lets them go after a second without a call, when a newer pool needs them or when the engine
 * is garbage-collected (so dropped engines never pile up threads, see src/threads/pool.ts),
 * gets them back on the next call, and stops for good when {@link Engine.close} is called.
 */
import { Heap, type HeapOptions } from './wasm/heap.js';
import type { Kernels } from './backend/kernels.js';
import { referenceKernels } from './backend/reference/index.js';
import { bindWasm } from './backend/wasm.js';
import { defaultBuild, wasmAvailable, type WasmBuild } from './wasm/loader.js';
import { planThreads, type ThreadPlan } from './threads/support.js';
import { releasePool } from './threads/pool.js';
import { DEFAULT_THRESHOLDS, threadedKernels, type SplitThresholds } from './threads/kernels.js';

export type { SplitThresholds } from './threads/kernels.js';
import { checkOptionKeys, checkPositiveInt } from './util/check.js';
import { attachPool } from './threads/attach.js';

/** Which kernels compute: WebAssembly (default) or the plain-TypeScript reference. */
export type BackendName = 'wasm' | 'js';

/** Options for {@link createEngine}. */
export interface EngineOptions {
  /** `'wasm'` (default) runs the AssemblyScript kernels; `'js'` the reference backend. */
  backend?: BackendName;
  /**
   * WASM build to use; defaults to relaxed SIMD where the runtime enables it, else SIMD where
   * supported, else scalar.
   */
  build?: WasmBuild;
  /** Sizing of the linear memory (with threads, `maximumBytes` is fixed for good). */
  heap?: HeapOptions;
  /**
   * Threads for the kernels, the calling thread included; default the available cores.
   * `1` is the single-threaded path exactly. Results do not depend on it. Where threads are
   * unavailable (no cross-origin isolation, a browser main thread, the js backend) the
   * engine runs on one thread and says why in {@link Engine.threads}.
   */
  threads?: number;
  /**
   * When a kernel call is split over the threads: at least `gemmFlopsPerChunk` (2·m·n·k) per
   * chunk of a GEMM, default 2^20, and `elementsPerChunk` elements per chunk of the elementwise,
   * image and batch-norm kernels, default 2^15 — set from crossovers measured on a 2-core x86
   * (bench/results/threads.md; inside training, bench/results/split-threshold-2026-12-01.md). A
   * machine whose cores have more memory bandwidth each may gain from a lower `elementsPerChunk`;
   * a busy one from higher values. Either may be given alone. Results do not depend on them.
   */
  splitThresholds?: Partial<SplitThresholds>;
}

/** A heap and its kernels, plus the GEMM packing workspace allocated once. */
export interface Engine {
  readonly heap: Heap;
  readonly kernels: Kernels;
  /** Pointer to the GEMM packing workspace (persistent, one per engine). */
  readonly gemmWork: number;
  /** The WASM build in use (`undefined` for the js backend). */
  readonly build: WasmBuild | undefined;
  /** Threads asked for and in use, and why fewer, if fewer. */
  readonly threads: ThreadPlan;
  /** Stop the engine's worker threads now; later calls run on the calling thread. Idempotent. */
  close(): void;
}

/** Check a backend name coming from user input. */
export function parseBackend(value: unknown, where = 'backend'): BackendName {
  if (value === 'wasm' || value === 'js') return value;
  throw new TypeError(`${where}: unknown backend ${JSON.stringify(value)}; expected 'wasm' or 'js'`);
}

/**
 * Pools of engines that were dropped without close(): let their workers go to other pools.
 * The registry holds only the pool's key: a pool whose workers are already let go (see
 * src/threads/pool.ts) is then collected in the same collection as its engine, heap included,
 * instead of being kept for the callback; one still running is held by the pool module and
 * released here.
 */
const pools = new FinalizationRegistry<object>(releasePool);

/** The split thresholds of `given` over the defaults, each a positive integer. */
function splitThresholdsOf(given: Partial<SplitThresholds> | undefined): SplitThresholds {
  if (given === undefined) return DEFAULT_THRESHOLDS;
  const where = 'createEngine: splitThresholds';
  if (typeof given !== 'object' || given === null) throw new TypeError(`${where} must be an object, got ${String(given)}`);
  checkOptionKeys(given, Object.keys(DEFAULT_THRESHOLDS), where);
  const out = { ...DEFAULT_THRESHOLDS };
  for (const key of Object.keys(DEFAULT_THRESHOLDS) as (keyof SplitThresholds)[]) {
    if (given[key] !== undefined) out[key] = checkPositiveInt(given[key], `${where}.${key}`);
  }
  return out;
}

/** Create an engine: a fresh heap and kernels bound to it. */
export function createEngine(options: EngineOptions = {}): Engine {
  const backend = parseBackend(options.backend ?? 'wasm');
  const thresholds = splitThresholdsOf(options.splitThresholds);
  let plan = planThreads(options.threads, 'createEngine: threads');
  if (backend === 'js' && plan.count > 1) plan = { ...plan, count: 1, reason: 'the js backend runs on one thread' };
  if (backend === 'js') {
    const heap = new Heap(options.heap);
    const kernels = referenceKernels(heap);
    return { heap, kernels, gemmWork: heap.alloc(kernels.gemmWorkspaceBytes()), build: undefined, threads: plan, close() {} };
  }
  if (plan.count > 1 && !wasmAvailable(options.build ?? defaultBuild(true), true)) {
    // In a browser the shared-memory build must be fetched first (init() does it when threads
    // are possible); without it, compute on one thread rather than fail.
    plan = { ...plan, count: 1, reason: 'the shared-memory WASM build is not loaded (await init() first)' };
  }
  const shared = plan.count > 1;
  const heap = new Heap({ ...options.heap, shared });
  const build = options.build ?? defaultBuild(shared);
  const { kernels: single, exports } = bindWasm(heap.memory, build);
  const gemmWork = heap.alloc(single.gemmWorkspaceBytes());
  if (!shared) return { heap, kernels: single, gemmWork, build, threads: plan, close() {} };

  const pool = attachPool(heap, build, plan.count, exports, single.gemmWorkspaceBytes());
  const engine: Engine = {
    heap, kernels: threadedKernels(single, pool, thresholds), gemmWork, build, threads: plan,
    close: () => pool.close(),
  };
  pools.register(engine, pool.key);
  return engine;
}
