/**
 * Parsers for option values. Each throws commander's InvalidArgumentError, which commander
 * reports as `option '--x <v>' argument '…' is invalid. <why>` and which exits with code 2.
 */
import { InvalidArgumentError } from 'commander';
import { nameTable } from '../util/names.js';

/** An integer ≥ `min`. */
export function intAtLeast(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^[+-]?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`expected an integer ≥ ${min}.`);
    }
    return n;
  };
}

/** Any integer (seeds). */
export function integer(value: string): number {
  const n = Number(value);
  if (!/^[+-]?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected an integer.');
  return n;
}

/** A finite number > 0. */
export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number > 0.');
  return n;
}

/** A batch size: a positive integer or `full` (every row in one update). */
export function batchSize(value: string): number | 'full' {
  if (value === 'full') return 'full';
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1) throw new InvalidArgumentError('expected a positive integer or "full".');
  return n;
}

/** `--checkpoint`'s optional value: updates between checkpoints, or "epoch". */
export function checkpointEvery(value: string): number | 'epoch' {
  if (value === 'epoch') return 'epoch';
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1) throw new InvalidArgumentError('expected a positive number of updates or "epoch".');
  return n;
}

/** Comma-separated layer sizes such as `784,128,64,10`. */
export function layerSizes(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  const sizes = parts.map(Number);
  if (parts.length < 2 || parts.some((p) => !/^\d+$/.test(p)) || sizes.some((n) => n < 1)) {
    throw new InvalidArgumentError('expected at least two comma-separated positive integers, e.g. 784,128,10.');
  }
  return sizes;
}

/** One of a fixed list of names, accepting aliases that map to canonical names. */
export function oneOf<T extends string>(names: readonly T[], aliases: Readonly<Record<string, T>> = {}): (value: string) => T {
  const table = nameTable('name', names, aliases);
  return (value) => {
    const name = table.lookup(value);
    if (name === undefined) throw new InvalidArgumentError(`expected one of ${names.join(', ')}.`);
    return name;
  };
}

/** A finite number ≥ 0. */
export function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number ≥ 0.');
  return n;
}

/** A number in [0, 1). */
export function fraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n < 1)) throw new InvalidArgumentError('expected a number in [0, 1).');
  return n;
}

/**
 * Comma-separated CSV columns, each a header name or a 0-based index (negative counts from the
 * end): `price`, `2`, `y1,y2`. A name cannot hold a comma.
 */
export function columnList(value: string): (string | number)[] {
  const parts = value.split(',').map((s) => s.trim());
  if (parts.some((p) => p === '')) throw new InvalidArgumentError('expected comma-separated column names or 0-based indices, e.g. price or y1,y2.');
  return parts.map((p) => (/^-?\d+$/.test(p) ? Number(p) : p));
}
