/**
 * What the CLI stores in a model file's metadata, and reading it back. Models saved through
 * the library API (without this metadata) still load: classes and inputs fall back to
 * what the network itself says.
 */
import { loadModel, type BackendName, type Network } from '../node.js';
import type { PictureShape } from '../plot/index.js';
import type { InputTransform, TargetTransform } from './problem.js';
import type { DataKind, Task } from './presets.js';

/** Accuracy of a classifier, as measured when it was saved. */
export interface ClassificationResults {
  trainAccuracy: number;
  testAccuracy: number;
}

/** Error metrics of a regression model in the targets' own units, as measured when it was saved. */
export interface RegressionResults {
  trainRmse: number;
  trainMae: number;
  trainR2: number;
  testRmse: number;
  testMae: number;
  testR2: number;
}

/** Metadata written by `simdnet train`. */
export interface ModelMetadata {
  /** Version of simdnet that trained the model. */
  simdnet: string;
  createdAt: string;
  /** Classification (the default, and what files without the field hold) or regression. */
  task?: Task;
  /** Where the training data came from, enough to rebuild built-in test sets. */
  data: {
    spec: string; kind: DataKind; seed: number; samples?: number; noise?: number; label?: string | number;
    /** 0-based label column of the training file, which prediction files may keep. */
    labelColumn?: number;
    /** Regression: the target columns as `--target` named them. */
    target?: (string | number)[];
    /** Regression: 0-based positions of the target columns in the training file, which prediction files may keep. */
    targetColumns?: number[];
    /** The test file given at training time, whose rows are the held-out rows. */
    test?: string;
  };
  /** Class names in output order (empty for regression). */
  classes: string[];
  /** Regression: target names in output order. */
  targets?: string[];
  /** Inputs per sample. */
  features: number;
  /** Picture geometry, for `predict --image` and sample grids. */
  picture?: PictureShape;
  /** How raw values become inputs. */
  transform: InputTransform;
  /** Regression: how targets became what the network learned; outputs go back through its inverse. */
  targetTransform?: TargetTransform;
  preset?: string;
  results?: ClassificationResults | RegressionResults;
}

/** A loaded model with its metadata (filled in with defaults when absent). */
export interface LoadedModel {
  network: Network;
  meta: ModelMetadata;
  /** True when the metadata came from `simdnet train`. */
  fromCli: boolean;
}

function isMetadata(m: Record<string, unknown>): boolean {
  return Array.isArray(m['classes']) && typeof m['transform'] === 'object' && typeof m['data'] === 'object';
}

/** The model's task: what its metadata says, else classification (files from before regression). */
export function taskOf(meta: ModelMetadata): Task {
  return meta.task ?? 'classification';
}

/** Load a model file; errors name the path. */
export async function loadCliModel(path: string, backend: BackendName): Promise<LoadedModel> {
  const { network, header } = await loadModel(path, { backend });
  if (isMetadata(header.metadata)) return { network, meta: header.metadata as unknown as ModelMetadata, fromCli: true };
  if (network.task === 'regression') {
    // Raw inputs in, raw outputs out; targets named after their position.
    const targets = network.outputs === 1 ? ['y'] : Array.from({ length: network.outputs }, (_, i) => `y${i + 1}`);
    const meta: ModelMetadata = {
      simdnet: 'unknown', createdAt: '', task: 'regression', data: { spec: 'unknown', kind: 'table', seed: header.seed },
      classes: [], targets, features: network.inputs, transform: { kind: 'identity' }, targetTransform: { kind: 'identity' },
    };
    return { network, meta, fromCli: false };
  }
  const classes = network.classNames ? [...network.classNames] : Array.from({ length: network.outputs === 1 ? 2 : network.outputs }, (_, i) => String(i));
  const meta: ModelMetadata = {
    simdnet: 'unknown', createdAt: '', data: { spec: 'unknown', kind: 'table', seed: header.seed },
    classes, features: network.inputs, transform: { kind: 'identity' },
  };
  return { network, meta, fromCli: false };
}
