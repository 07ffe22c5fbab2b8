/**
 * What a peer module provides, and the shapes of the work every peer is given. A peer that
 * cannot do something (brain.js has no GEMM) simply leaves that member out.
 */

/** A network of the suite: layer widths and the hidden activation; the output is always 10-way softmax. */
export interface ModelSpec {
  /** Printed name, e.g. `784-128-64-10`. */
  readonly id: string;
  readonly sizes: readonly number[];
  readonly hidden: 'tanh' | 'relu';
}

export const MODELS: readonly ModelSpec[] = [
  { id: '784-25-10', sizes: [784, 25, 10], hidden: 'tanh' },
  { id: '784-128-64-10', sizes: [784, 128, 64, 10], hidden: 'relu' },
];

/** Samples in rows (row-major floats), their class indices and the same as one-hot rows. */
export interface Dataset {
  readonly x: Float32Array;
  readonly rows: number;
  readonly cols: number;
  readonly labels: Uint8Array;
  readonly oneHot: Float32Array;
  readonly classes: number;
}

/** Hyper-parameters shared by every trainer in one case. */
export interface TrainOptions {
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;
}

/** A model being trained on one data set, one epoch at a time. */
export interface Trainer {
  /** One pass over the training set (shuffled by the library where it can). */
  epoch(): Promise<void>;
  /** Fraction of `test` classified correctly by argmax. */
  accuracy(test: Dataset): number;
  /** Release library resources (tensors); the trainer is unusable afterwards. */
  dispose(): void;
}

/** A GEMM case: C (m×n) = op(A)·op(B); A is stored k×m when `transA`, B is stored n×k when `transB`. */
export interface GemmCase {
  readonly label: string;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transA: boolean;
  readonly transB: boolean;
}

/** Work set up once and then run many times by the timer. */
export interface Prepared {
  /**
   * Do the work once, forcing completion (data read back where the library is lazy). A peer
   * whose API is asynchronous (ONNX Runtime's `session.run`) returns its promise, which the
   * timer awaits; synchronous work is timed in a plain loop.
   */
  run(): void | Promise<void>;
  /** The output of the last {@link Prepared.run}, as floats. */
  output(): Float32Array;
  dispose(): void;
}

/** The kernel-level operations compared directly. */
export interface KernelSet {
  gemm(c: GemmCase, a: Float32Array, b: Float32Array): Prepared;
  /** `y = relu(x)` or `y = tanh(x)` elementwise. */
  unary(op: 'relu' | 'tanh', x: Float32Array): Prepared;
  /** Row-wise softmax of a rows×cols matrix. */
  softmax(x: Float32Array, rows: number, cols: number): Prepared;
}

/** One contender. */
export interface Peer {
  /** Short id used in tables (`simdnet`, `simdnet-js`, `tfjs-wasm` …). */
  readonly id: string;
  /** Package and version that ran. */
  readonly library: string;
  /** Facts about the setup that a reader needs (build, threads, substitutions). */
  readonly notes: string[];
  /** Make this peer's runtime current; called before every timed turn. */
  activate(): Promise<void>;
  /** Build a model for `spec` with the suite's initialisation and optimiser. */
  trainer?(spec: ModelSpec, train: Dataset, options: TrainOptions): Promise<Trainer>;
  /** A learning rate of its own, when the suite's diverges with the peer's update rule (said in the row). */
  readonly learningRate?: number;
  /** When the peer ignores the batch size (online updates), say so; it is then trained once per model. */
  readonly fixedBatch?: string;
  /** A forward pass of a freshly initialised `spec` over the `rows` rows of `x`. */
  forward?(spec: ModelSpec, x: Float32Array, rows: number, seed: number): Promise<Prepared>;
  /** Its forward pass runs simdnet's own network (same seed, exported), so its output is checked against simdnet's. */
  readonly simdnetWeights?: boolean;
  readonly kernels?: KernelSet;
}

/** Index of the largest of `n` values starting at `start`. */
export function argmax(values: ArrayLike<number>, start: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (values[start + j]! > values[start + best]!) best = j;
  return best;
}

/** Fraction of rows of a rows×k score matrix whose argmax equals the label. */
export function accuracyOf(scores: ArrayLike<number>, labels: Uint8Array, k: number): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (argmax(scores, i * k, k) === labels[i]) correct++;
  return correct / labels.length;
}

/**
 * Floating-point operations of one training sample through the GEMMs of an MLP: forward
 * (2·in·out per layer), the weight gradients (2·in·out) and the input gradients of every layer
 * but the first (nobody needs the gradient of the data). Elementwise work is not counted, so
 * samples/s × this is the effective GEMM rate of a training step.
 */
export function trainingFlopsPerSample(sizes: readonly number[]): number {
  let flops = 0;
  for (let l = 1; l < sizes.length; l++) flops += (l === 1 ? 4 : 6) * sizes[l - 1]! * sizes[l]!;
  return flops;
}
