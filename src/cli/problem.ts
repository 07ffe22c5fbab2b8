/**
 * From a data source to what training needs: a training and a test part (in the training
 * data's classes, for classification), and the transforms that must be repeated at
 * prediction time: the input transform (pixel scaling or the standardization fitted on the
 * training rows) and, for regression, the target standardization that predictions are
 * mapped back through.
 */
import {
  DataError, fitStandardizer, scalePixel, selectRows, stratifiedIndices, trainTestSplit,
  type Dataset, type LabeledDataset, type PixelScaling,
} from '../node.js';
import { classMapping } from '../data/boundary.js';
import { deriveFinite } from '../data/checked.js';
import { loadRegressionSource, loadSource, type RegressionSource, type Source, type SourceOptions } from './data-source.js';
import type { Task } from './presets.js';

/** How raw values (pixels 0–255, CSV columns) become network inputs. */
export type InputTransform =
  | { kind: 'identity' }
  | { kind: 'pixels'; scaling: PixelScaling }
  | { kind: 'standardize'; mean: number[]; std: number[] };

/**
 * How regression targets in their own units become what the network learns: unchanged, or
 * standardized per target with the training rows' mean and standard deviation. Predictions
 * go back through the inverse.
 */
export type TargetTransform =
  | { kind: 'identity' }
  | { kind: 'standardize'; mean: number[]; std: number[] };

/** The rows of a classification problem, before the input transform, in the training classes. */
export interface ProblemData {
  task: 'classification';
  source: Source;
  train: LabeledDataset;
  test: LabeledDataset;
  /** Where the test rows came from. */
  testFrom: 'built-in' | 'file' | 'split';
  /** The training classes, in output order. */
  classNames: readonly string[];
}

/** A classification problem ready to train on. */
export interface ClassificationProblem extends ProblemData {
  classes: number;
  transform: InputTransform;
}

/** The rows of a regression problem in their own units. */
export interface RegressionData {
  task: 'regression';
  source: RegressionSource;
  train: Dataset;
  test: Dataset;
  /** Where the test rows came from. */
  testFrom: 'built-in' | 'file' | 'split';
  /** The targets, in output order. */
  targetNames: readonly string[];
}

/** A regression problem ready to train on. */
export interface RegressionProblem extends RegressionData {
  /** Training and test rows as the network sees them: inputs and targets transformed. */
  train: Dataset;
  test: Dataset;
  /** The same rows in their own units, for metrics and plots. */
  raw: { train: Dataset; test: Dataset };
  transform: InputTransform;
  targetTransform: TargetTransform;
}

/** A problem ready to train on. */
export type Problem = ClassificationProblem | RegressionProblem;

/** Options for {@link prepareProblem}. */
export interface ProblemOptions extends SourceOptions {
  data: string;
  test?: string | undefined;
  /** Keep at most this many training rows. */
  trainSize?: number | undefined;
  /** Default classification. */
  task?: Task;
  /** Regression: standardize the targets (default true). */
  standardizeTargets?: boolean;
}

/** Fraction of a file's rows held out when no test set is given. */
const TEST_FRACTION = 0.2;

/**
 * `d` (a file with its own class names, or class indices) expressed in `classNames`: labels
 * mapped by name, index targets rebuilt. A class the training data lacks names the file.
 */
export function alignClasses(d: LabeledDataset, classNames: readonly string[], file: string): LabeledDataset {
  let labels = d.labels;
  if (d.classNames) {
    let mapping: Int32Array;
    try {
      mapping = classMapping(d.classNames, classNames, 'classes');
    } catch (error) {
      throw new DataError((error as Error).message.replace(/^classes: /, ''), { file });
    }
    labels = labels.map((l) => mapping[l]!);
  } else {
    const bad = labels.findIndex((l) => l >= classNames.length);
    if (bad >= 0) throw new DataError(`row ${bad + 1} has class ${labels[bad]}, which is not one of the ${classNames.length} training classes (0–${classNames.length - 1})`, { file });
  }
  return { ...d, labels, y: Float32Array.from(labels), outputs: 1, classNames };
}

/** Split `d` by class proportion into [first, second] with `second` rows in the second part. */
function stratifiedSplit(d: LabeledDataset, second: number, seed: number): [LabeledDataset, LabeledDataset] {
  const [a, b] = stratifiedIndices(d.labels, [d.rows - second, second], seed);
  return [selectRows(d, a!) as LabeledDataset, selectRows(d, b!) as LabeledDataset];
}

/** Apply an input transform to raw rows of `features` values (returns a new array). */
export function applyTransform(t: InputTransform, raw: Float32Array, features: number): Float32Array {
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i]!;
    if (t.kind === 'pixels') out[i] = scalePixel(v, t.scaling);
    else if (t.kind === 'standardize') out[i] = (v - t.mean[i % features]!) / t.std[i % features]!;
    else out[i] = v;
  }
  return deriveFinite(out, raw);
}

/** Targets (rows of `outputs` values, in their own units) as the network learns them. */
export function transformTargets(t: TargetTransform, y: Float32Array, outputs: number): Float32Array {
  return t.kind === 'identity' ? y : applyTransform(t, y, outputs);
}

/** Network outputs (rows of `outputs` values) back in the targets' own units. */
export function inverseTargets(t: TargetTransform, outputs: Float32Array, width: number): Float64Array {
  const out = Float64Array.from(outputs);
  if (t.kind === 'standardize') for (let i = 0; i < out.length; i++) out[i] = out[i]! * t.std[i % width]! + t.mean[i % width]!;
  return out;
}

/**
 * Load the data and hold out the test rows: the source's own test part, a test file mapped
 * onto the training classes, or a seeded stratified 20 % of the rows. The same options give
 * the same rows, which is how `eval` finds a model's held-out rows again.
 */
export async function loadProblemData(o: ProblemOptions): Promise<ProblemData> {
  const source = await loadSource(o.data, o);
  const { classNames } = source;
  let train = alignClasses(source.train, classNames, o.data);
  let test: LabeledDataset;
  let testFrom: Problem['testFrom'];
  if (o.test !== undefined) {
    const file = (await loadSource(o.test, o)).train;
    if (file.features !== train.features) {
      throw new DataError(`has ${file.features} features per row, the training data has ${train.features}`, { file: o.test });
    }
    test = alignClasses(file, classNames, o.test);
    testFrom = 'file';
  } else if (source.test) {
    test = alignClasses(source.test, classNames, o.data);
    testFrom = 'built-in';
  } else {
    if (train.rows < 5) throw new DataError(`has only ${train.rows} rows; need at least 5 to hold out a test set`, { file: o.data });
    [train, test] = stratifiedSplit(train, Math.max(1, Math.round(train.rows * TEST_FRACTION)), o.seed);
    testFrom = 'split';
  }
  if (o.trainSize !== undefined && o.trainSize < train.rows) {
    [, train] = stratifiedSplit(train, o.trainSize, o.seed);
  }
  checkTwoClasses(train, classNames, o.data);
  return { task: 'classification', source, train, test, testFrom, classNames };
}

/**
 * Load regression data and hold out the test rows: the source's own test part, a test file
 * with the same target columns, or a seeded 20 % of the rows (a plain random split: there are
 * no classes to stratify by). The same options give the same rows, as for classification.
 */
export async function loadRegressionData(o: ProblemOptions): Promise<RegressionData> {
  const source = await loadRegressionSource(o.data, o);
  let train = source.train;
  let test: Dataset;
  let testFrom: RegressionData['testFrom'];
  if (o.test !== undefined) {
    const file = (await loadRegressionSource(o.test, o)).train;
    if (file.features !== train.features) {
      throw new DataError(`has ${file.features} features per row, the training data has ${train.features}`, { file: o.test });
    }
    if (file.outputs !== train.outputs) {
      throw new DataError(`has ${file.outputs} target columns, the training data has ${train.outputs}`, { file: o.test });
    }
    test = file;
    testFrom = 'file';
  } else if (source.test) {
    test = source.test;
    testFrom = 'built-in';
  } else {
    if (train.rows < 5) throw new DataError(`has only ${train.rows} rows; need at least 5 to hold out a test set`, { file: o.data });
    ({ train, test } = trainTestSplit(train, { test: Math.max(1, Math.round(train.rows * TEST_FRACTION)), seed: o.seed }));
    testFrom = 'split';
  }
  if (o.trainSize !== undefined && o.trainSize < train.rows) {
    train = trainTestSplit(train, { test: o.trainSize, seed: o.seed }).test;
  }
  return { task: 'regression', source, train, test, testFrom, targetNames: source.targetNames };
}

/** A classifier needs rows of two classes or more to learn anything. */
function checkTwoClasses(train: LabeledDataset, classNames: readonly string[], file: string): void {
  const first = train.labels[0];
  if (train.labels.every((l) => l === first)) {
    const name = first === undefined ? 'none' : JSON.stringify(classNames[first] ?? String(first));
    throw new DataError(`every training row has the same class (${name}); a classifier needs rows of at least two classes`, { file });
  }
}

/**
 * Load the data, hold out the test rows and fit the input transform (and, for regression, the
 * target transform) on the training rows.
 */
export function prepareProblem(o: ProblemOptions & { task: 'regression' }): Promise<RegressionProblem>;
export function prepareProblem(o: ProblemOptions & { task?: 'classification' | undefined }): Promise<ClassificationProblem>;
export function prepareProblem(o: ProblemOptions): Promise<Problem>;
export function prepareProblem(o: ProblemOptions): Promise<Problem> {
  return o.task === 'regression' ? prepareRegression(o) : prepareClassification(o);
}

async function prepareClassification(o: ProblemOptions): Promise<ClassificationProblem> {
  const data = await loadProblemData(o);
  let { train, test } = data;
  let transform: InputTransform;
  if (data.source.kind === 'table') {
    const s = fitStandardizer(train);
    transform = { kind: 'standardize', mean: Array.from(s.mean), std: Array.from(s.std) };
    // The stored (float32) statistics, as eval and predict will apply them.
    train = { ...train, x: applyTransform(transform, train.x, train.features) };
    test = { ...test, x: applyTransform(transform, test.x, test.features) };
  } else if (data.source.kind === 'images') {
    transform = { kind: 'pixels', scaling: data.source.scaling ?? 'unit' };
  } else {
    transform = { kind: 'identity' };
  }
  return { ...data, train, test, classes: data.classNames.length, transform };
}

/**
 * Regression: features always standardized, targets too unless switched off. Both the
 * training and the test rows go through {@link applyTransform} with the stored (float32)
 * statistics, exactly as `eval` and `predict` will, so a saved model scores the same there.
 */
async function prepareRegression(o: ProblemOptions): Promise<RegressionProblem> {
  const data = await loadRegressionData(o);
  const features = fitStandardizer(data.train);
  const transform: InputTransform = { kind: 'standardize', mean: Array.from(features.mean), std: Array.from(features.std) };
  let targetTransform: TargetTransform = { kind: 'identity' };
  if (o.standardizeTargets !== false) {
    const targets = fitStandardizer(data.train.y, data.train.outputs);
    targetTransform = { kind: 'standardize', mean: Array.from(targets.mean), std: Array.from(targets.std) };
  }
  const prepared = (d: Dataset): Dataset => ({
    x: applyTransform(transform, d.x, d.features), y: transformTargets(targetTransform, d.y, d.outputs),
    rows: d.rows, features: d.features, outputs: d.outputs,
  });
  return {
    ...data, train: prepared(data.train), test: prepared(data.test),
    raw: { train: data.train, test: data.test }, transform, targetTransform,
  };
}
