/**
 * The plain-data dataset every loader and generator returns: row-major Float32 blocks,
 * independent of the WASM heap.
 */

/**
 * Samples and targets, one sample per row. `x` holds rows×features values and `y`
 * rows×outputs values, both row-major. Binary or index targets have `outputs = 1`;
 * one-hot targets have `outputs = K` (the number of classes).
 */
export interface Dataset {
  /** rows×features inputs, row-major. */
  x: Float32Array;
  /** rows×outputs targets, row-major. */
  y: Float32Array;
  /** Number of samples. */
  rows: number;
  /** Values per sample in `x`. */
  features: number;
  /** Values per sample in `y`. */
  outputs: number;
  /** Class index of each row, when the problem is a classification with natural classes. */
  labels?: Int32Array;
  /**
   * Class names in class-index order, when the classes have names of their own (text labels,
   * image folders): `labels[i]` and the one-hot column index this list. Without it, a class
   * index is the network's output index itself (digits 0–9, 0/1 targets). A network trained
   * on named classes keeps them and maps every later dataset through them by name.
   */
  classNames?: readonly string[];
}

/** A classification dataset whose class index per row is always present. */
export interface LabeledDataset extends Dataset {
  labels: Int32Array;
}

/**
 * How class labels become targets: `'index'` puts the class index in a single column (the 0/1
 * vector for two classes); `'one-hot'` writes K columns with a 1 in the class's column.
 */
export type TargetFormat = 'index' | 'one-hot';

/** Check a dataset's lengths agree with its shape; throws RangeError naming `what`. */
export function checkDataset(data: Dataset, what = 'dataset'): void {
  const { x, y, rows, features, outputs, labels } = data;
  if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`${what}: rows must be a non-negative integer, got ${rows}`);
  if (x.length !== rows * features) throw new RangeError(`${what}: x has ${x.length} values, expected rows×features = ${rows}×${features}`);
  if (y.length !== rows * outputs) throw new RangeError(`${what}: y has ${y.length} values, expected rows×outputs = ${rows}×${outputs}`);
  if (labels && labels.length !== rows) throw new RangeError(`${what}: labels has ${labels.length} entries for ${rows} rows`);
}

/** Build targets for class indices in the requested format. */
export function targetsFromLabels(labels: ArrayLike<number>, classes: number, format: TargetFormat): Float32Array {
  if (format === 'index') return Float32Array.from(labels);
  return encodeOneHot(labels, classes, (row, label) => `targetsFromLabels: label ${label} at row ${row} is not a class index in 0..${classes - 1}`);
}

/**
 * The one one-hot encoder: class indices into a labels.length×classes row-major block. A
 * label that is not an integer in [0, classes) is a RangeError with `message(row, label)`.
 */
export function encodeOneHot(labels: ArrayLike<number>, classes: number, message: (row: number, label: number) => string): Float32Array {
  const y = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= classes) throw new RangeError(message(i, label));
    y[i * classes + label] = 1;
  }
  return y;
}
