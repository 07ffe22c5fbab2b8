/**
 * Reading the data arguments of `fit`, `evaluate` and `gradientCheck` — a Dataset, or
 * samples and targets — and preparing them for a network through the data boundary.
 */
import {
  checkClassNames, checkLayout, datasetFor, datasetFrom, isDataset,
  type DataSpec, type Layout, type MatrixInput, type TargetInput,
} from '../data/boundary.js';
import type { Dataset } from '../data/dataset.js';
import type { Sequential } from '../nn/network.js';
import { describe } from '../util/describe.js';

/** The layout option of calls that take samples. */
export interface LayoutOption {
  /** `'rows'` (default): one sample per row; `'columns'`: the seeds' n×m layout. Not for Datasets, which are rows. */
  layout?: Layout;
}

/** The data arguments: a Dataset, or samples and targets; then the options. */
export type DataArgs<O> = [data: Dataset, options?: O] | [x: MatrixInput, y: TargetInput, options?: O];

/** Validation data: a Dataset, or samples and targets. */
export type ValidationInput = Dataset | readonly [MatrixInput, TargetInput];

/** Where the data of a call comes from. */
export type DataInput = { dataset: Dataset } | { x: MatrixInput; y: TargetInput };

/** The arguments of a call, sorted out. */
export type ReadArgs<O> = DataInput & {
  options: O;
  /** Class names a network without names takes from this training data. */
  adopt?: readonly string[] | undefined;
};

/** Sort out `(dataset, options?)` from `(x, y, options?)`; `what` names the call in errors. */
export function readArgs<O extends object>(args: readonly unknown[], what: string): ReadArgs<O> {
  const [a, b, c] = args;
  if (isDataset(a) && !isTargetInput(b)) {
    return { dataset: a, options: optionsOf<O>(b === undefined ? c : b, what), adopt: checkClassNames(a.classNames, what) };
  }
  if (b === undefined) throw new TypeError(`${what}: targets are missing; pass a Dataset, or samples x and targets y`);
  return { x: a as MatrixInput, y: b as TargetInput, options: optionsOf<O>(c, what) };
}

/** What the network reads: its widths, its loss's target kind and its class names. */
export function specOf(net: Sequential): DataSpec {
  return { features: net.inputs, outputs: net.outputs, targets: net.targetKind, classNames: net.classNames };
}

/** Prepare the data of a call for `net` (validated once, cached for Datasets). */
export function prepareData(net: Sequential, input: DataInput, options: LayoutOption, what: string): Dataset {
  const layout = checkLayout(options.layout, what);
  if ('dataset' in input) {
    if (layout !== 'rows') throw new TypeError(`${what}: layout '${layout}' applies to samples and targets given apart; a Dataset always holds one sample per row`);
    return datasetFor(input.dataset, specOf(net), what);
  }
  return datasetFrom(input.x, input.y, specOf(net), layout, what);
}

/** Check an options argument: undefined or an object. */
export function optionsOf<O extends object>(value: unknown, what: string): O {
  if (value === undefined) return {} as O;
  // A typed array here is most likely targets handed to a call that takes none (predict).
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw new TypeError(`${what}: options must be an object, got ${describe(value)}`);
  }
  return value as O;
}

/** Could `value` be targets (rather than an options object)? */
function isTargetInput(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Array.isArray(value) || ArrayBuffer.isView(value) || 'data' in value || isDataset(value) || ('x' in value && 'features' in value);
}
