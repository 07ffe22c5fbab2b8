/**
 * Argument checks for the public API: each returns the value when it is acceptable and
 * otherwise throws a RangeError that names the argument and says what it got.
 */

/** Throw a RangeError naming `where` unless `value` is a positive integer. */
export function checkPositiveInt(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${where} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** Throw a RangeError naming `where` unless `value` is a finite number in [min, max]. */
export function checkNumber(value: unknown, where: string, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const range = min === -Infinity && max === Infinity ? 'a finite number' : `a number in [${min}, ${max}]`;
    throw new RangeError(`${where} must be ${range}, got ${String(value)}`);
  }
  return value;
}
