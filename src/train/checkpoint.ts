/**
 * Training checkpoints: everything {@link fit} needs to continue a run exactly where it
 * stopped — weights, optimizer state, position (epoch, batch, shuffled order), both random
 * streams, the epoch's running sums, the history and early stopping's record — and their
 * binary file, which works the same in Node and in a browser:
 *
 *   offset 0   "SDCK" magic
 *          4   u32 format version (1)
 *          8   u32 byte length J of the JSON header
 *         12   J bytes of UTF-8 JSON: every scalar, and the length of each array below
 *    12 + J'   the arrays, in header order: weights, model state, optimizer state, best weights (float32),
 *              then the row order (uint32), all little-endian (J' = J rounded up to 4)
 *        end   u32 CRC-32 of every byte before it
 */
import type { LayerConfig } from '../nn/layer.js';
import type { OptimizerConfig } from '../optim/optimizer.js';
import type { RegressionSumsState } from '../feed/metrics.js';
import type { RngState } from '../util/rng.js';
import type { AugmentOptions } from '../data/augment.js';
import { crc32 } from '../util/crc32.js';
import type { CostRecorderState } from './costs.js';
import type { EarlyStoppingState } from './early-stopping.js';
import type { EpochLog } from './types.js';

const MAGIC = 0x4b434453; // "SDCK" read as little-endian u32

/** The checkpoint format version this build writes and reads. */
export const CHECKPOINT_FORMAT_VERSION = 1;

/**
 * The settings a resumed run must share with the run that made the checkpoint: with any of
 * them changed, the continuation would not be the run that was interrupted.
 */
export interface TrainingSettings {
  batchSize: number;
  shuffle: boolean;
  l2: number;
  clipNorm: number | null;
  costEvery: number | 'auto';
  /** fit's `augment`, when the run augments its batches (absent otherwise, as in older files). */
  augment?: AugmentOptions;
  /**
   * The learning rate at updates 0, 1, 2, 4 … 2^24: a schedule is a function, so this sample
   * is how a resumed run tells that its schedule is the same one (a cosine decay over more
   * epochs is not).
   */
  learningRates: number[];
  /** Training rows, features, outputs and a CRC-32 of their values. */
  data: DataFingerprint;
  /** The same for the validation rows, when there are any. */
  validation: DataFingerprint | null;
}

/** Enough about a dataset to tell whether a resumed run trains on the same rows. */
export interface DataFingerprint {
  rows: number;
  features: number;
  outputs: number;
  /** CRC-32 of the samples' and of the targets' float32 bytes. */
  xCrc32: number;
  yCrc32: number;
}

/** The fingerprint of a prepared dataset (one pass over its bytes). */
export function fingerprintOf(data: { x: Float32Array; y: Float32Array; rows: number; features: number; outputs: number }): DataFingerprint {
  const bytes = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return { rows: data.rows, features: data.features, outputs: data.outputs, xCrc32: crc32(bytes(data.x)), yCrc32: crc32(bytes(data.y)) };
}

/** A snapshot of a {@link fit} run between two updates. */
export interface TrainingState {
  /** The network's shape: resuming on another architecture is refused. */
  network: { inputs: number; layers: LayerConfig[]; loss: string };
  /** Every parameter array, in the network's order. */
  weights: Float32Array[];
  /** The network's non-trainable arrays (batch norm's running statistics), in its order. */
  modelState: Float32Array[];
  settings: TrainingSettings;
  /** The epoch in progress (1-based) and the next batch in it (0-based). */
  epoch: number;
  batch: number;
  /** Whether this epoch's row order has been drawn already (it is drawn before batch 0). */
  orderDrawn: boolean;
  /** The row order of the epoch in progress; epochs shuffle it in place. */
  order: Uint32Array;
  /** Updates applied so far. */
  steps: number;
  /** The shuffle's stream and the network's (dropout, initialisers). */
  shuffleRng: RngState;
  networkRng: RngState;
  optimizer: { config: OptimizerConfig; iterations: number; arrays: Float32Array[][] };
  /** Running sums of the epoch in progress. */
  epochSums: { loss: number; correct: number; regression: RegressionSumsState | null; seconds: number };
  history: { epochs: EpochLog[]; costs: CostRecorderState; seconds: number };
  earlyStopping: EarlyStoppingState | null;
}

/** Raised for bytes that are not a valid checkpoint; says what is wrong and where. */
export class CheckpointFormatError extends Error {
  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'CheckpointFormatError';
  }
}

/** The JSON header: the state with its arrays replaced by their lengths. */
interface CheckpointHeader extends Omit<TrainingState, 'weights' | 'modelState' | 'order' | 'optimizer' | 'earlyStopping'> {
  format: 'simdnet-checkpoint';
  weights: number[];
  modelState: number[];
  order: number;
  optimizer: { config: OptimizerConfig; iterations: number; arrays: number[][] };
  earlyStopping: (Omit<EarlyStoppingState, 'bestWeights'> & { bestWeights?: number[] }) | null;
}

/** Encode a training state as checkpoint bytes. */
export function encodeCheckpoint(state: TrainingState): Uint8Array {
  const { weights, modelState, order, optimizer, earlyStopping, ...scalars } = state;
  const floatArrays = [...weights, ...modelState, ...optimizer.arrays.flat(), ...(earlyStopping?.bestWeights ?? [])];
  const header: CheckpointHeader = {
    format: 'simdnet-checkpoint', ...scalars,
    weights: weights.map((w) => w.length), modelState: modelState.map((a) => a.length), order: order.length,
    optimizer: { config: optimizer.config, iterations: optimizer.iterations, arrays: optimizer.arrays.map((list) => list.map((a) => a.length)) },
    earlyStopping: earlyStopping && { ...earlyStopping, bestWeights: earlyStopping.bestWeights?.map((w) => w.length) },
  };
  const json = new TextEncoder().encode(JSON.stringify(header, finiteOrTagged));
  const dataAt = 12 + ((json.length + 3) & ~3);
  const floats = floatArrays.reduce((n, a) => n + a.length, 0);
  const bytes = new Uint8Array(dataAt + (floats + order.length) * 4 + 4);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, CHECKPOINT_FORMAT_VERSION, true);
  view.setUint32(8, json.length, true);
  bytes.set(json, 12);
  bytes.fill(0x20, 12 + json.length, dataAt);
  let offset = dataAt;
  for (const a of floatArrays) for (let i = 0; i < a.length; i++, offset += 4) view.setFloat32(offset, a[i]!, true);
  for (let i = 0; i < order.length; i++, offset += 4) view.setUint32(offset, order[i]!, true);
  view.setUint32(offset, crc32(bytes.subarray(0, offset)), true);
  return bytes;
}

/**
 * Decode checkpoint bytes, checking magic, version, checksum and every length against the
 * file before reading an array. `source` names the bytes in errors (a path).
 */
export function decodeCheckpoint(bytes: Uint8Array, source = 'checkpoint'): TrainingState {
  const fail = (message: string): never => {
    throw new CheckpointFormatError(source, message);
  };
  if (bytes.length < 16) fail(`${bytes.length} bytes is too short to be a simdnet checkpoint`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) fail('not a simdnet checkpoint (bad magic at byte 0)');
  const version = view.getUint32(4, true);
  if (version !== CHECKPOINT_FORMAT_VERSION) fail(`format version ${version} at byte 4 is not supported (this build reads ${CHECKPOINT_FORMAT_VERSION})`);
  if (crc32(bytes.subarray(0, bytes.length - 4)) !== view.getUint32(bytes.length - 4, true)) {
    fail(`checksum mismatch at byte ${bytes.length - 4}: the file is truncated or corrupted`);
  }
  const jsonLength = view.getUint32(8, true);
  if (12 + jsonLength > bytes.length - 4) fail(`header length ${jsonLength} at byte 8 runs past the end of the file`);
  let header: CheckpointHeader;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(12, 12 + jsonLength)), untagged) as CheckpointHeader;
  } catch (err) {
    return fail(`header at byte 12 is not valid JSON: ${(err as Error).message}`);
  }
  if (header?.format !== 'simdnet-checkpoint') fail('header at byte 12 is not a simdnet checkpoint header');
  const lengths = (value: unknown, what: string): number[] => {
    if (!Array.isArray(value) || value.some((n) => !Number.isSafeInteger(n) || n < 0)) fail(`header at byte 12: ${what} must list non-negative integer lengths`);
    return value as number[];
  };
  const weightSizes = lengths(header.weights, 'weights');
  const modelStateSizes = lengths(header.modelState, 'modelState');
  const stateSizes = (Array.isArray(header.optimizer?.arrays) ? header.optimizer.arrays : fail('header at byte 12: optimizer.arrays is missing')).map((list, i) => lengths(list, `optimizer.arrays[${i}]`));
  const bestSizes = header.earlyStopping?.bestWeights === undefined ? [] : lengths(header.earlyStopping.bestWeights, 'earlyStopping.bestWeights');
  const orderLength = lengths([header.order], 'order')[0]!;
  const floats = [...weightSizes, ...modelStateSizes, ...stateSizes.flat(), ...bestSizes].reduce((n, s) => n + s, 0);
  const dataAt = 12 + ((jsonLength + 3) & ~3);
  if (dataAt + (floats + orderLength) * 4 !== bytes.length - 4) {
    fail(`header at byte 12 lists ${(floats + orderLength) * 4} bytes of arrays from byte ${dataAt}, but the file has ${bytes.length - 4 - dataAt}`);
  }
  let offset = dataAt;
  const readFloats = (size: number): Float32Array => {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++, offset += 4) out[i] = view.getFloat32(offset, true);
    return out;
  };
  const weights = weightSizes.map(readFloats);
  const modelState = modelStateSizes.map(readFloats);
  const arrays = stateSizes.map((list) => list.map(readFloats));
  const bestWeights = bestSizes.map(readFloats);
  const order = new Uint32Array(orderLength);
  for (let i = 0; i < orderLength; i++, offset += 4) order[i] = view.getUint32(offset, true);
  const { format: _format, weights: _w, modelState: _m, order: _o, optimizer, earlyStopping, ...scalars } = header;
  return {
    ...scalars, weights, modelState, order,
    optimizer: { config: optimizer.config, iterations: optimizer.iterations, arrays },
    earlyStopping: earlyStopping && { ...earlyStopping, ...(earlyStopping.bestWeights ? { bestWeights } : {}) } as EarlyStoppingState,
  };
}

/** Metrics can be NaN (R² of one row) or infinite: JSON has neither, so tag them. */
function finiteOrTagged(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? { nonFinite: String(value) } : value;
}

function untagged(_key: string, value: unknown): unknown {
  const tag = (value as { nonFinite?: unknown } | null)?.nonFinite;
  return typeof tag === 'string' && Object.keys(value as object).length === 1 ? Number(tag) : value;
}
