/**
 * The public data boundary. Whatever users hand to `fit`, `evaluate`, `predict` or
 * `gradientCheck` — nested arrays, flat typed arrays, `{ data, rows, cols }`, Datasets;
 * class indices, one-hot rows or 0/1 targets; either layout — becomes one validated,
 * finite-checked, targets-encoded {@link Dataset} here, once. Everything past this module
 * trusts what it returns, and passing the same Dataset again returns the same result
 * without scanning it again.
 */
import { formatShape } from '../tensor/shape.js';
import { describe } from '../util/describe.js';
import { checkFinite, checkCounters } from './checked.js';
import { checkDataset, encodeOneHot, type Dataset } from './dataset.js';

/**
 * How samples are laid out: `'rows'` (default, one sample per row, m×n — the JS and Keras
 * convention) or `'columns'` (one sample per column, n×m — the seeds' X).
 */
export type Layout = 'rows' | 'columns';

/**
 * A matrix as users hold it: nested rows, a flat row-major array with its shape, a flat
 * array alone (its length a whole number of samples), or the samples of a {@link Dataset}.
 */
export type MatrixInput =
  | readonly (readonly number[])[]
  | { readonly data: ArrayLike<number>; readonly rows: number; readonly cols: number }
  | ArrayLike<number>
  | Pick<Dataset, 'x' | 'rows' | 'features'>;

/**
 * Targets as users hold them: a matrix of one row per sample (one-hot rows, 0/1 or real
 * values), or one value per sample (a class index, or the single target of a one-output
 * network).
 */
export type TargetInput = MatrixInput | ArrayLike<number>;

/**
 * What a network's loss reads as targets: `'binary'` values in [0, 1] (sigmoid +
 * cross-entropy), `'categorical'` rows that are distributions over the classes (softmax +
 * cross-entropy; class indices are one-hot encoded), `'values'` any finite numbers.
 */
export type TargetKind = 'binary' | 'categorical' | 'values';

/** The network's side of the boundary: what the data must fit. */
export interface DataSpec {
  /** Inputs per sample. */
  readonly features: number;
  /** Outputs per sample. */
  readonly outputs: number;
  readonly targets: TargetKind;
  /** The network's class names; datasets with named classes are mapped through them. */
  readonly classNames?: readonly string[] | undefined;
}

const LAYOUTS: ReadonlySet<string> = new Set<Layout>(['rows', 'columns']);

/** Check a layout option (undefined means `'rows'`); anything else is a TypeError naming `where`. */
export function checkLayout(value: unknown, where: string): Layout {
  if (value === undefined) return 'rows';
  if (typeof value === 'string' && LAYOUTS.has(value)) return value as Layout;
  throw new TypeError(`${where}: layout must be 'rows' or 'columns', got ${describe(value)}`);
}

/** True when `value` has the shape of a {@link Dataset} (samples and targets together). */
export function isDataset(value: unknown): value is Dataset {
  return typeof value === 'object' && value !== null && 'x' in value && 'y' in value && 'features' in value && 'outputs' in value && 'rows' in value;
}

/** Samples as the kernels read them: rows of `features` finite float32 values. */
export interface Samples {
  readonly x: Float32Array;
  readonly rows: number;
}

/**
 * Convert `input` to one-sample-per-row Float32 data of `features` values per row, rejecting
 * malformed input, wrong widths and non-finite values with messages that name `what` and
 * both shapes. Float32 arrays in row layout are used as they are, not copied.
 */
export function samplesFrom(input: MatrixInput, features: number, layout: Layout, what: string): Samples {
  const samples = unscannedSamplesFrom(input, features, layout, what);
  checkFinite(samples.x, features, what);
  return samples;
}

/**
 * {@link samplesFrom} without the scan for NaN and ±Infinity: for `predict`, which copies
 * the samples into the heap anyway and scans the copy there (see src/feed/stager.ts).
 */
export function unscannedSamplesFrom(input: MatrixInput, features: number, layout: Layout, what: string): Samples {
  const m = matrixOf(input, features, layout, what);
  const [rows, cols] = layout === 'columns' ? [m.cols, m.rows] : [m.rows, m.cols];
  if (cols !== features) {
    const expected = layout === 'columns' ? [features, rows] : [rows, features];
    throw new RangeError(`${what}: shape ${formatShape([m.rows, m.cols])} does not match the network's ${formatShape(expected)} (${features} features per sample, layout '${layout}')`);
  }
  const x = layout === 'columns' ? transpose(m.data, m.rows, m.cols) : toFloat32(m.data);
  return { x, rows };
}

/**
 * Targets for `rows` samples as the network reads them: a rows×outputs Float32 block whose
 * values suit `spec.targets` (class indices are one-hot encoded for a categorical network).
 */
export function targetsFrom(input: TargetInput, rows: number, spec: Pick<DataSpec, 'outputs' | 'targets'>, layout: Layout, what: string): Float32Array {
  const { outputs } = spec;
  if (isDataset(input)) {
    throw new TypeError(`${what}: got a Dataset as targets; a Dataset holds samples and targets together, so pass it alone (validation data goes in the validationData option)`);
  }
  if (isFlat(input)) {
    const flat = input as ArrayLike<number>;
    // One value per sample: class indices, or the target of a one-output network.
    if (flat.length === rows && (outputs === 1 || spec.targets === 'categorical')) {
      return outputs === 1 ? checkTargetValues(toFloat32(flat), rows, 1, spec.targets, what) : oneHotFrom(flat, outputs, what);
    }
    if (outputs > 1 && flat.length === rows * outputs) return checkTargetValues(toFloat32(flat), rows, outputs, spec.targets, what);
    const wanted = outputs === 1 || spec.targets === 'categorical' ? `${rows}` : `${rows}×${outputs} = ${rows * outputs}`;
    throw new RangeError(`${what}: ${flat.length} target values for ${rows} samples; expected ${wanted}${outputs > 1 && spec.targets === 'categorical' ? ` (class indices) or ${rows * outputs} (one-hot rows)` : ''}`);
  }
  const m = matrixOf(input, outputs, layout, what);
  const [r, c] = layout === 'columns' ? [m.cols, m.rows] : [m.rows, m.cols];
  if (c !== outputs || r !== rows) {
    const expected = layout === 'columns' ? [outputs, rows] : [rows, outputs];
    throw new RangeError(`${what}: shape ${formatShape([m.rows, m.cols])} does not match the ${formatShape(expected)} the network needs (${rows} samples, ${outputs} outputs, layout '${layout}')`);
  }
  const y = layout === 'columns' ? transpose(m.data, m.rows, m.cols) : toFloat32(m.data);
  return checkTargetValues(y, rows, outputs, spec.targets, what);
}

/** Prepared datasets, by source dataset and then by the spec they were prepared for. */
const prepared = new WeakMap<Dataset, Map<string, Dataset>>();

/**
 * A dataset checked and encoded for a network: samples finite and `spec.features` wide,
 * targets `spec.outputs` wide with values the loss accepts, named classes mapped through the
 * network's. Cached: the same dataset and spec give the same result without another scan.
 */
export function datasetFor(data: Dataset, spec: DataSpec, what: string): Dataset {
  if (!isDataset(data)) throw new TypeError(`${what}: expected a Dataset ({ x, y, rows, features, outputs }), got ${describe(data)}`);
  const key = specKey(spec);
  const cached = prepared.get(data)?.get(key);
  if (cached) return cached;
  for (const field of ['x', 'y', 'labels'] as const) {
    const value = data[field];
    if ((value !== undefined || field !== 'labels') && !isFlat(value)) {
      throw new TypeError(`${what}: the dataset's ${field} must be a typed array or an array of numbers, got ${describe(value)}`);
    }
  }
  for (const field of ['rows', 'features', 'outputs'] as const) {
    const n: unknown = data[field];
    if (!Number.isSafeInteger(n) || (n as number) < 0) throw new RangeError(`${what}: the dataset's ${field} must be a non-negative integer, got ${describe(n)}`);
  }
  const names = checkClassNames(data.classNames, what);
  const room = spec.outputs === 1 ? 2 : spec.outputs;
  if (names && names.length > room) {
    throw new RangeError(`${what}: the dataset names ${names.length} classes, more than the ${room} the network's ${spec.outputs} output${spec.outputs === 1 ? '' : 's'} can tell apart`);
  }
  checkDataset(data, what);
  const { x } = samplesFrom({ data: data.x, rows: data.rows, cols: data.features }, spec.features, 'rows', `${what}: x`);
  const out: Dataset = { x, y: datasetTargets(data, spec, what), rows: data.rows, features: spec.features, outputs: spec.outputs };
  if (data.labels) out.labels = data.labels;
  if (spec.classNames) out.classNames = spec.classNames;
  remember(data, key, out);
  remember(out, key, out);
  return out;
}

/** Samples and targets given separately, prepared as {@link datasetFor} does. */
export function datasetFrom(x: MatrixInput, y: TargetInput, spec: DataSpec, layout: Layout, what: string): Dataset {
  const samples = samplesFrom(x, spec.features, layout, `${what}: x`);
  const targets = targetsFrom(y, samples.rows, spec, layout, `${what}: y`);
  return { x: samples.x, y: targets, rows: samples.rows, features: spec.features, outputs: spec.outputs };
}

/**
 * Check class names (undefined when there are none): a non-empty array of distinct strings,
 * else a TypeError or RangeError naming `what` and `whose` names they are.
 */
export function checkClassNames(names: unknown, what: string, whose = "the dataset's"): readonly string[] | undefined {
  if (names === undefined) return undefined;
  // Indexed, not every(): a hole in a sparse array is not a name either.
  const list = Array.isArray(names) ? Array.from(names as unknown[]) : [];
  if (list.length === 0 || !list.every((n) => typeof n === 'string')) {
    throw new TypeError(`${what}: ${whose} classNames must be a non-empty array of strings, got ${describe(names)}`);
  }
  const seen = new Set<unknown>();
  for (const name of list) {
    if (seen.has(name)) throw new RangeError(`${what}: ${whose} classNames name class ${JSON.stringify(name)} twice`);
    seen.add(name);
  }
  return names as string[];
}

/**
 * Class `i` of `data` as an index into `classNames`: the mapping by name between a dataset's
 * named classes and a network's. A class the network does not know is a RangeError naming it.
 */
export function classMapping(data: readonly string[], classNames: readonly string[], what: string): Int32Array {
  const index = new Map(classNames.map((name, i) => [name, i]));
  return Int32Array.from(data, (name) => {
    const at = index.get(name);
    if (at === undefined) {
      throw new RangeError(`${what}: class ${JSON.stringify(name)} is not one of the network's classes (${classNames.map((n) => JSON.stringify(n)).join(', ')})`);
    }
    return at;
  });
}

function datasetTargets(data: Dataset, spec: DataSpec, what: string): Float32Array {
  const { outputs } = spec;
  const named = data.classNames !== undefined && spec.classNames !== undefined && !sameNames(data.classNames, spec.classNames);
  if (named || (data.outputs !== outputs && (data.labels || data.outputs > 1) && spec.targets !== 'values')) {
    const labels = data.labels ?? classesOfTargets(data, data.classNames?.length, what);
    const mapped = named ? remap(labels, classMapping(data.classNames!, spec.classNames!, what), what) : labels;
    return targetsFrom(mapped, data.rows, spec, 'rows', `${what}: labels`);
  }
  if (data.outputs === outputs) return targetsFrom({ data: data.y, rows: data.rows, cols: outputs }, data.rows, spec, 'rows', `${what}: y`);
  if (data.outputs === 1) return targetsFrom(data.y, data.rows, spec, 'rows', `${what}: y`);
  throw new RangeError(`${what}: the dataset has ${data.outputs} target columns per row, the network has ${outputs} outputs`);
}

/**
 * Class index per row read back from index targets (one column) or one-hot rows, for a
 * dataset without labels whose classes must be mapped; `classes` bounds an index column.
 * Targets that are not classes (probabilities, smoothed rows) cannot be mapped: RangeError.
 */
function classesOfTargets(data: Dataset, classes: number | undefined, what: string): Int32Array {
  const { y, rows, outputs: k } = data;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let hot = -1;
    if (k === 1) {
      const v = y[r]!;
      if (Number.isInteger(v) && v >= 0 && v < (classes ?? Infinity)) hot = v;
    } else {
      let ones = 0;
      for (let c = 0; c < k; c++) {
        const v = y[r * k + c]!;
        if (v === 1) {
          ones++;
          hot = c;
        } else if (v !== 0) ones = 2;
      }
      if (ones !== 1) hot = -1;
    }
    if (hot < 0) {
      const row = k === 1 ? String(y[r]) : `[${Array.from(y.subarray(r * k, r * k + k)).join(', ')}]`;
      throw new RangeError(`${what}: y: target ${row} at row ${r} is not a class ${k === 1 ? 'index' : 'one-hot row'}, so it cannot be mapped to the network's classes; give the dataset labels`);
    }
    out[r] = hot;
  }
  return out;
}

function remap(labels: ArrayLike<number>, mapping: Int32Array, what: string): Int32Array {
  return Int32Array.from(labels, (l, r) => {
    if (!Number.isInteger(l) || l < 0 || l >= mapping.length) {
      throw new RangeError(`${what}: label ${l} at row ${r} is not the index of one of the dataset's ${mapping.length} classNames`);
    }
    return mapping[l]!;
  });
}

function oneHotFrom(labels: ArrayLike<number>, outputs: number, what: string): Float32Array {
  checkCounters.targetsEncoded++;
  return encodeOneHot(labels, outputs, (row, label) => `${what}: label ${label} at row ${row} is not a class index in 0..${outputs - 1}`);
}

/** Tolerance on a categorical target row's sum (float32 one-hot and smoothed rows pass). */
const DISTRIBUTION_TOLERANCE = 1e-3;

function checkTargetValues(y: Float32Array, rows: number, cols: number, kind: TargetKind, what: string): Float32Array {
  checkFinite(y, cols, what);
  if (kind === 'binary') {
    const bad = y.findIndex((v) => v < 0 || v > 1);
    if (bad >= 0) {
      throw new RangeError(`${what}: target ${y[bad]} at row ${Math.floor(bad / cols)}, column ${bad % cols} is outside [0, 1], which a sigmoid cross-entropy output needs (0/1 labels or probabilities; for real-valued targets use a linear output, which trains with meanSquaredError)`);
    }
  } else if (kind === 'categorical') {
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let c = 0; c < cols; c++) {
        const v = y[r * cols + c]!;
        if (v < 0) throw new RangeError(`${what}: target ${v} at row ${r}, column ${c} is negative; a softmax cross-entropy output needs one-hot rows or class indices`);
        sum += v;
      }
      if (Math.abs(sum - 1) > DISTRIBUTION_TOLERANCE) {
        throw new RangeError(`${what}: target row ${r} sums to ${sum}, not 1; a softmax cross-entropy output needs one-hot rows (or probabilities) or class indices`);
      }
    }
  }
  return y;
}

interface Matrix {
  data: ArrayLike<number>;
  rows: number;
  cols: number;
}

/** The rows×cols view of any accepted matrix form; `width` sizes a flat array's rows. */
function matrixOf(input: MatrixInput, width: number, layout: Layout, what: string): Matrix {
  if (input === null || typeof input !== 'object') {
    throw new TypeError(`${what}: expected samples (nested arrays, a typed array, { data, rows, cols } or a Dataset), got ${describe(input)}`);
  }
  if (Array.isArray(input) && input.length > 0 && Array.isArray(input[0])) return nested(input as readonly (readonly number[])[], what);
  if (isFlat(input)) {
    const flat = input as ArrayLike<number>;
    if (flat.length % width !== 0) {
      throw new RangeError(`${what}: a flat array of ${flat.length} values is not a whole number of samples of ${width} values`);
    }
    const samples = flat.length / width;
    return layout === 'columns' ? { data: checkNumbers(flat, what), rows: width, cols: samples } : { data: checkNumbers(flat, what), rows: samples, cols: width };
  }
  if ('features' in input && 'x' in input) {
    if (layout !== 'rows') throw new TypeError(`${what}: layout '${layout}' applies to samples given apart; a Dataset always holds one sample per row`);
    return shaped(input.x, input.rows, input.features, what);
  }
  if ('data' in input && 'rows' in input && 'cols' in input) return shaped(input.data, input.rows, input.cols, what);
  throw new TypeError(`${what}: expected samples (nested arrays, a typed array, { data, rows, cols } or a Dataset), got an object with keys ${Object.keys(input).join(', ') || '(none)'}`);
}

function nested(rows: readonly (readonly number[])[], what: string): Matrix {
  const cols = rows[0]!.length;
  const data = new Float32Array(rows.length * cols);
  rows.forEach((row, i) => {
    if (!Array.isArray(row)) throw new TypeError(`${what}: row ${i} is ${describe(row)}, not an array`);
    if (row.length !== cols) throw new RangeError(`${what}: row ${i} has ${row.length} values, row 0 has ${cols}`);
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (typeof v !== 'number') throw new TypeError(`${what}: row ${i}, column ${j} is ${describe(v)}, not a number`);
      data[i * cols + j] = v;
    }
  });
  return { data, rows: rows.length, cols };
}

function shaped(data: unknown, rows: unknown, cols: unknown, what: string): Matrix {
  if (!isFlat(data)) throw new TypeError(`${what}: data must be an array or typed array of numbers, got ${describe(data)}`);
  const values = data as ArrayLike<number>;
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(cols) || (rows as number) < 0 || (cols as number) < 0 || values.length !== (rows as number) * (cols as number)) {
    throw new RangeError(`${what}: ${values.length} values do not form a ${String(rows)}×${String(cols)} matrix`);
  }
  return { data: checkNumbers(values, what), rows: rows as number, cols: cols as number };
}

/** A plain array of numbers, or a numeric typed array. */
function isFlat(value: unknown): boolean {
  if (ArrayBuffer.isView(value)) return !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
  return Array.isArray(value) && (value.length === 0 || !Array.isArray(value[0]));
}

/** Plain arrays may hold anything; typed arrays hold numbers by construction. */
function checkNumbers(values: ArrayLike<number>, what: string): ArrayLike<number> {
  if (Array.isArray(values)) {
    const bad = values.findIndex((v) => typeof v !== 'number');
    if (bad >= 0) throw new TypeError(`${what}: value ${bad} is ${describe(values[bad])}, not a number`);
  }
  return values;
}

function toFloat32(data: ArrayLike<number>): Float32Array {
  return data instanceof Float32Array ? data : Float32Array.from(data);
}

function transpose(data: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j]!;
  return out;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((name, i) => name === b[i]));
}

function specKey(spec: DataSpec): string {
  return `${spec.features}|${spec.outputs}|${spec.targets}|${spec.classNames ? JSON.stringify(spec.classNames) : ''}`;
}

function remember(data: Dataset, key: string, value: Dataset): void {
  let byKey = prepared.get(data);
  if (!byKey) prepared.set(data, (byKey = new Map()));
  byKey.set(key, value);
}
