/**
 * The reference backend: every kernel in plain TypeScript over the same heap and with the
 * same signatures as the WASM build. It is the oracle in tests and the baseline in benchmarks.
 */
import type { Kernels } from '../kernels.js';
import type { Heap } from '../../wasm/heap.js';
import { partKernels, type PartMethods } from '../parts.js';
import * as gemm from './gemm.js';
import * as unary from './unary.js';
import * as binary from './binary.js';
import * as reduce from './reduce.js';
import * as softmax from './softmax.js';
import * as loss from './loss.js';
import * as optim from './optim.js';
import * as conv from './conv.js';
import * as pool from './pool.js';
import * as batchnorm from './batchnorm.js';
import * as finite from './finite.js';

type WithHeap<K> = {
  [P in keyof K]: K[P] extends (...args: infer A) => infer R ? (heap: Heap, ...args: A) => R : never;
};
type HeapFunctions = WithHeap<Omit<Kernels, 'flavor' | keyof PartMethods>>;

const functions: HeapFunctions = { ...gemm, ...unary, ...binary, ...reduce, ...softmax, ...loss, ...optim, ...conv, ...pool, ...batchnorm, ...finite };

/** Kernels in plain TypeScript over `heap`. */
export function referenceKernels(heap: Heap): Kernels {
  const bound: Partial<Record<keyof HeapFunctions, unknown>> = {};
  for (const name of Object.keys(functions) as (keyof HeapFunctions)[]) {
    const fn = functions[name] as (h: Heap, ...args: unknown[]) => unknown;
    bound[name] = (...args: unknown[]) => fn(heap, ...args);
  }
  const primitives = bound as Omit<Kernels, 'flavor' | keyof PartMethods>;
  return { flavor: 'js', ...primitives, ...partKernels(primitives) };
}
