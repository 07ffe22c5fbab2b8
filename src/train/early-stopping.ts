/**
 * Early stopping: watch one metric per epoch, remember the best weights, stop after
 * `patience` epochs without improvement.
 */
import type { Sequential } from '../nn/network.js';
import { checkNumber } from '../util/check.js';
import { modelStateOf, restoreModelState } from './model-state.js';
import type { EarlyStoppingOptions, EpochLog } from './types.js';

/** What early stopping has seen so far, for checkpoints. */
export interface EarlyStoppingState {
  /** The best monitored value so far, negated for metrics that grow; null before any epoch. */
  best: number | null;
  bestEpoch: number;
  waited: number;
  /** The best epoch's parameter arrays, then its model-state arrays. */
  bestWeights?: Float32Array[];
}

/** Tracks the best epoch of a run. */
export class EarlyStopping {
  private readonly monitor: NonNullable<EarlyStoppingOptions['monitor']>;
  private readonly patience: number;
  private readonly minDelta: number;
  private readonly restore: boolean;
  private best = Infinity;
  private bestEpoch = 0;
  private bestWeights: Float32Array[] | undefined;
  private waited = 0;

  constructor(options: EarlyStoppingOptions, hasValidation: boolean) {
    this.monitor = options.monitor ?? (hasValidation ? 'valLoss' : 'loss');
    if (this.monitor.startsWith('val') && !hasValidation) {
      throw new RangeError(`earlyStopping: monitor '${this.monitor}' needs validationData or validationSplit`);
    }
    this.patience = checkNumber(options.patience ?? 5, 'earlyStopping: patience', 0);
    this.minDelta = checkNumber(options.minDelta ?? 0, 'earlyStopping: minDelta', 0);
    this.restore = options.restoreBestWeights ?? true;
  }

  /** Record an epoch; true when training should stop. */
  update(net: Sequential, log: EpochLog): boolean {
    const raw = log[this.monitor];
    if (raw === undefined) return false;
    // Minimise losses, maximise accuracies and R², by comparing them negated.
    const value = /ccuracy|R2|r2/.test(this.monitor) ? -raw : raw;
    if (value < this.best - this.minDelta) {
      this.best = value;
      this.bestEpoch = log.epoch;
      this.waited = 0;
      // With the model state (batch norm's running statistics), which belongs to those weights.
      if (this.restore) this.bestWeights = [...net.getWeights(), ...modelStateOf(net)];
      return false;
    }
    this.waited++;
    return this.waited > this.patience;
  }

  /** The record so far, to continue with {@link EarlyStopping.setState}. */
  getState(): EarlyStoppingState {
    const state: EarlyStoppingState = { best: Number.isFinite(this.best) ? this.best : null, bestEpoch: this.bestEpoch, waited: this.waited };
    if (this.bestWeights) state.bestWeights = this.bestWeights.map((w) => w.slice());
    return state;
  }

  /** Continue from a record taken with {@link EarlyStopping.getState}. */
  setState(state: EarlyStoppingState): void {
    this.best = state.best ?? Infinity;
    this.bestEpoch = state.bestEpoch;
    this.waited = state.waited;
    this.bestWeights = state.bestWeights?.map((w) => w.slice());
  }

  /** Restore the best weights if asked to and they differ from the last epoch; returns that epoch. */
  finish(net: Sequential): number | undefined {
    if (!this.restore || !this.bestWeights) return undefined;
    const params = net.params.length;
    net.setWeights(this.bestWeights.slice(0, params));
    restoreModelState(net, this.bestWeights.slice(params));
    return this.bestEpoch;
  }
}
