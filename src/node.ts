/**
 * The Node entry point: everything in the browser-safe core plus what needs the file
 * system (model files on disk, CSV/IDX/image loaders). Package `exports` resolves `simdnet`
 * here under Node and to `index.ts` in browsers.
 * @packageDocumentation
 */
import { readFileBytes, writeFileAtomic } from './io/file.js';
import { installHostFiles } from './util/host-files.js';

export * from './index.js';
export { saveModel, loadModel } from './io/file.js';
export { saveOnnx, loadOnnx } from './io/onnx/file.js';
export { exportTfjs, importTfjs } from './io/tfjs/file.js';
export type { TfjsExportOptions } from './io/tfjs/format.js';

// Paths in fit's checkpoint and resume options are read and written through these.
installHostFiles({ writeFileAtomic, readFile: (path) => readFileBytes(path, 'checkpoint') });
export * from './data/node.js';
