/**
 * The library as the demo sees it. Everything comes from the package's browser-safe modules;
 * once `src/index.ts` has no Node-only re-exports this can become a plain
 * `export * from '../../src/index.js'`.
 */
export { Network } from '../../src/nn/network.js';
export { decodeModel } from '../../src/io/format.js';
export { makeMoons, makeCircles, makeSpirals } from '../../src/data/generators.js';
export { simdSupported, overrideSimdSupport } from '../../src/wasm/features.js';
export { preloadWasm as init, type WasmBuild } from '../../src/wasm/loader.js';
export { trainInWorker } from '../../src/browser/index.js';
export type { ActivationName } from '../../src/nn/activations.js';
export type { OptimizerName } from '../../src/optim/index.js';
export type { Dataset } from '../../src/data/dataset.js';
