/** Plain gradient descent, exactly the seeds' `W := W − α·dW`. */
import type { Kernels } from '../backend/kernels.js';
import type { Param } from '../nn/layer.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import type { LearningRate } from './schedules.js';

/** Options for {@link SGD}. */
export interface SGDOptions {
  /** Step size α (or a schedule). Default 0.01. */
  learningRate?: LearningRate;
}

/** Stochastic (or full-batch) gradient descent. */
export class SGD extends Optimizer {
  protected readonly stateArrays = 0;

  constructor(options: SGDOptions = {}) {
    super(options.learningRate ?? 0.01, 'SGD');
  }

  protected update(k: Kernels, p: Param, _state: readonly number[], lr: number): void {
    k.sgd(p.value, p.grad, p.size, lr);
  }

  toConfig(): OptimizerConfig {
    return { name: 'sgd', learningRate: typeof this.learningRate === 'number' ? this.learningRate : 'schedule' };
  }
}
