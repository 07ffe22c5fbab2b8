/**
 * Learning-rate schedules: functions from the update count (0 for the first update) to a rate.
 */
import { checkNumber, checkPositiveInt } from '../util/check.js';

/** A learning rate as a function of the number of updates done so far. */
export type LearningRateSchedule = (step: number) => number;

/** A constant rate or a schedule. */
export type LearningRate = number | LearningRateSchedule;

/** `initial · factor^floor(step / every)`: drop by `factor` every `every` updates. */
export function stepDecay(initial: number, factor: number, every: number): LearningRateSchedule {
  checkNumber(initial, 'stepDecay initial', 0);
  checkNumber(factor, 'stepDecay factor', 0, 1);
  checkPositiveInt(every, 'stepDecay every');
  return (step) => initial * factor ** Math.floor(step / every);
}

/** `initial · rate^(step / steps)`: smooth exponential decay, `rate` per `steps` updates. */
export function exponentialDecay(initial: number, rate: number, steps: number): LearningRateSchedule {
  checkNumber(initial, 'exponentialDecay initial', 0);
  checkNumber(rate, 'exponentialDecay rate', 0, 1);
  checkPositiveInt(steps, 'exponentialDecay steps');
  return (step) => initial * rate ** (step / steps);
}

/** Cosine from `initial` down to `minimum` over `total` updates, then flat at `minimum`. */
export function cosineDecay(initial: number, total: number, minimum = 0): LearningRateSchedule {
  checkNumber(initial, 'cosineDecay initial', 0);
  checkPositiveInt(total, 'cosineDecay total');
  checkNumber(minimum, 'cosineDecay minimum', 0, initial);
  return (step) => minimum + 0.5 * (initial - minimum) * (1 + Math.cos(Math.PI * Math.min(step, total) / total));
}

/** The rate at `step` for a constant or scheduled learning rate. */
export function rateAt(lr: LearningRate, step: number): number {
  return typeof lr === 'number' ? lr : lr(step);
}
