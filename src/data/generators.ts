/**
 * Seeded toy problems with scikit-learn's geometry (moons, circles, blobs) plus spirals and
 * XOR, and two regression problems (a linear model, a sine). Classification points come out in
 * generation order (class 0 first, then class 1 …) unless `shuffle` is set; the same seed
 * always gives the same points.
 */
import { type Dataset, type LabeledDataset, type TargetFormat, targetsFromLabels } from './dataset.js';
import { Rng, type SeedOrRng, toRng } from '../util/rng.js';

/** Options shared by the generators. */
export interface GeneratorOptions {
  /** `'index'` (default): one column of class indices (0/1 for two classes). `'one-hot'`: K columns. */
  targets?: TargetFormat;
  /**
   * Permute the samples (with the generator's RNG, after the noise is drawn). Default false:
   * samples stay grouped by class as generated (scikit-learn's `shuffle=False` order).
   */
  shuffle?: boolean;
}

/**
 * Two interleaving half circles: class 0 on (cos t, sin t), class 1 on
 * (1 − cos t, 1 − sin t − 0.5), i.e. the mirrored half circle shifted by (1, −0.5), with t
 * evenly spaced on [0, π]. Class 0 gets ⌊n/2⌋ points, class 1 the rest; Gaussian noise of
 * standard deviation `noise` is added to both coordinates.
 */
export function makeMoons(n: number, noise = 0, seed: SeedOrRng = 0, options: GeneratorOptions = {}): LabeledDataset {
  checkCount(n, 'makeMoons: n');
  checkNonNegative(noise, 'makeMoons: noise');
  const rng = toRng(seed);
  const nOut = Math.floor(n / 2);
  const x = new Float32Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < nOut; i++) {
    const t = linspace(0, Math.PI, nOut, i, true);
    x[2 * i] = Math.cos(t);
    x[2 * i + 1] = Math.sin(t);
  }
  const nIn = n - nOut;
  for (let i = 0; i < nIn; i++) {
    const t = linspace(0, Math.PI, nIn, i, true);
    const row = nOut + i;
    x[2 * row] = 1 - Math.cos(t);
    x[2 * row + 1] = 1 - Math.sin(t) - 0.5;
    labels[row] = 1;
  }
  return finish(x, labels, 2, 2, noise, rng, options);
}

/**
 * A large circle (radius 1, class 0, ⌊n/2⌋ points) around a small one (radius `factor`,
 * class 1, the rest); angles evenly spaced on [0, 2π) without the endpoint, then Gaussian
 * noise of standard deviation `noise`.
 */
export function makeCircles(n: number, factor = 0.8, noise = 0, seed: SeedOrRng = 0, options: GeneratorOptions = {}): LabeledDataset {
  checkCount(n, 'makeCircles: n');
  if (!(factor >= 0 && factor < 1)) throw new RangeError(`makeCircles: factor must be in [0, 1), got ${factor}`);
  checkNonNegative(noise, 'makeCircles: noise');
  const rng = toRng(seed);
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const x = new Float32Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < nOut; i++) {
    const t = linspace(0, 2 * Math.PI, nOut, i, false);
    x[2 * i] = Math.cos(t);
    x[2 * i + 1] = Math.sin(t);
  }
  for (let i = 0; i < nIn; i++) {
    const t = linspace(0, 2 * Math.PI, nIn, i, false);
    const row = nOut + i;
    x[2 * row] = factor * Math.cos(t);
    x[2 * row + 1] = factor * Math.sin(t);
    labels[row] = 1;
  }
  return finish(x, labels, 2, 2, noise, rng, options);
}

/** Options for {@link makeBlobs}. */
export interface BlobOptions extends GeneratorOptions {
  /** Dimensions per point when `centers` is a count (default 2). */
  features?: number;
  /** Range the random centers are drawn from, uniformly per coordinate (default [−10, 10]). */
  centerBox?: readonly [number, number];
}

/**
 * Isotropic Gaussian clusters. `centers` is either the number of clusters (their centers
 * drawn uniformly from `centerBox`) or explicit center coordinates. Points are divided as
 * evenly as possible, the first `n mod k` clusters getting one extra; `std` is one value or
 * one per cluster.
 */
export function makeBlobs(
  n: number,
  centers: number | readonly (readonly number[])[] = 3,
  std: number | readonly number[] = 1,
  seed: SeedOrRng = 0,
  options: BlobOptions = {},
): LabeledDataset {
  checkCount(n, 'makeBlobs: n');
  const rng = toRng(seed);
  let points: number[][];
  if (typeof centers === 'number') {
    if (!Number.isInteger(centers) || centers < 1) throw new RangeError(`makeBlobs: centers must be a positive integer, got ${centers}`);
    const features = options.features ?? 2;
    if (!Number.isInteger(features) || features < 1) throw new RangeError(`makeBlobs: features must be a positive integer, got ${features}`);
    const [low, high] = options.centerBox ?? [-10, 10];
    points = Array.from({ length: centers }, () => Array.from({ length: features }, () => rng.uniform(low, high)));
  } else {
    if (centers.length === 0) throw new RangeError('makeBlobs: centers is empty');
    const features = centers[0]!.length;
    centers.forEach((c, i) => {
      if (c.length !== features || features === 0) throw new RangeError(`makeBlobs: center ${i} has ${c.length} coordinates, center 0 has ${features}`);
    });
    points = centers.map((c) => [...c]);
  }
  const k = points.length;
  const features = points[0]!.length;
  const stds = typeof std === 'number' ? new Array<number>(k).fill(std) : [...std];
  if (stds.length !== k) throw new RangeError(`makeBlobs: ${stds.length} standard deviations for ${k} centers`);
  stds.forEach((s) => checkNonNegative(s, 'makeBlobs: std'));
  const x = new Float32Array(n * features);
  const labels = new Int32Array(n);
  let row = 0;
  for (let c = 0; c < k; c++) {
    const count = Math.floor(n / k) + (c < n % k ? 1 : 0);
    for (let i = 0; i < count; i++, row++) {
      for (let f = 0; f < features; f++) x[row * features + f] = rng.normal(points[c]![f]!, stds[c]!);
      labels[row] = c;
    }
  }
  return finish(x, labels, features, k, 0, rng, options);
}

/** Options for {@link makeSpirals}. */
export interface SpiralOptions extends GeneratorOptions {
  /** Full turns each arm makes (default 1.5). */
  turns?: number;
}

/**
 * Two interleaved spiral arms: point i of an arm with m points sits at radius
 * r = 0.1 + 0.9·s and angle 2π·turns·s (+π for class 1), with s = i/(m − 1); class 0 gets
 * ⌊n/2⌋ points. Gaussian noise of standard deviation `noise` is added.
 */
export function makeSpirals(n: number, noise = 0, seed: SeedOrRng = 0, options: SpiralOptions = {}): LabeledDataset {
  checkCount(n, 'makeSpirals: n');
  checkNonNegative(noise, 'makeSpirals: noise');
  const turns = options.turns ?? 1.5;
  if (!(turns > 0) || !Number.isFinite(turns)) throw new RangeError(`makeSpirals: turns must be positive, got ${turns}`);
  const rng = toRng(seed);
  const x = new Float32Array(2 * n);
  const labels = new Int32Array(n);
  const counts = [Math.floor(n / 2), n - Math.floor(n / 2)];
  let row = 0;
  for (let c = 0; c < 2; c++) {
    const m = counts[c]!;
    for (let i = 0; i < m; i++, row++) {
      const s = linspace(0, 1, m, i, true);
      const r = 0.1 + 0.9 * s;
      const angle = 2 * Math.PI * turns * s + c * Math.PI;
      x[2 * row] = r * Math.cos(angle);
      x[2 * row + 1] = r * Math.sin(angle);
      labels[row] = c;
    }
  }
  return finish(x, labels, 2, 2, noise, rng, options);
}

const XOR_CORNERS = [[0, 0], [0, 1], [1, 0], [1, 1]] as const;

/**
 * XOR. Without `n`: the classic four points (0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0. With `n`:
 * n points cycling through those corners (so classes balance when n is a multiple of 4),
 * each with Gaussian noise of standard deviation `noise` (default 0.1).
 */
export function xor(n?: number, noise = 0.1, seed: SeedOrRng = 0, options: GeneratorOptions = {}): LabeledDataset {
  const rng = toRng(seed);
  const count = n ?? 4;
  checkCount(count, 'xor: n');
  checkNonNegative(noise, 'xor: noise');
  const x = new Float32Array(2 * count);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const [a, b] = XOR_CORNERS[i % 4]!;
    x[2 * i] = a;
    x[2 * i + 1] = b;
    labels[i] = a ^ b;
  }
  return finish(x, labels, 2, 2, n === undefined ? 0 : noise, rng, options);
}

/** Options for {@link makeRegression}. */
export interface RegressionOptions {
  /** Inputs per sample (default: the number of `coefficients`, else 1). */
  features?: number;
  /** Standard deviation of the Gaussian noise added to y (default 0). */
  noise?: number;
  /** Added to every y (default 0). */
  bias?: number;
  /** One weight per feature (default: drawn from N(0, 1) with the generator's RNG). */
  coefficients?: readonly number[];
  /** Seed or generator (default 0). */
  seed?: SeedOrRng;
}

/** A linear regression problem together with the model that made it. */
export interface RegressionDataset extends Dataset {
  /** The weights y was made with, one per feature (float32, as used). */
  coefficients: Float32Array;
  /** The intercept y was made with. */
  bias: number;
}

/**
 * A linear regression problem, like scikit-learn's `make_regression` with every feature
 * informative: x ~ N(0, 1) per value, y = x·coefficients + bias + N(0, noise), one output.
 * Draws, in order: the coefficients (when not given), all of x, then the noise, so the same
 * seed gives the same x and coefficients whatever the noise. Without noise, y is the float32 of
 * x·coefficients + bias summed in double precision from the float32 x and coefficients returned.
 */
export function makeRegression(n: number, options: RegressionOptions = {}): RegressionDataset {
  checkCount(n, 'makeRegression: n');
  const noise = options.noise ?? 0;
  checkNonNegative(noise, 'makeRegression: noise');
  const bias = options.bias ?? 0;
  if (!Number.isFinite(bias)) throw new RangeError(`makeRegression: bias must be a finite number, got ${bias}`);
  const given = options.coefficients;
  const features = options.features ?? given?.length ?? 1;
  if (!Number.isInteger(features) || features < 1) throw new RangeError(`makeRegression: features must be a positive integer, got ${features}`);
  if (given) {
    if (given.length !== features) throw new RangeError(`makeRegression: coefficients has ${given.length} values for ${features} features`);
    given.forEach((c, i) => {
      if (!Number.isFinite(Math.fround(c))) throw new RangeError(`makeRegression: coefficients[${i}] must be a finite float32, got ${c}`);
    });
  }
  const rng = toRng(options.seed ?? 0);
  const coefficients = given ? Float32Array.from(given) : Float32Array.from({ length: features }, () => rng.normal());
  const x = new Float32Array(n * features);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    let sum = bias;
    for (let f = 0; f < features; f++) sum += x[r * features + f]! * coefficients[f]!;
    y[r] = sum;
  }
  // The noise goes on the float32 y (rounded twice): the same seed's noise-free y stays the
  // exact float32 of x·coefficients + bias, and the double rounding is far below any noise.
  if (noise > 0) for (let r = 0; r < n; r++) y[r] = y[r]! + rng.normal(0, noise);
  return { x, y, rows: n, features, outputs: 1, coefficients, bias };
}

/** Options for {@link makeSine}. */
export interface SineOptions {
  /** Full periods of the sine that x spans (default 1): x is drawn from [−π·periods, π·periods]. */
  periods?: number;
}

/**
 * A one-dimensional regression problem: x uniform on [−π·periods, π·periods] (rounded to
 * float32, which may pass an end by half a float32 step), y = sin(x) plus Gaussian noise of
 * standard deviation `noise`. x is random rather than evenly spaced so that any split of the
 * rows (a held-out tail, a validation fraction) covers the whole range instead of asking for
 * extrapolation. All of x is drawn before the noise, so a seed gives the same x whatever the
 * noise; without noise, y is the float32 of sin of the float32 x.
 */
export function makeSine(n: number, noise = 0, seed: SeedOrRng = 0, options: SineOptions = {}): Dataset {
  checkCount(n, 'makeSine: n');
  checkNonNegative(noise, 'makeSine: noise');
  const periods = options.periods ?? 1;
  if (!(periods > 0) || !Number.isFinite(periods)) throw new RangeError(`makeSine: periods must be a finite number > 0, got ${periods}`);
  const rng = toRng(seed);
  const half = Math.PI * periods;
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.uniform(-half, half);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = Math.sin(x[i]!);
  if (noise > 0) for (let i = 0; i < n; i++) y[i] = y[i]! + rng.normal(0, noise);
  return { x, y, rows: n, features: 1, outputs: 1 };
}

/** numpy's linspace(start, stop, count, endpoint)[i]. */
function linspace(start: number, stop: number, count: number, i: number, endpoint: boolean): number {
  const divisions = endpoint ? count - 1 : count;
  return divisions === 0 ? start : start + ((stop - start) * i) / divisions;
}

function finish(x: Float32Array, labels: Int32Array, features: number, classes: number, noise: number, rng: Rng, options: GeneratorOptions): LabeledDataset {
  if (noise > 0) for (let i = 0; i < x.length; i++) x[i] = x[i]! + rng.normal(0, noise);
  const rows = labels.length;
  let outX = x;
  let outLabels = labels;
  if (options.shuffle) {
    const order = rng.permutation(rows);
    outX = new Float32Array(x.length);
    outLabels = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      const r = order[i]!;
      outX.set(x.subarray(r * features, (r + 1) * features), i * features);
      outLabels[i] = labels[r]!;
    }
  }
  const format = options.targets ?? 'index';
  return {
    x: outX,
    y: targetsFromLabels(outLabels, classes, format),
    rows,
    features,
    outputs: format === 'one-hot' ? classes : 1,
    labels: outLabels,
  };
}

function checkCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer, got ${n}`);
}

function checkNonNegative(v: number, what: string): void {
  if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`${what} must be a finite number ≥ 0, got ${v}`);
}
