/**
 * The Node entry point: everything in the browser-safe core plus what needs the file
 * system (model files on disk, CSV/IDX/image loaders). Package `exports` resolves `simdnet`
 * here under Node and to `index.ts` in browsers.
 * @packageDocumentation
 */
export * from './index.js';
export { saveModel, loadModel } from './io/file.js';
export * from './data/node.js';
