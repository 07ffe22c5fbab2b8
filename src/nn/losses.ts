/**
 * Losses. Cross-entropies are fused with their output activation (sigmoid, softmax): the
 * kernel reads the logits and writes the probabilities and dL/dz = (a − y)/m in one pass,
 * which is both the seeds' derivation and the numerically stable form.
 */
import type { Kernels } from '../backend/kernels.js';
import type { ResolvedActivation } from './activations.js';
import { nameTable } from '../util/names.js';

/** Loss names. */
export type LossName = 'binaryCrossEntropy' | 'categoricalCrossEntropy' | 'meanSquaredError';

const LOSSES = nameTable<LossName>('loss', ['binaryCrossEntropy', 'categoricalCrossEntropy', 'meanSquaredError'], {
  bce: 'binaryCrossEntropy', 'binary-cross-entropy': 'binaryCrossEntropy', binary_crossentropy: 'binaryCrossEntropy',
  cce: 'categoricalCrossEntropy', crossEntropy: 'categoricalCrossEntropy', 'cross-entropy': 'categoricalCrossEntropy',
  'categorical-cross-entropy': 'categoricalCrossEntropy', categorical_crossentropy: 'categoricalCrossEntropy',
  mse: 'meanSquaredError', 'mean-squared-error': 'meanSquaredError', mean_squared_error: 'meanSquaredError',
});

/** Every loss name. */
export const LOSS_NAMES: readonly LossName[] = LOSSES.names;

/** Check a loss name from user input, accepting common aliases; throws a TypeError otherwise. */
export function resolveLoss(name: string, where = 'loss'): LossName {
  return LOSSES.resolve(name, where);
}

/** The loss that goes with an output activation when the user names none. */
export function defaultLoss(output: ResolvedActivation): LossName {
  if (output.name === 'softmax') return 'categoricalCrossEntropy';
  if (output.name === 'sigmoid') return 'binaryCrossEntropy';
  return 'meanSquaredError';
}

/** Throw unless `loss` can train an output layer with activation `output`. */
export function checkLossActivation(loss: LossName, output: ResolvedActivation): void {
  if (loss === 'binaryCrossEntropy' && output.name !== 'sigmoid') {
    throw new TypeError(`loss binaryCrossEntropy needs a sigmoid output layer, but the output activation is ${output.name}`);
  }
  if (loss === 'categoricalCrossEntropy' && output.name !== 'softmax') {
    throw new TypeError(`loss categoricalCrossEntropy needs a softmax output layer, but the output activation is ${output.name}`);
  }
}

/** True when the loss kernel consumes logits and yields dL/dz directly. */
export function isFused(loss: LossName): boolean {
  return loss !== 'meanSquaredError';
}

/**
 * Evaluate `loss` on a rows×cols block. For fused losses `input` holds logits, `probs`
 * receives the activation output and `grad` receives dL/dz; for MSE `input` holds the
 * activation output and `grad` receives dL/da. Pass 0 for `grad` to skip it. Returns the
 * summed (not averaged) per-row loss; MSE's per-row loss is the mean over the row.
 */
export function evaluateLoss(
  k: Kernels, loss: LossName, input: number, y: number, probs: number, grad: number,
  rows: number, cols: number, gradScale: number,
): number {
  switch (loss) {
    case 'categoricalCrossEntropy':
      return k.softmaxCrossEntropy(input, y, probs, grad, rows, cols, gradScale);
    case 'binaryCrossEntropy':
      return k.sigmoidBinaryCrossEntropy(input, y, probs, grad, rows * cols, gradScale);
    case 'meanSquaredError':
      return k.squaredError(input, y, grad, rows * cols, gradScale / cols) / cols;
  }
}
