/** Gradient descent with (optionally Nesterov) momentum. */
import type { Kernels } from '../backend/kernels.js';
import type { Param } from '../nn/layer.js';
import { checkNumber } from '../util/check.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import type { LearningRate } from './schedules.js';

/** Options for {@link Momentum}. */
export interface MomentumOptions {
  /** Step size (or a schedule). Default 0.01. */
  learningRate?: LearningRate;
  /** Velocity decay μ in [0, 1). Default 0.9. */
  momentum?: number;
  /** Use Nesterov's look-ahead form. Default false. */
  nesterov?: boolean;
}

/** `v = μ·v + g; w −= lr·v` (Nesterov: `w −= lr·(g + μ·v)`). */
export class Momentum extends Optimizer {
  protected readonly stateArrays = 1;
  /** Velocity decay μ. */
  readonly momentum: number;
  /** Nesterov's variant. */
  readonly nesterov: boolean;

  constructor(options: MomentumOptions = {}) {
    super(options.learningRate ?? 0.01, 'Momentum');
    this.momentum = checkNumber(options.momentum ?? 0.9, 'Momentum: momentum', 0, 0.999999);
    this.nesterov = options.nesterov ?? false;
  }

  protected update(k: Kernels, p: Param, [v]: readonly number[], lr: number): void {
    k.momentum(p.value, p.grad, v!, p.size, lr, this.momentum, this.nesterov);
  }

  toConfig(): OptimizerConfig {
    const lr = typeof this.learningRate === 'number' ? this.learningRate : 'schedule';
    return { name: 'momentum', learningRate: lr, momentum: this.momentum, nesterov: this.nesterov };
  }
}
