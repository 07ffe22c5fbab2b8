/** Adam: momentum on the gradient and on its square, with bias correction. */
import type { Kernels } from '../backend/kernels.js';
import type { Param } from '../nn/layer.js';
import { checkNumber } from '../util/check.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import type { LearningRate } from './schedules.js';

/** Options for {@link Adam}. */
export interface AdamOptions {
  /** Step size (or a schedule). Default 0.001. */
  learningRate?: LearningRate;
  /** Decay of the first moment, in [0, 1). Default 0.9. */
  beta1?: number;
  /** Decay of the second moment, in [0, 1). Default 0.999. */
  beta2?: number;
  /** Added to √v̂. Default 1e-7. */
  epsilon?: number;
}

/** Kingma & Ba's Adam, one fused kernel per parameter array. */
export class Adam extends Optimizer {
  protected readonly stateArrays = 2;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(options: AdamOptions = {}) {
    super(options.learningRate ?? 0.001, 'Adam');
    this.beta1 = checkNumber(options.beta1 ?? 0.9, 'Adam: beta1', 0, 0.999999);
    this.beta2 = checkNumber(options.beta2 ?? 0.999, 'Adam: beta2', 0, 0.9999999);
    this.epsilon = checkNumber(options.epsilon ?? 1e-7, 'Adam: epsilon', 0);
  }

  protected update(k: Kernels, p: Param, [m, v]: readonly number[], lr: number, t: number): void {
    k.adam(p.value, p.grad, m!, v!, p.size, lr, this.beta1, this.beta2, this.epsilon, t);
  }

  toConfig(): OptimizerConfig {
    const lr = typeof this.learningRate === 'number' ? this.learningRate : 'schedule';
    return { name: 'adam', learningRate: lr, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
