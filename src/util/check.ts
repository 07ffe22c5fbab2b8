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

/**
 * Throw a TypeError naming `where` for an own key of `options` that is not in `known` (a
 * misspelt option would otherwise be ignored without a word), suggesting the nearest name.
 */
export function checkOptionKeys(options: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const near = known.map((name) => ({ name, d: editDistance(key.toLowerCase(), name.toLowerCase()) })).sort((a, b) => a.d - b.d)[0];
    const hint = near && near.d <= 2 ? `; did you mean "${near.name}"?` : `; expected ${known.join(', ')}`;
    throw new TypeError(`${where}: unknown option ${JSON.stringify(key)}${hint}`);
  }
}

/** Levenshtein distance, for suggestions in messages. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}
