/**
 * The messages a page and the training worker exchange. Everything here is plain data that
 * survives `postMessage` (structured clone); typed arrays travel as transferables.
 */
import type { MlpOptions, NetworkOptions } from '../nn/network.js';
import type { WasmBuild } from '../wasm/loader.js';
import type { OptimizerName } from '../optim/index.js';
import type { History } from '../train/types.js';
import type { Evaluation } from '../feed/inference.js';

/** A network to build in the worker: a full description, or `Network.mlp` arguments. */
export type ModelDescription =
  | Omit<NetworkOptions, 'backend' | 'build'>
  | ({ layerDims: readonly number[] } & Omit<MlpOptions, 'backend' | 'build'>);

/** Training data: row-major samples and, per row, targets or a class index. */
export interface TrainingData {
  /** `rows × features` values, row-major. */
  x: Float32Array;
  /** `rows × outputs` targets, or `rows` class indices for a multi-class network. */
  y: Float32Array | Int32Array | Uint8Array;
  rows: number;
}

/** The subset of fit options that can cross a thread boundary. */
export interface WorkerFitOptions {
  epochs?: number;
  batchSize?: number | 'full';
  optimizer?: OptimizerName;
  learningRate?: number;
  shuffle?: boolean;
  l2?: number;
  clipNorm?: number;
}

/** Page → worker: start a training job. */
export interface TrainMessage {
  type: 'train';
  model: ModelDescription;
  data: TrainingData;
  fit: WorkerFitOptions;
  /** WASM build to run; default: the best the worker supports. */
  build?: WasmBuild;
  /** Bytes of that build, when the page already has them (e.g. the single-file build). */
  wasm?: ArrayBuffer;
  /** Send progress at most this often, in ms (the last epoch is always sent). Default 0: every epoch. */
  progressInterval?: number;
  /**
   * Also report progress within an epoch ({@link BatchMessage}) at most this often, in ms;
   * omit for none. For models whose epochs take seconds, such as CNNs.
   */
  batchInterval?: number;
  /** Send a weight snapshot at most this often, in ms; omit for none. */
  snapshotInterval?: number;
  /** Free-form facts stored in the trained model file. */
  metadata?: Record<string, unknown>;
  /**
   * Held-out rows (never trained on) to evaluate once training ends, in the worker: a large
   * model's evaluation then never blocks the page. The result is {@link DoneMessage.testEvaluation}.
   */
  test?: TrainingData;
}

/** Page → worker: stop after the current batch and send the model as it is. */
export interface AbortMessage {
  type: 'abort';
}

/** Any message the worker accepts. */
export type ToWorker = TrainMessage | AbortMessage;

/** Reported after every epoch. */
export interface ProgressEvent {
  epoch: number;
  /** Mean training loss over the epoch. */
  loss: number;
  /** Classification: training accuracy over the epoch. */
  accuracy?: number;
  /** Regression: training R² over the epoch. */
  r2?: number;
  samplesPerSecond: number;
}

/** Reported during an epoch when the job asks for it. */
export interface BatchEvent {
  epoch: number;
  /** Batches of this epoch done so far. */
  batches: number;
  /** Batches per epoch. */
  of: number;
  /** Mean loss of the latest batch. */
  loss: number;
}

/** Worker → page: how far through the current epoch training is. */
export interface BatchMessage extends BatchEvent {
  type: 'batch';
}

/** Worker → page: which build the worker runs; sent once before training starts. */
export interface StartedMessage {
  type: 'started';
  build: WasmBuild;
  /** Milliseconds the worker spent compiling the WASM and building the network. */
  setupMs: number;
  /** Threads the worker's kernels use, and why only one where threads are unavailable. */
  threads: ThreadsInUse;
}

/** A thread count and, when it is 1 for lack of support, the reason. */
export interface ThreadsInUse {
  count: number;
  reason?: string;
}

/** Worker → page: one epoch done. */
export interface ProgressMessage extends ProgressEvent {
  type: 'progress';
}

/** Worker → page: the current weights, in `Network.getWeights()` order. */
export interface SnapshotMessage {
  type: 'snapshot';
  epoch: number;
  weights: Float32Array[];
}

/** Worker → page: training ended (completed or aborted); the model file's bytes. */
export interface DoneMessage {
  type: 'done';
  model: Uint8Array;
  history: History;
  /** Loss and accuracy on the whole training set after the last update. */
  evaluation: Evaluation;
  /** The same on the job's `test` rows, when it brought some. */
  testEvaluation?: Evaluation;
}

/** Worker → page: the job failed. */
export interface ErrorMessage {
  type: 'error';
  name: string;
  message: string;
}

/** Any message the worker sends. */
export type FromWorker = StartedMessage | ProgressMessage | BatchMessage | SnapshotMessage | DoneMessage | ErrorMessage;
