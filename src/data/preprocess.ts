/**
 * Preprocessing on plain datasets: one-hot encoding, scalers fitted on training data,
 * seeded shuffling and (stratified) train/test splits. Nothing here mutates its inputs.
 */
import { type Dataset, checkDataset, encodeOneHot } from './dataset.js';
import { argmax } from '../util/argmax.js';
import { deriveFinite } from './checked.js';
import { gatherRows } from './gather.js';
import { Rng, type SeedOrRng, toRng } from '../util/rng.js';

/**
 * One-hot encode class indices 0..K−1 into a labels.length×K row-major block. `classes`
 * defaults to max(label) + 1; a label that is not an integer in range throws RangeError.
 */
export function oneHot(labels: ArrayLike<number>, classes?: number): Float32Array {
  if (classes !== undefined && (!Number.isInteger(classes) || classes < 1)) throw new RangeError(`oneHot: classes must be a positive integer, got ${classes}`);
  const limit = classes ?? Infinity;
  let k = 1;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= limit) {
      throw new RangeError(`oneHot: label ${i} is ${label}, expected an integer in [0, ${classes === undefined ? 'K' : classes - 1}]`);
    }
    k = Math.max(k, label + 1);
  }
  k = classes ?? k;
  return encodeOneHot(labels, k, (row, label) => `oneHot: label ${row} is ${label}, expected an integer in [0, ${k - 1}]`);
}

/** The class index of each row of a rows×K block (the column of its largest value). */
export function labelsFromOneHot(values: Float32Array, columns: number): Int32Array {
  if (!Number.isInteger(columns) || columns < 1 || values.length % columns !== 0) {
    throw new RangeError(`labelsFromOneHot: ${values.length} values do not form rows of ${columns}`);
  }
  const rows = values.length / columns;
  return Int32Array.from({ length: rows }, (_, r) => argmax(values, r * columns, columns));
}

/**
 * The class index of every row: `data.labels` when present, else the argmax of one-hot
 * targets, else the single target column rounded (0/1 labels).
 */
export function classIndices(data: Dataset): Int32Array {
  if (data.labels) return data.labels;
  if (data.outputs > 1) return labelsFromOneHot(data.y, data.outputs);
  const out = new Int32Array(data.rows);
  for (let i = 0; i < data.rows; i++) {
    const v = data.y[i]!;
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`classIndices: target of row ${i} is ${v}, not a class index`);
    out[i] = v;
  }
  return out;
}

/** A copy of the rows of `data` listed in `indices`, in that order (x, y and labels alike). */
export function selectRows(data: Dataset, indices: ArrayLike<number>): Dataset {
  const { features, outputs } = data;
  const n = indices.length;
  for (let i = 0; i < n; i++) {
    const r = indices[i]!;
    if (!Number.isInteger(r) || r < 0 || r >= data.rows) throw new RangeError(`selectRows: index ${i} is ${r}, expected a row in [0, ${data.rows - 1}]`);
  }
  const x = new Float32Array(n * features);
  const y = new Float32Array(n * outputs);
  gatherRows(data.x, features, indices, 0, n, x, 0);
  gatherRows(data.y, outputs, indices, 0, n, y, 0);
  const out: Dataset = { x: deriveFinite(x, data.x), y, rows: n, features, outputs };
  if (data.labels) out.labels = Int32Array.from(indices, (r) => data.labels![r]!);
  if (data.classNames) out.classNames = data.classNames;
  return out;
}

/** A copy of `data` with its rows in a seeded random order (x, y and labels permuted alike). */
export function shuffleDataset(data: Dataset, seed: SeedOrRng = 0): Dataset {
  checkDataset(data, 'shuffleDataset');
  return selectRows(data, toRng(seed).permutation(data.rows));
}

/** Options for {@link trainTestSplit}. */
export interface SplitOptions {
  /** Test size: a fraction in (0, 1) of the rows, or a row count (default 0.25). */
  test?: number;
  /** Train size: fraction or count; defaults to every row not in the test set. */
  train?: number;
  /** Seed or generator for the random assignment (default 0). */
  seed?: SeedOrRng;
  /** Keep each class's share the same in both parts (uses {@link classIndices}). Default false. */
  stratify?: boolean;
}

/** The two parts of a split. */
export interface Split {
  train: Dataset;
  test: Dataset;
}

/**
 * A seeded random train/test split. With `stratify`, each class is split separately, so
 * class proportions in both parts match the whole to within one row per class. Rows in
 * each part are in random order.
 */
export function trainTestSplit(data: Dataset, options: SplitOptions = {}): Split {
  checkDataset(data, 'trainTestSplit');
  const n = data.rows;
  const test = resolveSize(options.test ?? 0.25, n, 'trainTestSplit: test');
  const train = options.train === undefined ? n - test : resolveSize(options.train, n, 'trainTestSplit: train');
  if (train + test > n) throw new RangeError(`trainTestSplit: train ${train} + test ${test} rows exceed the ${n} available`);
  const rng = toRng(options.seed ?? 0);
  const [trainRows, testRows] = options.stratify
    ? stratifiedIndices(classIndices(data), [train, test], rng)
    : randomIndices(n, [train, test], rng);
  return { train: selectRows(data, trainRows!), test: selectRows(data, testRows!) };
}

function resolveSize(size: number, n: number, what: string): number {
  if (!(size >= 0) || !Number.isFinite(size)) throw new RangeError(`${what} must be a fraction or a row count, got ${size}`);
  if (size > 0 && size < 1) return Math.round(size * n);
  if (!Number.isInteger(size) || size > n) throw new RangeError(`${what} must be a fraction in (0, 1) or a whole number of rows ≤ ${n}, got ${size}`);
  return size;
}

function randomIndices(n: number, sizes: readonly number[], rng: Rng): Uint32Array[] {
  const order = rng.permutation(n);
  let from = 0;
  return sizes.map((size) => order.slice(from, (from += size)));
}

/**
 * Disjoint index sets of the given sizes, each holding every class in proportion to its
 * share of `labels` (largest-remainder rounding, never taking more rows of a class than
 * remain). Each set comes back in random order.
 */
export function stratifiedIndices(labels: ArrayLike<number>, sizes: readonly number[], seed: SeedOrRng = 0): Uint32Array[] {
  const rng = toRng(seed);
  const n = labels.length;
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total > n) throw new RangeError(`stratifiedIndices: ${total} rows requested from ${n}`);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const label = labels[i]!;
    let group = groups.get(label);
    if (!group) groups.set(label, (group = []));
    group.push(i);
  }
  const pools = [...groups.keys()].sort((a, b) => a - b).map((k) => rng.shuffle(groups.get(k)!));
  const taken = pools.map(() => 0);
  return sizes.map((size) => {
    const quotas = pools.map((pool) => (size * pool.length) / n);
    const counts = quotas.map((q, c) => Math.min(Math.floor(q), pools[c]!.length - taken[c]!));
    let missing = size - counts.reduce((a, b) => a + b, 0);
    // Hand the rows lost to rounding to the classes with the largest remainders that still
    // have rows left; loop because a capped class can leave rows unassigned in one pass.
    const byRemainder = quotas.map((_, c) => c).sort((a, b) => (quotas[b]! - Math.floor(quotas[b]!)) - (quotas[a]! - Math.floor(quotas[a]!)) || a - b);
    while (missing > 0) {
      let progressed = false;
      for (const c of byRemainder) {
        if (missing === 0) break;
        if (taken[c]! + counts[c]! < pools[c]!.length) {
          counts[c]!++;
          missing--;
          progressed = true;
        }
      }
      if (!progressed) throw new RangeError(`stratifiedIndices: not enough rows left for a part of ${size}`);
    }
    const out = new Uint32Array(size);
    let at = 0;
    pools.forEach((pool, c) => {
      for (let i = 0; i < counts[c]!; i++) out[at++] = pool[taken[c]! + i]!;
      taken[c]! += counts[c]!;
    });
    return rng.shuffle(out);
  });
}

/** Per-feature standardization fitted on one set and applied to others. */
export interface Standardizer {
  /** Mean of each feature on the fitting set. */
  readonly mean: Float32Array;
  /** Population standard deviation of each feature (constant features are stored as 1). */
  readonly std: Float32Array;
  /** A copy of `x` (rows×features) with (x − mean)/std applied per feature. */
  transform(x: Float32Array): Float32Array;
  /** A copy of `data` with its inputs transformed; targets and labels are shared. */
  transformDataset(data: Dataset): Dataset;
  /** Undo {@link Standardizer.transform}. */
  inverse(x: Float32Array): Float32Array;
}

/**
 * Fit per-feature mean and standard deviation on `x` (rows×features). A feature that is
 * constant gets std 1 so it maps to 0 rather than NaN.
 */
export function fitStandardizer(x: Float32Array | Dataset, features?: number): Standardizer {
  const [data, f] = matrixOf(x, features, 'fitStandardizer');
  const rows = f === 0 ? 0 : data.length / f;
  if (rows === 0) throw new RangeError('fitStandardizer: cannot fit on zero rows');
  const sum = new Float64Array(f);
  for (let r = 0; r < rows; r++) for (let c = 0; c < f; c++) sum[c]! += data[r * f + c]!;
  const mean = new Float64Array(f).map((_, c) => sum[c]! / rows);
  const sq = new Float64Array(f);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < f; c++) {
      const d = data[r * f + c]! - mean[c]!;
      sq[c]! += d * d;
    }
  }
  const std = sq.map((s) => Math.sqrt(s / rows) || 1);
  const mean32 = Float32Array.from(mean);
  const std32 = Float32Array.from(std);
  const apply = (input: Float32Array, forward: boolean): Float32Array => {
    checkWidth(input, f, 'Standardizer');
    const out = new Float32Array(input.length);
    for (let i = 0; i < input.length; i++) {
      const c = i % f;
      out[i] = forward ? (input[i]! - mean[c]!) / std[c]! : input[i]! * std[c]! + mean[c]!;
    }
    return out;
  };
  return {
    mean: mean32,
    std: std32,
    transform: (input) => deriveFinite(apply(input, true), input),
    inverse: (input) => deriveFinite(apply(input, false), input),
    transformDataset: (d) => ({ ...d, x: deriveFinite(apply(d.x, true), d.x) }),
  };
}

/** Per-feature min-max scaling fitted on one set and applied to others. */
export interface MinMaxScaler {
  /** Minimum of each feature on the fitting set. */
  readonly min: Float32Array;
  /** Maximum of each feature on the fitting set. */
  readonly max: Float32Array;
  /** A copy of `x` mapped so the fitted [min, max] becomes `range` (values outside extrapolate). */
  transform(x: Float32Array): Float32Array;
  /** A copy of `data` with its inputs transformed; targets and labels are shared. */
  transformDataset(data: Dataset): Dataset;
}

/**
 * Fit per-feature min and max on `x` (rows×features), mapping them to `range` (default
 * [0, 1]). A constant feature maps to the lower end of the range.
 */
export function fitMinMax(x: Float32Array | Dataset, features?: number, range: readonly [number, number] = [0, 1]): MinMaxScaler {
  const [data, f] = matrixOf(x, features, 'fitMinMax');
  const rows = f === 0 ? 0 : data.length / f;
  if (rows === 0) throw new RangeError('fitMinMax: cannot fit on zero rows');
  const [lo, hi] = range;
  if (!(hi > lo)) throw new RangeError(`fitMinMax: range must be increasing, got [${lo}, ${hi}]`);
  const min = new Float32Array(f).fill(Infinity);
  const max = new Float32Array(f).fill(-Infinity);
  for (let i = 0; i < data.length; i++) {
    const c = i % f;
    const v = data[i]!;
    if (v < min[c]!) min[c] = v;
    if (v > max[c]!) max[c] = v;
  }
  const apply = (input: Float32Array): Float32Array => {
    checkWidth(input, f, 'MinMaxScaler');
    const out = new Float32Array(input.length);
    for (let i = 0; i < input.length; i++) {
      const c = i % f;
      const span = max[c]! - min[c]!;
      out[i] = span > 0 ? lo + ((input[i]! - min[c]!) * (hi - lo)) / span : lo;
    }
    return out;
  };
  const finiteApply = (input: Float32Array): Float32Array => deriveFinite(apply(input), input);
  return { min, max, transform: finiteApply, transformDataset: (d) => ({ ...d, x: finiteApply(d.x) }) };
}

function matrixOf(x: Float32Array | Dataset, features: number | undefined, what: string): [Float32Array, number] {
  if (x instanceof Float32Array) {
    if (features === undefined || !Number.isInteger(features) || features < 1) throw new RangeError(`${what}: features must be a positive integer, got ${features}`);
    checkWidth(x, features, what);
    return [x, features];
  }
  checkDataset(x, what);
  return [x.x, x.features];
}

function checkWidth(x: Float32Array, features: number, what: string): void {
  if (x.length % features !== 0) throw new RangeError(`${what}: ${x.length} values are not whole rows of ${features} features`);
}
