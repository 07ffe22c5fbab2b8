/**
 * Optimizers by name, for configuration files and the command line.
 */
import { Adam } from './adam.js';
import { Momentum } from './momentum.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import type { LearningRate } from './schedules.js';
import { SGD } from './sgd.js';
import { nameTable } from '../util/names.js';

export { Optimizer, type OptimizerConfig } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Momentum, type MomentumOptions } from './momentum.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Adam, type AdamOptions } from './adam.js';
export * from './schedules.js';

/** Optimizer names accepted by {@link createOptimizer}. */
export type OptimizerName = 'sgd' | 'momentum' | 'nesterov' | 'rmsprop' | 'adam';

// 'gd' is the seeds' plain gradient descent, which is SGD.
const OPTIMIZERS = nameTable<OptimizerName>('optimizer', ['sgd', 'momentum', 'nesterov', 'rmsprop', 'adam'], { gd: 'sgd' });

/** Every optimizer name. */
export const OPTIMIZER_NAMES: readonly OptimizerName[] = OPTIMIZERS.names;

/** Check an optimizer name from user input (`'gd'` means `'sgd'`); throws a TypeError otherwise. */
export function resolveOptimizerName(name: string, where = 'optimizer'): OptimizerName {
  return OPTIMIZERS.resolve(name, where);
}

/** An optimizer from its name with default hyper-parameters and the given rate. */
export function createOptimizer(name: string, learningRate?: LearningRate): Optimizer {
  const lr = learningRate === undefined ? {} : { learningRate };
  switch (resolveOptimizerName(name)) {
    case 'sgd': return new SGD(lr);
    case 'momentum': return new Momentum(lr);
    case 'nesterov': return new Momentum({ ...lr, nesterov: true });
    case 'rmsprop': return new RMSprop(lr);
    case 'adam': return new Adam(lr);
  }
}
