// 2-D convolution, NHWC, lowered onto f32_gemm (gemm.ts) through an explicit im2col matrix.
//
// With x stored batch×h×w×c and the filter stored kh×kw×c×f (HWIO, row-major, so it is
// already a K×f matrix with K = kh·kw·c), one im2col row per output pixel makes
//   forward          Y[M×f]  = cols[M×K] · W[K×f]  (+ bias, activation: the GEMM epilogue)
//   backward-filter  dW[K×f] = colsᵀ · dZ          (the GEMM's transA, reusing forward's cols)
//   backward-data    dcols   = dZ · Wᵀ, then col2im scatters dcols back onto dx
// with M = batch·oh·ow. Why a materialised im2col rather than packing straight from the
// image into the GEMM panels or a direct kernel: the GEMM's packing, blocking, tails, fused
// epilogue and thread split (bit-identical for any thread count) all come unchanged, and
// the same cols serve forward and backward-filter. The extra pass writes M·K floats once per
// forward; bench/cnn.bench.ts measures the layers against the bare GEMM rate.
//
// Geometry arguments, shared by both kernels: `batch, h, w, c` the input, `kh, kw` the
// kernel, `sh, sw` the strides (≥ 1), `pt, pl` the zero padding before the first row and
// column (≥ 0), `oh, ow` the output size. The caller computes oh/ow (valid or same); any
// window part outside the input reads as zero. Pointers are byte offsets, 4-byte aligned;
// counts are elements; nothing is allocated.
import { addFloats, copyFloats, fillZero } from './floats';

/**
 * cols[M×K] from x: row r = (b·oh + oy)·ow + ox holds the window of output pixel (oy, ox)
 * of image b, column (ky·kw + kx)·c + ci holds x[b, oy·sh − pt + ky, ox·sw − pl + kx, ci],
 * or 0 where that lies in the padding. Every element of cols is written; x is only read.
 * `cols` must not overlap `x`. Pure data movement: both builds give identical bytes.
 */
export function f32_im2col_nhwc(
  x: usize, batch: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32, oh: i32, ow: i32, cols: usize,
): void {
  eachWindow(COPY, x, batch, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow, cols);
}

/**
 * dx = col2im(dcols): dx is first zeroed (batch·h·w·c floats), then every element of
 * dcols (laid out as f32_im2col_nhwc writes cols) is added onto the input element it was
 * copied from; padding entries are dropped. Each dx element receives its terms in row order
 * of dcols, so both builds (f32x4 over channels, or scalar) round identically.
 * `dx` must not overlap `dcols`.
 */
export function f32_col2im_nhwc(
  dcols: usize, batch: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32, oh: i32, ow: i32, dx: usize,
): void {
  fillZero(dx, batch * h * w * c);
  eachWindow(ADD, dx, batch, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow, dcols);
}

/** im2col copies image runs into cols (zeros for padding); col2im adds cols runs onto the image. */
const COPY: i32 = 0;
const ADD: i32 = 1;

/**
 * The walk both kernels share: every output pixel's window, one kw·c run of cols per kernel
 * row, paired with the image run it covers (padding parts have no image run).
 */
// @ts-ignore: decorator
@inline function eachWindow(
  mode: i32, image0: usize, batch: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32, oh: i32, ow: i32, cols: usize,
): void {
  const run = kw * c;
  const runBytes = <usize>run << 2;
  const rowBytes = <usize>(w * c) << 2;
  let at = cols;
  for (let b = 0; b < batch; b++) {
    const image = image0 + (<usize>(b * h * w * c) << 2);
    for (let oy = 0; oy < oh; oy++) {
      const iy0 = oy * sh - pt;
      for (let ox = 0; ox < ow; ox++) {
        const ix0 = ox * sw - pl;
        // Window columns kx0..kx1 fall inside the image; the rest is padding.
        const kx0 = max(0, -ix0);
        const kx1 = min(kw, w - ix0);
        if (kx0 == 0 && kx1 == kw && iy0 >= 0 && iy0 + kh <= h) {
          // Window inside the image (every window of a 'valid' convolution): kh plain runs.
          let p = image + (<usize>((iy0 * w + ix0) * c) << 2);
          for (let ky = 0; ky < kh; ky++) {
            if (mode == COPY) copyFloats(at, p, run);
            else addFloats(p, at, run);
            p += rowBytes;
            at += runBytes;
          }
          continue;
        }
        for (let ky = 0; ky < kh; ky++) {
          const iy = iy0 + ky;
          if (iy < 0 || iy >= h || kx1 <= kx0) {
            if (mode == COPY) fillZero(at, run);
          } else {
            const p = image + (<usize>((iy * w + ix0 + kx0) * c) << 2);
            const part = at + (<usize>(kx0 * c) << 2);
            if (mode == COPY) {
              fillZero(at, kx0 * c);
              copyFloats(part, p, (kx1 - kx0) * c);
              fillZero(at + (<usize>(kx1 * c) << 2), (kw - kx1) * c);
            } else {
              addFloats(p, part, (kx1 - kx0) * c);
            }
          }
          at += runBytes;
        }
      }
    }
  }
}
