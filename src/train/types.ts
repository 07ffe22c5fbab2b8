/**
 * What training reports: per-epoch logs, per-update cost samples, callbacks.
 */

/** Metrics after one epoch. */
export interface EpochLog {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean training loss over the epoch's batches (including the L2 term, if any). */
  loss: number;
  /** Classification: training accuracy measured on the batches as they were trained. */
  accuracy?: number;
  /** Validation loss, when validation data was given. */
  valLoss?: number;
  /** Classification: validation accuracy, when validation data was given. */
  valAccuracy?: number;
  /** Regression: training root-mean-square error, measured on the batches as they were trained. */
  rmse?: number;
  /** Regression: training mean absolute error, likewise. */
  mae?: number;
  /** Regression: training R², likewise. */
  r2?: number;
  /** Regression: validation RMSE, MAE and R², when validation data was given. */
  valRmse?: number;
  valMae?: number;
  valR2?: number;
  /** Learning rate used by the epoch's last update. */
  learningRate: number;
  /** Wall-clock seconds for the epoch (training only). */
  seconds: number;
  /** Training samples per second in this epoch. */
  samplesPerSecond: number;
}

/** State after one batch, passed to {@link Callbacks.onBatchEnd}. */
export interface BatchLog {
  epoch: number;
  /** 0-based batch index within the epoch. */
  batch: number;
  /** Batches per epoch. */
  batches: number;
  /** Updates applied so far in this run. */
  step: number;
  /** Mean loss of this batch. */
  loss: number;
  /** Samples in this batch. */
  size: number;
}

/** The record of a {@link fit} run. */
export interface History {
  epochs: EpochLog[];
  /**
   * Cost sampled every `costEvery` updates (the seeds' "cost after iteration i"); by default
   * every update, thinned to every 2nd, 4th … past 8,192 samples so a long run stays bounded.
   */
  costs: { step: number; loss: number }[];
  /** Updates applied. */
  steps: number;
  /** Why training ended. */
  stopReason: 'completed' | 'earlyStopping' | 'aborted' | 'callback';
  /** Epoch (1-based) whose weights the network holds at the end when early stopping restored them. */
  restoredEpoch?: number;
  /** Wall-clock seconds of the whole run. */
  seconds: number;
}

/** Hooks called during training; returning `false` (or a promise of it) stops training. */
export interface Callbacks {
  onBatchEnd?(log: BatchLog): void | boolean | Promise<void | boolean>;
  onEpochEnd?(log: EpochLog): void | boolean | Promise<void | boolean>;
}

/** Stop when a monitored metric stops improving. */
export interface EarlyStoppingOptions {
  /** Metric to watch. Default `'valLoss'` when validation data exists, else `'loss'`. */
  monitor?: 'loss' | 'accuracy' | 'valLoss' | 'valAccuracy' | 'r2' | 'valR2';
  /** Epochs without improvement before stopping. Default 5. */
  patience?: number;
  /** Smallest change that counts as improvement. Default 0. */
  minDelta?: number;
  /** Put back the best epoch's weights when stopping. Default true. */
  restoreBestWeights?: boolean;
}

/** Raised when the loss or a gradient becomes NaN or infinite; the failing update is not applied. */
export class NonFiniteError extends Error {
  constructor(
    readonly epoch: number,
    readonly batch: number,
    readonly step: number,
    readonly what: string,
  ) {
    super(`training diverged: ${what} at epoch ${epoch}, batch ${batch} (update ${step}); the weights are those before this update — try a smaller learning rate`);
    this.name = 'NonFiniteError';
  }
}
