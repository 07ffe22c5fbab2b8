/**
 * Shape helpers: formatting for messages, sizes and shape checks.
 */

/** A tensor shape: non-negative integer extents, row-major. */
export type Shape = readonly number[];

/** Format a shape the way error messages show it: `[128, 784]`. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Number of elements of `shape`. */
export function shapeSize(shape: Shape): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/** Throw a RangeError naming `where` unless every extent is a non-negative integer. */
export function checkShape(shape: Shape, where: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`${where}: invalid shape ${formatShape(shape)}`);
  }
}

/** Throw a RangeError naming `op` and both shapes unless they are equal. */
export function checkSameShape(op: string, a: Shape, b: Shape): void {
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new RangeError(`${op}: shapes ${formatShape(a)} and ${formatShape(b)} differ`);
  }
}
