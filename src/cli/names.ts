/**
 * Option parsers for names the library defines (activations, losses, initializers,
 * optimizers): the library's own resolvers decide, so aliases work the same everywhere.
 */
import { InvalidArgumentError } from 'commander';
import {
  ACTIVATION_NAMES, INITIALIZER_NAMES, LOSS_NAMES, OPTIMIZER_NAMES, createOptimizer,
  type ActivationName, type InitializerName, type OptimizerName,
} from '../node.js';
import { resolveActivation } from '../nn/activations.js';
import { resolveInitializer } from '../nn/initializers.js';
import { resolveLoss } from '../nn/losses.js';

function byResolver<T>(resolve: (value: string) => T, names: readonly string[]): (value: string) => T {
  return (value) => {
    try {
      return resolve(value);
    } catch {
      throw new InvalidArgumentError(`expected one of ${names.join(', ')}.`);
    }
  };
}

/** `--activation`, `--output-activation`. */
export const activationName = byResolver<ActivationName>((v) => resolveActivation(v).name, ACTIVATION_NAMES);
/** `--loss`. */
export const lossName = byResolver<string>((v) => resolveLoss(v), LOSS_NAMES);
/** `--init`. */
export const initializerName = byResolver<InitializerName>((v) => resolveInitializer(v), INITIALIZER_NAMES);
/** `--optimizer`. */
export const optimizerName = byResolver<OptimizerName>((v) => {
  createOptimizer(v);
  return (v === 'gd' ? 'sgd' : v) as OptimizerName;
}, OPTIMIZER_NAMES);
