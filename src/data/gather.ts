/**
 * The one row gather: copy whole rows of a row-major block, in a given order, into another
 * block. Batching, row selection and staging into the WASM heap all use it.
 */

/**
 * Copy rows `order[from] … order[from + count − 1]` of `src` (rows of `width` values) to
 * consecutive rows of `dst` starting at element `dstStart`. Indices are trusted: callers
 * check them once, not per row.
 */
export function gatherRows(
  src: ArrayLike<number>, width: number, order: ArrayLike<number>, from: number, count: number,
  dst: Float32Array, dstStart: number,
): void {
  // Plain loops: a subarray()+set() per row would allocate a view object per row.
  for (let i = 0; i < count; i++) {
    let s = order[from + i]! * width;
    let d = dstStart + i * width;
    for (const end = d + width; d < end; ) dst[d++] = src[s++]!;
  }
}
