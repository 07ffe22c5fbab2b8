/**
 * Deterministic splits of one kernel call into chunks with disjoint outputs. Each chunk is
 * the same kernel on a sub-range, so every output element goes through exactly the operations
 * it would in one call, in the same order: results do not depend on the number of chunks.
 *
 * - GEMM: panels of C. Rows when m ≥ n (each chunk packs all of B), else columns (each packs
 *   all of A), so the duplicated packing is the smaller share; always rows when B is packed
 *   ahead. Row boundaries are multiples of the 5-row micro-tile; column boundaries multiples of 8, which keeps the SIMD lanes of
 *   the fused activation aligned as in one call (its scalar tail stays the last n mod 4
 *   columns). The k loop, hence the summation order of each element, is untouched.
 * - Elementwise: element ranges whose boundaries are multiples of 16 floats, so the f32x4
 *   body and the scalar tail cover the same elements as in one call.
 * - Batched (im2col, col2im, pooling, batch-norm forward): ranges of images (or rows), which
 *   those kernels compute one at a time and independently of each other.
 * - By columns (batch-norm statistics and backward): ranges of channels whose boundaries are
 *   multiples of 4 (one f32x4); each channel's sums run over all rows in order, as in one call.
 * - By tap groups and filter groups (the direct convolution's filter gradient): ranges of the
 *   kernel's tap groups within one group of 8 filters (its lanes), each element summed over
 *   every output pixel in order, as in one call.
 */
import { filterGradTapGroups } from '../backend/tap-groups.js';

/** `[start, length)` pieces of `0…n`: `parts` of them at most, boundaries multiples of `align`. */
export function splitRange(n: number, parts: number, align: number): [number, number][] {
  const units = Math.ceil(n / align);
  const count = Math.max(1, Math.min(parts, units));
  const out: [number, number][] = [];
  let unit = 0;
  for (let i = 0; i < count; i++) {
    const take = Math.floor(units / count) + (i < units % count ? 1 : 0);
    const start = unit * align;
    const end = Math.min(n, (unit + take) * align);
    if (end > start) out.push([start, end - start]);
    unit += take;
  }
  return out;
}

/** Argument positions of `f32_gemm` (see assembly/gemm.ts). */
const G = { transA: 0, transB: 1, m: 2, n: 3, k: 4, a: 6, lda: 7, b: 8, ldb: 9, c: 11, ldc: 12, bias: 13, work: 16 } as const;

/** Rows of C per micro-tile and columns per micro-tile in assembly/gemm.ts. */
const MR = 5;
const NR = 8;

/** Argument index of the GEMM packing workspace (each thread substitutes its own). */
export const GEMM_WORK_ARG = G.work;

/** Argument positions of `f32_gemm_packed` (see assembly/gemm.ts). */
const P = { transA: 0, m: 1, a: 5, lda: 6, c: 9, ldc: 10, work: 14 } as const;

/** Argument index of the packed GEMM's workspace (each thread substitutes its own). */
export const GEMM_PACKED_WORK_ARG = P.work;

/**
 * Split the 15 `f32_gemm_packed` arguments into at most `parts` calls on row panels of C:
 * every chunk reads the one packed B (packed ahead, so nothing is packed twice), so rows are
 * always the cut, whatever the shape.
 */
export function splitGemmPacked(args: readonly number[], parts: number): number[][] {
  return splitRange(args[P.m]!, parts, MR).map(([start, length]) => {
    const chunk = [...args];
    chunk[P.m] = length;
    chunk[P.a] = args[P.a]! + 4 * (args[P.transA] ? start : start * args[P.lda]!);
    chunk[P.c] = args[P.c]! + 4 * start * args[P.ldc]!;
    return chunk;
  });
}

/** Split the 17 `f32_gemm` arguments into at most `parts` calls on panels of C. */
export function splitGemm(args: readonly number[], parts: number): number[][] {
  const m = args[G.m]!, n = args[G.n]!;
  const byRows = m >= n;
  const pieces = byRows ? splitRange(m, parts, MR) : splitRange(n, parts, NR);
  return pieces.map(([start, length]) => {
    const chunk = [...args];
    if (byRows) {
      chunk[G.m] = length;
      // A is m×k (row i at i·lda), or k×m with transA (row i is column i).
      chunk[G.a] = args[G.a]! + 4 * (args[G.transA] ? start : start * args[G.lda]!);
      chunk[G.c] = args[G.c]! + 4 * start * args[G.ldc]!;
    } else {
      chunk[G.n] = length;
      // B is k×n (column j at j), or n×k with transB (column j is row j).
      chunk[G.b] = args[G.b]! + 4 * (args[G.transB] ? start * args[G.ldb]! : start);
      chunk[G.c] = args[G.c]! + 4 * start;
      if (args[G.bias]) chunk[G.bias] = args[G.bias]! + 4 * start;
    }
    return chunk;
  });
}

/** Where an elementwise kernel keeps its pointers and its element count. */
export interface ElementwiseShape {
  /** Argument positions holding f32 pointers that advance with the elements. */
  readonly pointers: readonly number[];
  /** Argument position of the element count. */
  readonly count: number;
}

/**
 * Split an elementwise call into at most `parts` calls on element ranges whose boundaries are
 * multiples of `align` (16 floats; 4, one f32x4, for a split by columns).
 */
export function splitElementwise(args: readonly number[], shape: ElementwiseShape, parts: number, align = 16): number[][] {
  return splitRange(args[shape.count]!, parts, align).map(([start, length]) => {
    const chunk = [...args];
    for (const p of shape.pointers) chunk[p] = args[p]! + 4 * start;
    chunk[shape.count] = length;
    return chunk;
  });
}

/** Where a batched kernel keeps its batch count and how far each of its pointers moves per image. */
export interface BatchShape {
  /** Argument position of the batch count (images, or rows for batch-norm forward). */
  readonly batch: number;
  /** `[argument position, 4-byte elements per image]` of every pointer that moves with the batch. */
  readonly pointers: (args: readonly number[]) => readonly (readonly [number, number])[];
}

/** Split a batched call into at most `parts` calls on ranges of images. */
export function splitBatch(args: readonly number[], shape: BatchShape, parts: number): number[][] {
  const strides = shape.pointers(args);
  return splitRange(args[shape.batch]!, parts, 1).map(([start, length]) => {
    const chunk = [...args];
    for (const [p, elements] of strides) chunk[p] = args[p]! + 4 * start * elements;
    chunk[shape.batch] = length;
    return chunk;
  });
}

/** Filters per lane group of the direct convolution's kernels (assembly/conv.ts). */
export const FILTER_GROUP = 8;

/**
 * Split the 17 arguments of {@link Kernels.conv2dFilterGrad} into argument lists of its export,
 * `f32_conv2d_nhwc_filter_grad`, which takes a filter range [j0, j1) and a tap group range
 * [g0, g1) before dw. The work is the kernel's passes, (filter group, tap group) units in
 * group-major order (see {@link filterGradTapGroups}), cut into at most `parts` runs of about
 * equal taps between units; a run that crosses a filter group's end becomes one list per group,
 * so there may be a few more lists than parts. The list that starts a group's taps also computes
 * that group's db.
 */
export function splitFilterGrad(args: readonly number[], parts: number): number[][] {
  const [x, batch, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow, dz, filters, dw, db] = args as number[];
  const taps = kh! * kw! * c!;
  const tapGroups = filterGradTapGroups(kh!, kw! * c!);
  const filterGroups = Math.ceil(filters! / FILTER_GROUP);
  const total = filterGroups * taps;
  const out: number[][] = [];
  let done = 0, part = 0;
  for (let g = 0; g < filterGroups; g++) {
    const j0 = g * FILTER_GROUP, j1 = Math.min(filters!, j0 + FILTER_GROUP);
    let g0 = 0;
    for (let group = 0; group < tapGroups.length; group++) {
      done += tapGroups[group]!.length;
      // Close the list where the taps so far reach the next part's share of the total, and at the group's end.
      const cut = done * parts >= (part + 1) * total;
      if (cut || group === tapGroups.length - 1) {
        out.push([x!, batch!, h!, w!, c!, kh!, kw!, sh!, sw!, pt!, pl!, oh!, ow!, dz!, filters!, j0, j1, g0, group + 1, dw!, g0 === 0 ? db! : 0]);
        g0 = group + 1;
        while (done * parts >= (part + 1) * total) part++;
      }
    }
  }
  return out;
}
