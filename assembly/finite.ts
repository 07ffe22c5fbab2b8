// The finite scan: where the first NaN or ±Infinity sits in an f32 array. predict copies a
// caller's samples into the heap and scans the copy here, instead of scanning them in
// JavaScript first (several times slower), before any kernel reads them.

/** Magnitude bits of an f32 (the sign cleared). */
const MAGNITUDE: u32 = 0x7fffffff;
/** Magnitude bits of +Infinity: every NaN or infinity has magnitude bits at least this. */
const INFINITY_BITS: u32 = 0x7f800000;

/**
 * Index of the first NaN, +Infinity or −Infinity among the `n` f32 values at `x` (a byte
 * offset, 4-byte aligned; any n ≥ 0, no tile multiple needed); `n` when every value is
 * finite. Reads only x[0 … n), writes nothing, never allocates.
 *
 * A value is non-finite exactly when its magnitude bits (sign cleared) reach those of
 * Infinity, so the SIMD loop keeps the unsigned maximum of 16 magnitudes per step — one
 * test and branch per 16 values — and, on the step that holds one, the scalar loop finds
 * the first (the same test per value, which is also the whole of the scalar build).
 */
export function f32_first_nonfinite(x: usize, n: i32): i32 {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const magnitude = i32x4.splat(MAGNITUDE);
    const infinity = i32x4.splat(INFINITY_BITS);
    for (; i + 16 <= n; i += 16) {
      const p = x + (<usize>i << 2);
      const m01 = i32x4.max_u(v128.and(v128.load(p), magnitude), v128.and(v128.load(p, 16), magnitude));
      const m23 = i32x4.max_u(v128.and(v128.load(p, 32), magnitude), v128.and(v128.load(p, 48), magnitude));
      if (v128.any_true(i32x4.ge_u(i32x4.max_u(m01, m23), infinity))) break;
    }
  }
  for (; i < n; i++) {
    if ((load<u32>(x + (<usize>i << 2)) & MAGNITUDE) >= INFINITY_BITS) return i;
  }
  return n;
}
