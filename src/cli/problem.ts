/**
 * From a data source to what training needs: a training and a test part in the training
 * data's classes, and the input transform that must be repeated at prediction time (pixel
 * scaling or the standardization fitted on the training rows).
 */
import {
  DataError, fitStandardizer, scalePixel, selectRows, stratifiedIndices,
  type LabeledDataset, type PixelScaling,
} from '../node.js';
import { classMapping } from '../data/boundary.js';
import { deriveFinite } from '../data/checked.js';
import { loadSource, type Source, type SourceOptions } from './data-source.js';

/** How raw values (pixels 0–255, CSV columns) become network inputs. */
export type InputTransform =
  | { kind: 'identity' }
  | { kind: 'pixels'; scaling: PixelScaling }
  | { kind: 'standardize'; mean: number[]; std: number[] };

/** The rows of a problem, before the input transform, in the training classes. */
export interface ProblemData {
  source: Source;
  train: LabeledDataset;
  test: LabeledDataset;
  /** Where the test rows came from. */
  testFrom: 'built-in' | 'file' | 'split';
  /** The training classes, in output order. */
  classNames: readonly string[];
}

/** A classification problem ready to train on. */
export interface Problem extends ProblemData {
  classes: number;
  transform: InputTransform;
}

/** Options for {@link prepareProblem}. */
export interface ProblemOptions extends SourceOptions {
  data: string;
  test?: string | undefined;
  /** Keep at most this many training rows. */
  trainSize?: number | undefined;
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
  return { source, train, test, testFrom, classNames };
}

/** A classifier needs rows of two classes or more to learn anything. */
function checkTwoClasses(train: LabeledDataset, classNames: readonly string[], file: string): void {
  const first = train.labels[0];
  if (train.labels.every((l) => l === first)) {
    const name = first === undefined ? 'none' : JSON.stringify(classNames[first] ?? String(first));
    throw new DataError(`every training row has the same class (${name}); a classifier needs rows of at least two classes`, { file });
  }
}

/** Load the data, hold out the test rows and fit the input transform on the training rows. */
export async function prepareProblem(o: ProblemOptions): Promise<Problem> {
  const data = await loadProblemData(o);
  let { train, test } = data;
  let transform: InputTransform;
  if (data.source.kind === 'table') {
    const s = fitStandardizer(train);
    transform = { kind: 'standardize', mean: Array.from(s.mean), std: Array.from(s.std) };
    train = { ...train, x: s.transform(train.x) };
    test = { ...test, x: s.transform(test.x) };
  } else if (data.source.kind === 'images') {
    transform = { kind: 'pixels', scaling: data.source.scaling ?? 'unit' };
  } else {
    transform = { kind: 'identity' };
  }
  return { ...data, train, test, classes: data.classNames.length, transform };
}
