/**
 * An engine is one heap plus the kernels that compute over it. Every network owns one, so
 * models never share mutable state and a model can be dropped without explicit disposal.
 */
import { Heap, type HeapOptions } from './wasm/heap.js';
import type { Kernels } from './backend/kernels.js';
import { referenceKernels } from './backend/reference/index.js';
import { wasmKernels } from './backend/wasm.js';
import { preferredBuild, type WasmBuild } from './wasm/loader.js';

/** Which kernels compute: WebAssembly (default) or the plain-TypeScript reference. */
export type BackendName = 'wasm' | 'js';

/** Options for {@link createEngine}. */
export interface EngineOptions {
  /** `'wasm'` (default) runs the AssemblyScript kernels; `'js'` the reference backend. */
  backend?: BackendName;
  /** WASM build to use; defaults to SIMD where the runtime supports it, else scalar. */
  build?: WasmBuild;
  /** Sizing of the linear memory. */
  heap?: HeapOptions;
}

/** A heap and its kernels, plus the GEMM packing workspace allocated once. */
export interface Engine {
  readonly heap: Heap;
  readonly kernels: Kernels;
  /** Pointer to the GEMM packing workspace (persistent, one per engine). */
  readonly gemmWork: number;
}

/** Check a backend name coming from user input. */
export function parseBackend(value: unknown, where = 'backend'): BackendName {
  if (value === 'wasm' || value === 'js') return value;
  throw new TypeError(`${where}: unknown backend ${JSON.stringify(value)}; expected 'wasm' or 'js'`);
}

/** Create an engine: a fresh heap and kernels bound to it. */
export function createEngine(options: EngineOptions = {}): Engine {
  const backend = parseBackend(options.backend ?? 'wasm');
  const heap = new Heap(options.heap);
  const kernels = backend === 'wasm' ? wasmKernels(heap.memory, options.build ?? preferredBuild()) : referenceKernels(heap);
  const gemmWork = heap.alloc(kernels.gemmWorkspaceBytes());
  return { heap, kernels, gemmWork };
}
