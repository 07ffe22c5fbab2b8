/**
 * The one argmax: the index of the largest of `n` values starting at `start` (the first
 * one on ties), used for predicted classes, one-hot targets and accuracy.
 */
export function argmax(values: ArrayLike<number>, start: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (values[start + j]! > values[start + best]!) best = j;
  return best;
}
