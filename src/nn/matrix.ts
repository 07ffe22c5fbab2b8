/**
 * Turning user data into row-major Float32 blocks, checked at the public boundary.
 */
import { formatShape } from '../tensor/shape.js';
import type { Dataset } from '../data/dataset.js';

/**
 * A matrix as users hold it: nested rows, a flat row-major array with its shape, or the
 * samples of a {@link Dataset} (its `x`).
 */
export type MatrixInput =
  | readonly (readonly number[])[]
  | { readonly data: ArrayLike<number>; readonly rows: number; readonly cols: number }
  | Pick<Dataset, 'x' | 'rows' | 'features'>;

/** True when `value` is a dataset (samples and targets together). */
export function isDataset(value: unknown): value is Dataset {
  return typeof value === 'object' && value !== null && 'x' in value && 'y' in value && 'features' in value && 'outputs' in value;
}

/**
 * How samples are laid out: `'rows'` (default, one sample per row, m×n — the JS and Keras
 * convention) or `'columns'` (one sample per column, n×m — the seeds' X).
 */
export type Layout = 'rows' | 'columns';

/** A validated, row-major copy or view of user data. */
export interface RowMatrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/**
 * Convert `input` to one-sample-per-row Float32 data with `cols` features, rejecting wrong
 * widths and non-finite values with messages that name `what` and both shapes.
 */
export function toRowMatrix(input: MatrixInput, cols: number, layout: Layout, what: string): RowMatrix {
  let data: ArrayLike<number>;
  let r: number;
  let c: number;
  if (Array.isArray(input)) {
    const nested = input as readonly (readonly number[])[];
    r = nested.length;
    c = r === 0 ? (layout === 'rows' ? cols : 0) : nested[0]!.length;
    const flat = new Float32Array(r * c);
    nested.forEach((row, i) => {
      if (row.length !== c) throw new RangeError(`${what}: row ${i} has ${row.length} values, row 0 has ${c}`);
      flat.set(row, i * c);
    });
    data = flat;
  } else if ('features' in input) {
    ({ x: data, rows: r, features: c } = input);
  } else {
    ({ data, rows: r, cols: c } = input as { data: ArrayLike<number>; rows: number; cols: number });
    if (!Number.isInteger(r) || !Number.isInteger(c) || r < 0 || c < 0 || data.length !== r * c) {
      throw new RangeError(`${what}: ${data.length} values do not form a ${r}×${c} matrix`);
    }
  }
  const [samples, features] = layout === 'columns' ? [c, r] : [r, c];
  if (features !== cols) {
    const expected = layout === 'columns' ? [cols, samples] : [samples, cols];
    throw new RangeError(`${what}: shape ${formatShape([r, c])} does not match the network's ${formatShape(expected)} (${cols} features, layout '${layout}')`);
  }
  const out = layout === 'columns' ? transpose(data, r, c) : data instanceof Float32Array ? data : Float32Array.from(data);
  checkFinite(out, features, what);
  return { data: out, rows: samples, cols: features };
}

/**
 * Targets: a rows×outputs matrix, or (for multi-class networks) a list of class indices
 * that is one-hot encoded here.
 */
export function toTargets(input: MatrixInput | ArrayLike<number>, rows: number, outputs: number, layout: Layout, what: string): RowMatrix {
  const isMatrix = Array.isArray(input) ? Array.isArray((input as unknown[])[0]) || input.length === 0 : 'rows' in (input as object) && !('length' in (input as object));
  if (isMatrix) {
    const m = toRowMatrix(input as MatrixInput, outputs, layout, what);
    if (m.rows !== rows) throw new RangeError(`${what}: ${m.rows} target rows for ${rows} samples`);
    return m;
  }
  const labels = input as ArrayLike<number>;
  if (labels.length !== rows) throw new RangeError(`${what}: ${labels.length} labels for ${rows} samples`);
  if (outputs === 1) {
    const data = Float32Array.from(labels);
    checkFinite(data, 1, what);
    return { data, rows, cols: 1 };
  }
  const data = new Float32Array(rows * outputs);
  for (let i = 0; i < rows; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= outputs) {
      throw new RangeError(`${what}: label ${label} at row ${i} is not a class index in 0..${outputs - 1}`);
    }
    data[i * outputs + label] = 1;
  }
  return { data, rows, cols: outputs };
}

function transpose(data: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j]!;
  return out;
}

function checkFinite(data: Float32Array, cols: number, what: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      throw new RangeError(`${what}: non-finite value ${data[i]} at row ${Math.floor(i / cols)}, column ${i % cols}`);
    }
  }
}
