/**
 * Runtime feature detection for the WASM builds.
 */

// (module (func (result v128) v128.const i32x4 0 0 0 0)): validates only where SIMD is supported.
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03,
  0x02, 0x01, 0x00, 0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0b,
]);

let simdOverride: boolean | undefined;

/** True when this runtime validates WebAssembly SIMD (fixed-width, 128-bit) code. */
export function simdSupported(): boolean {
  if (simdOverride !== undefined) return simdOverride;
  return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
}

// (module (func (result v128) (f32x4.relaxed_madd (v128.const 0) (v128.const 0) (v128.const 0)))):
// validates only where relaxed SIMD is enabled (Node 20 needs --experimental-wasm-relaxed-simd).
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03,
  0x02, 0x01, 0x00, 0x0a, 0x3d, 0x01, 0x3b, 0x00,
  0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0xfd, 0x85, 0x02, 0x0b,
]);

let relaxedOverride: boolean | undefined;

/** True when this runtime validates relaxed SIMD (`f32x4.relaxed_madd`). */
export function relaxedSimdSupported(): boolean {
  if (relaxedOverride !== undefined) return relaxedOverride;
  return simdSupported() && WebAssembly.validate(RELAXED_PROBE);
}

/**
 * Pretend relaxed SIMD is (un)available; `undefined` restores real detection. Affects
 * kernels loaded after the call (`init()`, new engines). `false` keeps the default on the
 * `simd` build, whose results are the same on every CPU (relaxed SIMD may fuse a
 * multiply-add on one machine and not on another); also for tests and diagnostics.
 */
export function overrideRelaxedSimdSupport(value: boolean | undefined): void {
  relaxedOverride = value;
}

/**
 * Pretend SIMD is (un)available, as an old runtime would report; `undefined` restores
 * real detection. Affects kernels loaded after the call. Meant for tests and diagnostics.
 */
export function overrideSimdSupport(value: boolean | undefined): void {
  simdOverride = value;
}
