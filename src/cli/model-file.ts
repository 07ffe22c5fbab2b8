/**
 * What the CLI stores in a model file's metadata, and reading it back. Models saved through
 * the library API (without this metadata) still load: classes and inputs fall back to
 * what the network itself says.
 */
import { loadModel, type BackendName, type Network } from '../node.js';
import type { PictureShape } from '../plot/index.js';
import type { InputTransform } from './problem.js';
import type { DataKind } from './presets.js';

/** Metadata written by `simdnet train`. */
export interface ModelMetadata {
  /** Version of simdnet that trained the model. */
  simdnet: string;
  createdAt: string;
  /** Where the training data came from, enough to rebuild built-in test sets. */
  data: {
    spec: string; kind: DataKind; seed: number; samples?: number; noise?: number; label?: string | number;
    /** 0-based label column of the training file, which prediction files may keep. */
    labelColumn?: number;
    /** The test file given at training time, whose rows are the held-out rows. */
    test?: string;
  };
  /** Class names in output order. */
  classes: string[];
  /** Inputs per sample. */
  features: number;
  /** Picture geometry, for `predict --image` and sample grids. */
  picture?: PictureShape;
  /** How raw values become inputs. */
  transform: InputTransform;
  preset?: string;
  results?: { trainAccuracy: number; testAccuracy: number };
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

/** Load a model file; errors name the path. */
export async function loadCliModel(path: string, backend: BackendName): Promise<LoadedModel> {
  const { network, header } = await loadModel(path, { backend });
  if (isMetadata(header.metadata)) return { network, meta: header.metadata as unknown as ModelMetadata, fromCli: true };
  const classes = network.classNames ? [...network.classNames] : Array.from({ length: network.outputs === 1 ? 2 : network.outputs }, (_, i) => String(i));
  const meta: ModelMetadata = {
    simdnet: 'unknown', createdAt: '', data: { spec: 'unknown', kind: 'table', seed: header.seed },
    classes, features: network.inputs, transform: { kind: 'identity' },
  };
  return { network, meta, fromCli: false };
}
