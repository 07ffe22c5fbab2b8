/**
 * The memory of which sample arrays are known to hold only finite numbers, so each value is
 * checked once between the loader that produced it and the kernels that read it. Loaders
 * mark what they parsed and checked (and preprocessing marks what it derives from such
 * arrays); the public boundary scans every other array each time it is handed one, since
 * the caller may have changed it since. (Datasets are prepared once per network, so those
 * are not scanned again either: see `datasetFor` in boundary.ts.)
 *
 * The memory is keyed by the array object: a loader's array changed in place is not scanned
 * again. A NaN or Infinity that reaches training that way is still caught, as a
 * `NonFiniteError` at the step where the loss stops being finite.
 */

const knownFinite = new WeakSet<Float32Array>();

/**
 * Counts for tests and for showing how often input values are looked at: values marked
 * finite by a loader, values scanned at the boundary, and target arrays encoded.
 */
export const checkCounters = { marked: 0, scanned: 0, targetsEncoded: 0 };

/** Record that a loader has checked every value of `x` (returns `x`). */
export function markFinite(x: Float32Array): Float32Array {
  if (!knownFinite.has(x)) {
    knownFinite.add(x);
    checkCounters.marked += x.length;
  }
  return x;
}

/**
 * Record that `out` is finite because it was computed by finite arithmetic from `source`,
 * which is known finite (a scaler's output, a row selection); no value is counted again.
 */
export function deriveFinite(out: Float32Array, source: Float32Array): Float32Array {
  if (knownFinite.has(source)) knownFinite.add(out);
  return out;
}

/**
 * Throw a RangeError naming `what`, the row and the column of the first value of `x`
 * (rows of `cols` values) that is NaN or infinite; arrays already known finite are skipped.
 */
export function checkFinite(x: Float32Array, cols: number, what: string): void {
  if (knownFinite.has(x)) return;
  checkCounters.scanned += x.length;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    // v - v is 0 for finite numbers and NaN for NaN and ±Infinity: one test for both.
    if (v - v !== 0) throw new RangeError(`${what}: non-finite value ${v} at row ${Math.floor(i / cols)}, column ${i % cols}`);
  }
}
