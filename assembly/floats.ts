// Bulk moves of f32 runs shared by the convolution and pooling kernels (not part of the ABI:
// assembly/index.ts does not re-export this file). f32x4 body, scalar tail; the scalar build
// takes the tail loop only, so both builds touch the same elements in the same order.

/** n floats of 0 at dst. */
// @ts-ignore: decorator
@inline export function fillZero(dst: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const z = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), z);
  }
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), 0);
}

/** Copy n floats from src to dst (no overlap). */
// @ts-ignore: decorator
@inline export function copyFloats(dst: usize, src: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(dst + o, v128.load(src + o));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(src + o));
  }
}

/** dst[i] += src[i] for n floats (no overlap). */
// @ts-ignore: decorator
@inline export function addFloats(dst: usize, src: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

/**
 * acc + a·b per lane: fused (f32x4.relaxed_madd, which the engine may or may not fuse: one
 * rounding instead of two) in the relaxed build, rounded twice in the others. Results then
 * differ from the SIMD build by rounding only, but stay the same across thread counts, tile
 * positions and chunks on one machine, since every element goes through the same sequence.
 * The GEMM micro-kernels' k loop and the direct convolution's forward use it.
 */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}
