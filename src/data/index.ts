/**
 * Data: seeded generators, MNIST (bundled, CSV, IDX), tabular CSV, image folders,
 * preprocessing and allocation-free batching. Everything returns plain {@link Dataset}s,
 * independent of the WASM heap.
 *
 * `core.ts` holds the browser-safe part and `node.ts` the loaders that read files; this
 * module re-exports both.
 */
export * from './core.js';
export * from './node.js';
