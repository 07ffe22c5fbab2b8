/** RMSprop: scale each step by a running root-mean-square of the gradient. */
import type { Kernels } from '../backend/kernels.js';
import type { Param } from '../nn/layer.js';
import { checkNumber } from '../util/check.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import type { LearningRate } from './schedules.js';

/** Options for {@link RMSprop}. */
export interface RMSpropOptions {
  /** Step size (or a schedule). Default 0.001. */
  learningRate?: LearningRate;
  /** Decay ρ of the squared-gradient average, in [0, 1). Default 0.9. */
  rho?: number;
  /** Added to the root mean square to avoid division by zero. Default 1e-7. */
  epsilon?: number;
}

/** `s = ρ·s + (1−ρ)·g²; w −= lr·g / (√s + ε)`. */
export class RMSprop extends Optimizer {
  protected readonly stateArrays = 1;
  readonly rho: number;
  readonly epsilon: number;

  constructor(options: RMSpropOptions = {}) {
    super(options.learningRate ?? 0.001, 'RMSprop');
    this.rho = checkNumber(options.rho ?? 0.9, 'RMSprop: rho', 0, 0.999999);
    this.epsilon = checkNumber(options.epsilon ?? 1e-7, 'RMSprop: epsilon', 0);
  }

  protected update(k: Kernels, p: Param, [s]: readonly number[], lr: number): void {
    k.rmsprop(p.value, p.grad, s!, p.size, lr, this.rho, this.epsilon);
  }

  toConfig(): OptimizerConfig {
    const lr = typeof this.learningRate === 'number' ? this.learningRate : 'schedule';
    return { name: 'rmsprop', learningRate: lr, rho: this.rho, epsilon: this.epsilon };
  }
}
