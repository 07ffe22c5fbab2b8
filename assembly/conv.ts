// 2-D convolution, NHWC, lowered onto f32_gemm (gemm.ts) through an explicit im2col matrix.
//
// With x stored batch×h×w×c and the filter stored kh×kw×c×f (HWIO, row-major, so it is
// already a K×f matrix with K = kh·kw·c), one im2col row per output pixel makes
//   forward          Y[M×f]  = cols[M×K] · W[K×f]  (+ bias, activation: the GEMM epilogue)
//   backward-filter  dW[K×f] = colsᵀ · dZ          (the GEMM's transA, reusing forward's cols)
//   backward-data    dcols   = dZ · Wᵀ, then col2im scatters dcols back onto dx
// with M = batch·oh·ow. Why a materialised im2col rather than packing straight from the
// image into the GEMM panels: the GEMM's packing, blocking, tails, fused epilogue and thread
// split (bit-identical for any thread count) all come unchanged, and the same cols serve
// forward and backward-filter (gemm.ts belongs to its own tuning; its signature stays). The
// extra pass writes M·K floats once per forward, which costs as much as the multiply when K
// and the filter count are small — there the direct kernels below take over (forward and
// backward-filter; src/nn/conv2d.ts chooses per layer shape, backward-data stays lowered).
//
// Geometry arguments, shared by both kernels: `batch, h, w, c` the input, `kh, kw` the
// kernel, `sh, sw` the strides (≥ 1), `pt, pl` the zero padding before the first row and
// column (≥ 0), `oh, ow` the output size. The caller computes oh/ow (valid or same); any
// window part outside the input reads as zero. Pointers are byte offsets, 4-byte aligned;
// counts are elements; nothing is allocated.
import { addFloats, copyFloats, fillZero } from './floats';
import { f32_act_forward } from './unary';

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

// Direct convolution for narrow layers (few filters, small K·C: a network's first layers).
//
// Why: on those shapes the lowered route spends most of its time outside the multiply —
// im2col writes K floats per output pixel, and a GEMM with n = 6 or 8 columns fills one
// micro-tile's width at most while packing all of cols. Measured by the route table of
// bench/cnn.bench.ts (one thread, batch 64, forward + filter and bias gradient, three runs on
// 2026-11-30 at load 10–23, bench/results/cnn-2026-11-30-c.md and -d.md), lowered / direct:
//   28×28×1, 5×5, 8 filters, valid (the tutorial's conv2d_0)   2.18–2.42× (0.84 against 2.03 ms)
//   28×28×1, 5×5, 6 filters, same (mnist-cnn's first)           2.31–2.88×
//   32×32×3, 5×5×8 (K 75)  2.50–3.15×;  32×32×3, 3×3×8  1.89–2.59×;  14×14×6, 3×3×8  1.43–2.06×
//   12×12×8, 5×5×8 (K 200)  1.25× in one run, 0.71× in another: past K 75 the GEMM's blocking
//   pays, so src/nn/conv2d.ts takes the direct route for ≤ 8 filters and K ≤ 75 only.
// The direct kernels read the image in place: forward keeps a block of 4 output pixels × 8
// filters (two f32x4 per pixel) in registers over the window's taps, backward-filter keeps up
// to 4 taps × 8 filters over all output pixels. Filters are the vector lanes, so 1 ≤ f ≤ 8
// (lanes past f are computed and never stored; with 6 filters a quarter of the work idles,
// 21.5 and 15.8 GFLOP/s against 31.8 and 28.3 with 8, same padding); unaligned loads.
// Geometry arguments as for im2col; taps t = (ky·kw + kx)·c + ci index the rows of the
// K×f filter (HWIO). Padding taps are skipped, never multiplied. Every output element is
// one sum in a fixed order, the same in both builds (lanes and scalars do the same f32 adds
// and multiplies), so they agree bit for bit and with the reference backend.

/**
 * y = act(conv(x, W) + bias), NHWC: y[b, oy, ox, j] = act(Σ_taps x·W[t, j] + bias[j]), the
 * sum from 0 over the taps inside the image in tap order, then bias added once; the
 * activation (f32_act_forward's, code `act`) over each finished output row. `weights` is
 * K×f, `bias` f floats; 1 ≤ f ≤ 8. y (batch·oh·ow·f floats) must not overlap x, W or bias.
 */
export function f32_conv2d_nhwc(
  x: usize, batch: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32, oh: i32, ow: i32, weights: usize, f: i32, bias: usize, act: i32, actParam: f32, y: usize,
): void {
  // Constant f after inlining: the partial loads and stores of the filter lanes fold away.
  if (f == 8) convForward(x, batch, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow, weights, 8, bias, act, actParam, y);
  else if (f == 6) convForward(x, batch, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow, weights, 6, bias, act, actParam, y);
  else if (f == 4) convForward(x, batch, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow, weights, 4, bias, act, actParam, y);
  else convForward(x, batch, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow, weights, f, bias, act, actParam, y);
}

// @ts-ignore: decorator
@inline function convForward(
  x: usize, batch: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32, oh: i32, ow: i32, weights: usize, f: i32, bias: usize, act: i32, actParam: f32, y: usize,
): void {
  const rowFloats = ow * f;
  // Output columns whose window row lies wholly inside the image: ox·sw ≥ pl, ox·sw − pl + kw ≤ w.
  const inLo = min(ow, (pl + sw - 1) / sw);
  const inHi = max(inLo, w - kw + pl < 0 ? 0 : min(ow, (w - kw + pl) / sw + 1));
  for (let b = 0; b < batch; b++) {
    const image = x + (<usize>(b * h * w * c) << 2);
    for (let oy = 0; oy < oh; oy++) {
      const iy0 = oy * sh - pt;
      const ky0 = max(0, -iy0), ky1 = min(kh, h - iy0);
      const out = y + (<usize>((b * oh + oy) * rowFloats) << 2);
      let ox = 0;
      if (ASC_FEATURE_SIMD) {
        for (; ox < inLo; ox++) convPixel(image, w, c, kw, iy0, ky0, ky1, ox * sw - pl, weights, f, bias, out + (<usize>(ox * f) << 2));
        for (; ox + 4 <= inHi; ox += 4) convBlock4(image, w, c, kw, sw, iy0, ky0, ky1, ox * sw - pl, weights, f, bias, out + (<usize>(ox * f) << 2));
        for (; ox < ow; ox++) convPixel(image, w, c, kw, iy0, ky0, ky1, ox * sw - pl, weights, f, bias, out + (<usize>(ox * f) << 2));
      } else {
        for (; ox < ow; ox++) convPixelScalar(image, w, c, kw, iy0, ky0, ky1, ox * sw - pl, weights, f, bias, out + (<usize>(ox * f) << 2));
      }
      if (act != 0) f32_act_forward(act, actParam, out, out, rowFloats);
    }
  }
}

/** Lanes 0…n−1 of the floats at p (n ≤ 0: none, n ≥ 4: all four), the others 0. */
// @ts-ignore: decorator
@inline function loadLanes(p: usize, n: i32): v128 {
  if (n >= 4) return v128.load(p);
  if (n == 3) return v128.load32_lane(p, v128.load64_zero(p), 2, 8);
  if (n == 2) return v128.load64_zero(p);
  if (n == 1) return v128.load32_zero(p);
  return f32x4.splat(0);
}

/** Store lanes 0…n−1 of v at p. */
// @ts-ignore: decorator
@inline function storeLanes(p: usize, v: v128, n: i32): void {
  if (n >= 4) v128.store(p, v);
  else if (n == 3) { v128.store64_lane(p, v, 0); v128.store32_lane(p, v, 2, 8); }
  else if (n == 2) v128.store64_lane(p, v, 0);
  else if (n == 1) v128.store32_lane(p, v, 0);
}

/**
 * One output pixel, filters in two f32x4, window columns clipped to the image. Per kernel
 * row the taps inside form one run of x (kx·c + ci) and one run of W's rows, so one loop.
 */
// @ts-ignore: decorator
@inline function convPixel(
  image: usize, w: i32, c: i32, kw: i32, iy0: i32, ky0: i32, ky1: i32, ix0: i32, weights: usize, f: i32, bias: usize, out: usize,
): void {
  const kx0 = max(0, -ix0), kx1 = min(kw, w - ix0);
  const n = (kx1 - kx0) * c;
  const fBytes = <usize>f << 2;
  let lo = f32x4.splat(0), hi = f32x4.splat(0);
  for (let ky = ky0; ky < ky1; ky++) {
    let p = image + (<usize>(((iy0 + ky) * w + ix0 + kx0) * c) << 2);
    let wp = weights + (<usize>((ky * kw + kx0) * c * f) << 2);
    for (let i = 0; i < n; i++, p += 4, wp += fBytes) {
      const s = v128.load32_splat(p);
      lo = f32x4.add(lo, f32x4.mul(s, loadLanes(wp, f)));
      hi = f32x4.add(hi, f32x4.mul(s, loadLanes(wp + 16, f - 4)));
    }
  }
  storeLanes(out, f32x4.add(lo, loadLanes(bias, f)), f);
  storeLanes(out + 16, f32x4.add(hi, loadLanes(bias + 16, f - 4)), f - 4);
}

/** Four neighbouring output pixels whose window rows lie inside the image (ix0 of the first). */
// @ts-ignore: decorator
@inline function convBlock4(
  image: usize, w: i32, c: i32, kw: i32, sw: i32, iy0: i32, ky0: i32, ky1: i32, ix0: i32, weights: usize, f: i32, bias: usize, out: usize,
): void {
  const n = kw * c;
  const fBytes = <usize>f << 2;
  const step = <usize>(sw * c) << 2;
  const z = f32x4.splat(0);
  let l0 = z, h0 = z, l1 = z, h1 = z, l2 = z, h2 = z, l3 = z, h3 = z;
  for (let ky = ky0; ky < ky1; ky++) {
    let p = image + (<usize>(((iy0 + ky) * w + ix0) * c) << 2);
    let wp = weights + (<usize>(ky * kw * c * f) << 2);
    for (let i = 0; i < n; i++, p += 4, wp += fBytes) {
      const wl = loadLanes(wp, f), wh = loadLanes(wp + 16, f - 4);
      let s = v128.load32_splat(p);
      l0 = f32x4.add(l0, f32x4.mul(s, wl)); h0 = f32x4.add(h0, f32x4.mul(s, wh));
      s = v128.load32_splat(p + step);
      l1 = f32x4.add(l1, f32x4.mul(s, wl)); h1 = f32x4.add(h1, f32x4.mul(s, wh));
      s = v128.load32_splat(p + 2 * step);
      l2 = f32x4.add(l2, f32x4.mul(s, wl)); h2 = f32x4.add(h2, f32x4.mul(s, wh));
      s = v128.load32_splat(p + 3 * step);
      l3 = f32x4.add(l3, f32x4.mul(s, wl)); h3 = f32x4.add(h3, f32x4.mul(s, wh));
    }
  }
  const bl = loadLanes(bias, f), bh = loadLanes(bias + 16, f - 4);
  storeLanes(out, f32x4.add(l0, bl), f); storeLanes(out + 16, f32x4.add(h0, bh), f - 4);
  out += fBytes;
  storeLanes(out, f32x4.add(l1, bl), f); storeLanes(out + 16, f32x4.add(h1, bh), f - 4);
  out += fBytes;
  storeLanes(out, f32x4.add(l2, bl), f); storeLanes(out + 16, f32x4.add(h2, bh), f - 4);
  out += fBytes;
  storeLanes(out, f32x4.add(l3, bl), f); storeLanes(out + 16, f32x4.add(h3, bh), f - 4);
}

/** One output pixel in the scalar build: each filter's sum in the lanes' order. */
// @ts-ignore: decorator
@inline function convPixelScalar(
  image: usize, w: i32, c: i32, kw: i32, iy0: i32, ky0: i32, ky1: i32, ix0: i32, weights: usize, f: i32, bias: usize, out: usize,
): void {
  const kx0 = max(0, -ix0), kx1 = min(kw, w - ix0);
  const n = (kx1 - kx0) * c;
  for (let j = 0; j < f; j++) {
    let acc: f32 = 0;
    for (let ky = ky0; ky < ky1; ky++) {
      let p = image + (<usize>(((iy0 + ky) * w + ix0 + kx0) * c) << 2);
      let wp = weights + (<usize>((ky * kw + kx0) * c * f + j) << 2);
      for (let i = 0; i < n; i++, p += 4, wp += <usize>f << 2) acc += load<f32>(p) * load<f32>(wp);
    }
    store<f32>(out + (<usize>j << 2), acc + load<f32>(bias + (<usize>j << 2)));
  }
}

/**
 * The filter and bias gradients of f32_conv2d_nhwc from dz (batch·oh·ow·f, the gradient at
 * its pre-activation output): rows t0 ≤ t < t1 of dw (K×f; the other rows are not touched)
 * get dw[t, j] = Σ x·dz[·, j] over every output pixel whose tap t lies inside the image, in
 * pixel order (b, oy, ox), summed from 0; and, when `db` ≠ 0, db[j] = Σ dz[·, j] in pixel
 * order. 1 ≤ f ≤ 8; taps are visited in groups of up to 4 within one kernel row (5 taps
 * keep 10 accumulators live, which V8 spills: 3.4 against 45 GFLOP/s measured), each group
 * one pass over dz, and each element's sum is the same whichever group it falls in — so the
 * thread pool splits [t0, t1) freely.
 * dw and db must not overlap x or dz.
 */
export function f32_conv2d_nhwc_filter_grad(
  x: usize, batch: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32, oh: i32, ow: i32, dz: usize, f: i32, t0: i32, t1: i32, dw: usize, db: usize,
): void {
  const run = kw * c;
  if (!ASC_FEATURE_SIMD) {
    for (let t = t0; t < t1; t++) filterGradScalar(x, batch, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow, dz, f, t, dw);
  } else {
    // Image by image, so one image's dz stays in cache for every group; a group's sums carry
    // over from one image to the next through dw (stored and reloaded, never rounded again).
    const imageBytes = <usize>(h * w * c) << 2;
    const dzBytes = <usize>(oh * ow * f) << 2;
    for (let b = 0; b < batch; b++) {
      const xb = x + <usize>b * imageBytes, dzb = dz + <usize>b * dzBytes;
      for (let t = t0; t < t1;) {
        const ky = t / run;
        const n = min(4, min(t1, (ky + 1) * run) - t);
        // Constant f and n after inlining: the lane loads and the unused taps fold away.
        if (f == 8) filterGradGroups(xb, h, w, c, sh, sw, pt, pl, oh, ow, dzb, 8, t, run, n, b > 0, dw);
        else if (f == 6) filterGradGroups(xb, h, w, c, sh, sw, pt, pl, oh, ow, dzb, 6, t, run, n, b > 0, dw);
        else filterGradGroups(xb, h, w, c, sh, sw, pt, pl, oh, ow, dzb, f, t, run, n, b > 0, dw);
        t += n;
      }
    }
    if (batch == 0) for (let t = t0; t < t1; t++) fillZero(dw + (<usize>(t * f) << 2), f);
  }
  if (db == 0) return;
  const pixels = batch * oh * ow;
  const fBytes = <usize>f << 2;
  if (ASC_FEATURE_SIMD) {
    let lo = f32x4.splat(0), hi = f32x4.splat(0);
    let p = dz;
    for (let i = 0; i < pixels; i++, p += fBytes) {
      lo = f32x4.add(lo, loadLanes(p, f));
      hi = f32x4.add(hi, loadLanes(p + 16, f - 4));
    }
    storeLanes(db, lo, f);
    storeLanes(db + 16, hi, f - 4);
  } else {
    for (let j = 0; j < f; j++) {
      let acc: f32 = 0;
      let p = dz + (<usize>j << 2);
      for (let i = 0; i < pixels; i++, p += fBytes) acc += load<f32>(p);
      store<f32>(db + (<usize>j << 2), acc);
    }
  }
}

// @ts-ignore: decorator
@inline function filterGradGroups(
  x: usize, h: i32, w: i32, c: i32, sh: i32, sw: i32, pt: i32, pl: i32, oh: i32, ow: i32,
  dz: usize, f: i32, t: i32, run: i32, n: i32, resume: bool, dw: usize,
): void {
  if (n == 4) filterGradGroup(x, h, w, c, sh, sw, pt, pl, oh, ow, dz, f, t, run, 4, resume, dw);
  else if (n == 3) filterGradGroup(x, h, w, c, sh, sw, pt, pl, oh, ow, dz, f, t, run, 3, resume, dw);
  else if (n == 2) filterGradGroup(x, h, w, c, sh, sw, pt, pl, oh, ow, dz, f, t, run, 2, resume, dw);
  else filterGradGroup(x, h, w, c, sh, sw, pt, pl, oh, ow, dz, f, t, run, 1, resume, dw);
}

/** acc + s·g per lane (the one update of the filter gradient), as a statement for the unrolled taps. */
// @ts-ignore: decorator
@inline function fma4(acc: v128, s: v128, g: v128): v128 {
  return f32x4.add(acc, f32x4.mul(s, g));
}

/**
 * Taps t…t+n−1 (n ≤ 4, one kernel row) over the output pixels of one image: 2n f32x4
 * accumulators, starting from 0 or (`resume`) from dw's rows. Within a kernel row the group's
 * taps are consecutive floats of x (kx·c + ci), so a pixel whose group lies inside the image
 * reads them as one run; the output columns where some tap falls in the padding (the left
 * and right borders) check each tap.
 */
// @ts-ignore: decorator
@inline function filterGradGroup(
  x: usize, h: i32, w: i32, c: i32, sh: i32, sw: i32, pt: i32, pl: i32, oh: i32, ow: i32,
  dz: usize, f: i32, t: i32, run: i32, n: i32, resume: bool, dw: usize,
): void {
  const ky = t / run;
  const q0 = t - ky * run;
  // Window columns of the group's first and last tap, and the output columns [lo, hi) where both are inside.
  const kxa = q0 / c, kxb = (q0 + n - 1) / c;
  const lo = min(ow, pl - kxa <= 0 ? 0 : (pl - kxa + sw - 1) / sw);
  const hi = max(lo, w - 1 - kxb + pl < 0 ? 0 : min(ow, (w - 1 - kxb + pl) / sw + 1));
  const fBytes = <usize>f << 2;
  const step = <usize>(sw * c) << 2;
  const z = f32x4.splat(0);
  let l0 = z, h0 = z, l1 = z, h1 = z, l2 = z, h2 = z, l3 = z, h3 = z;
  let out = dw + (<usize>(t * f) << 2);
  if (resume) {
    l0 = loadLanes(out, f); h0 = loadLanes(out + 16, f - 4);
    if (n > 1) { out += fBytes; l1 = loadLanes(out, f); h1 = loadLanes(out + 16, f - 4); }
    if (n > 2) { out += fBytes; l2 = loadLanes(out, f); h2 = loadLanes(out + 16, f - 4); }
    if (n > 3) { out += fBytes; l3 = loadLanes(out, f); h3 = loadLanes(out + 16, f - 4); }
  }
  {
    for (let oy = 0; oy < oh; oy++) {
      const iy = oy * sh - pt + ky;
      if (iy < 0 || iy >= h) continue;
      // x at (iy, 0) plus the group's offset; output column ox adds (ox·sw − pl)·c.
      const row = x + (<usize>(iy * w * c + q0) << 2);
      let g = dz + (<usize>(oy * ow * f) << 2);
      let ox = 0;
      for (; ox < ow; ox++, g += fBytes) {
        if (ox == lo) {
          // The inside stretch: no checks.
          let p = row + <usize>((ox * sw - pl) * c * 4);
          for (; ox < hi; ox++, g += fBytes, p += step) {
            const gl = loadLanes(g, f), gh = loadLanes(g + 16, f - 4);
            let s = v128.load32_splat(p);
            l0 = fma4(l0, s, gl); h0 = fma4(h0, s, gh);
            if (n > 1) { s = v128.load32_splat(p + 4); l1 = fma4(l1, s, gl); h1 = fma4(h1, s, gh); }
            if (n > 2) { s = v128.load32_splat(p + 8); l2 = fma4(l2, s, gl); h2 = fma4(h2, s, gh); }
            if (n > 3) { s = v128.load32_splat(p + 12); l3 = fma4(l3, s, gl); h3 = fma4(h3, s, gh); }
          }
          if (ox >= ow) break;
        }
        // Border column: a tap's column ix0 + (q0 + i)/c may lie in the padding; skip it there.
        const ix0 = ox * sw - pl;
        const p = row + <usize>(ix0 * c * 4);
        const gl = loadLanes(g, f), gh = loadLanes(g + 16, f - 4);
        let ix = ix0 + q0 / c;
        if (ix >= 0 && ix < w) { const s = v128.load32_splat(p); l0 = fma4(l0, s, gl); h0 = fma4(h0, s, gh); }
        ix = ix0 + (q0 + 1) / c;
        if (n > 1 && ix >= 0 && ix < w) { const s = v128.load32_splat(p + 4); l1 = fma4(l1, s, gl); h1 = fma4(h1, s, gh); }
        ix = ix0 + (q0 + 2) / c;
        if (n > 2 && ix >= 0 && ix < w) { const s = v128.load32_splat(p + 8); l2 = fma4(l2, s, gl); h2 = fma4(h2, s, gh); }
        ix = ix0 + (q0 + 3) / c;
        if (n > 3 && ix >= 0 && ix < w) { const s = v128.load32_splat(p + 12); l3 = fma4(l3, s, gl); h3 = fma4(h3, s, gh); }
      }
    }
  }
  out = dw + (<usize>(t * f) << 2);
  storeLanes(out, l0, f); storeLanes(out + 16, h0, f - 4);
  if (n > 1) { out += fBytes; storeLanes(out, l1, f); storeLanes(out + 16, h1, f - 4); }
  if (n > 2) { out += fBytes; storeLanes(out, l2, f); storeLanes(out + 16, h2, f - 4); }
  if (n > 3) { out += fBytes; storeLanes(out, l3, f); storeLanes(out + 16, h3, f - 4); }
}

/** Tap t in the scalar build: each element's sum in the lanes' order. */
function filterGradScalar(
  x: usize, batch: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, oh: i32, ow: i32,
  dz: usize, f: i32, t: i32, dw: usize,
): void {
  {
    const tap = t;
    const ky = tap / (kw * c), kx = (tap / c) % kw, ci = tap % c;
    for (let j = 0; j < f; j++) {
      let acc: f32 = 0;
      for (let b = 0; b < batch; b++) {
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * sh - pt + ky;
          if (iy < 0 || iy >= h) continue;
          for (let ox = 0; ox < ow; ox++) {
            const ix = ox * sw - pl + kx;
            if (ix < 0 || ix >= w) continue;
            const xv = load<f32>(x + (<usize>(((b * h + iy) * w + ix) * c + ci) << 2));
            acc += xv * load<f32>(dz + (<usize>(((b * oh + oy) * ow + ox) * f + j) << 2));
          }
        }
      }
      store<f32>(dw + (<usize>(tap * f + j) << 2), acc);
    }
  }
}
