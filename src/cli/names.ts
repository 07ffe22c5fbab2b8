/**
 * Option parsers for names the library defines (activations, losses, initializers,
 * optimizers): the library's own resolvers decide, so aliases work the same everywhere.
 */
import { InvalidArgumentError } from 'commander';
import {
  ACTIVATION_NAMES, INITIALIZER_NAMES, LOSS_NAMES, OPTIMIZER_NAMES, resolveOptimizerName,
  type ActivationName, type InitializerName, type LossName, type OptimizerName,
} from '../node.js';
import { resolveActivation } from '../nn/activations.js';
import { resolveInitializer } from '../nn/initializers.js';
import { resolveLoss } from '../nn/losses.js';

function byResolver<T>(resolve: (value: string) => T, names: readonly string[]): (value: string) => T {
  return (value) => {
    try {
      return resolve(value);
    } catch (err) {
      // Resolvers reject unknown names with a TypeError; anything else is a bug, not bad input.
      if (!(err instanceof TypeError)) throw err;
      throw new InvalidArgumentError(`expected one of ${names.join(', ')}.`);
    }
  };
}

/** `--activation`, `--output-activation`. */
export const activationName = byResolver<ActivationName>((v) => resolveActivation(v).name, ACTIVATION_NAMES);
/** `--loss`. */
export const lossName = byResolver<LossName>((v) => resolveLoss(v), LOSS_NAMES);
/** `--initializer`. */
export const initializerName = byResolver<InitializerName>((v) => resolveInitializer(v), INITIALIZER_NAMES);
/** `--optimizer`. */
export const optimizerName = byResolver<OptimizerName>((v) => resolveOptimizerName(v), OPTIMIZER_NAMES);
