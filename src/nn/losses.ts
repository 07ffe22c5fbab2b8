/**
 * Losses. Cross-entropies are fused with their output activation (sigmoid, softmax): the
 * kernel reads the logits and writes the probabilities and dL/dz = (a − y)/m in one pass,
 * which is both the seeds' derivation and the numerically stable form. The regression losses
 * (mean squared error, Huber) read the activation output and work after any activation.
 */
import type { Kernels } from '../backend/kernels.js';
import type { ResolvedActivation } from './activations.js';
import { nameTable } from '../util/names.js';

/**
 * Loss names. `huber` is the Huber loss with δ = {@link HUBER_DELTA}: per element ½d² for
 * |d| ≤ δ and δ(|d| − ½δ) beyond (d = prediction − target), averaged over a row's columns as
 * `meanSquaredError` is. It behaves like MSE on small residuals and like the absolute error
 * on large ones, so a few outliers pull the fit far less. Smooth L1 with β = 1 is the same
 * loss, hence its aliases.
 */
export type LossName = 'binaryCrossEntropy' | 'categoricalCrossEntropy' | 'meanSquaredError' | 'huber';

/**
 * The Huber loss's threshold δ, fixed at 1 (the default of Keras' `Huber` and PyTorch's
 * `HuberLoss`). With targets in standard units (standardized to mean 0, variance 1), δ = 1
 * is one standard deviation: residuals beyond it count linearly, not quadratically.
 */
export const HUBER_DELTA = 1;

const LOSSES = nameTable<LossName>('loss', ['binaryCrossEntropy', 'categoricalCrossEntropy', 'meanSquaredError', 'huber'], {
  bce: 'binaryCrossEntropy', 'binary-cross-entropy': 'binaryCrossEntropy', binary_crossentropy: 'binaryCrossEntropy',
  cce: 'categoricalCrossEntropy', crossEntropy: 'categoricalCrossEntropy', 'cross-entropy': 'categoricalCrossEntropy',
  'categorical-cross-entropy': 'categoricalCrossEntropy', categorical_crossentropy: 'categoricalCrossEntropy',
  mse: 'meanSquaredError', 'mean-squared-error': 'meanSquaredError', mean_squared_error: 'meanSquaredError',
  'huber-loss': 'huber', huber_loss: 'huber', smoothL1: 'huber', 'smooth-l1': 'huber', smooth_l1: 'huber',
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
  return loss !== 'meanSquaredError' && loss !== 'huber';
}

/**
 * Evaluate `loss` on a rows×cols block. For fused losses `input` holds logits, `probs`
 * receives the activation output and `grad` receives dL/dz; for MSE and Huber `input` holds
 * the activation output and `grad` receives dL/da. Pass 0 for `grad` to skip it. Returns the
 * summed (not averaged) per-row loss; MSE's and Huber's per-row loss is the mean over the row.
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
    case 'huber':
      return k.huberError(input, y, grad, rows * cols, HUBER_DELTA, gradScale / cols) / cols;
  }
}
