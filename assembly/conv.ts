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
// extra pass writes M·K floats once per forward, which costs as much as the multiply when
// the filter count is small and is never free — so the direct kernels below take over up to
// K 200, forward and backward-filter (src/nn/conv2d.ts chooses per layer shape). Backward-data
// stays lowered: a direct version (per output pixel, the sums of Wᵀ·dz over each kernel row's
// run of dx) gave the same bits at 0.78–1.00× the speed, loading every weight once per product.
//
// Geometry arguments, shared by both kernels: `batch, h, w, c` the input, `kh, kw` the
// kernel, `sh, sw` the strides (≥ 1), `pt, pl` the zero padding before the first row and
// column (≥ 0), `oh, ow` the output size. The caller computes oh/ow (valid or same); any
// window part outside the input reads as zero. Pointers are byte offsets, 4-byte aligned;
// counts are elements; nothing is allocated.
import { addFloats, copyFloats, fillZero, madd } from './floats';
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

// Direct convolution: forward and backward-filter read the image in place, no cols.
//
// Why: the lowered route spends much of its time outside the multiply — im2col writes K
// floats per output pixel, and a GEMM with few columns fills one micro-tile's width at most
// while packing all of cols. Measured by the route table of bench/cnn.bench.ts (one thread,
// batch 64, forward + filter and bias gradient, lowered / direct;
// bench/results/cnn-2026-12-01-c.md, four runs):
//   28×28×1, 5×5, 8 filters, valid (the tutorial's conv2d_0)   1.75–1.85×
//   28×28×1, 5×5, 8 filters, same (mnist-cnn's first)           1.75–1.80×
//   32×32×3, 5×5×8 (K 75)  2.23–2.49×;  32×32×3, 3×3×8  1.98–2.02×;  14×14×6, 3×3×8  1.65–1.68×
//   12×12×8, 5×5×8 (K 200)  1.25–1.33×
//   12–32 filters up to K 200 (groups of 8)  1.04–1.28×;  K 400  0.94–1.12×
// The forward keeps a block of 4 output pixels × 8 filters (two f32x4 per pixel) in
// registers over the window's taps, backward-filter keeps up to 4 taps × 8 filters over all
// output pixels. Filters are the vector lanes, taken in groups of 8 (a wider block spills:
// x64 has 16 vector registers); the weight, output and dz rows keep the layer's full filter
// count as their stride. A last group of 1–7 computes lanes past its width and never stores
// them (with 6 filters a quarter of the work idles); unaligned loads.
// Geometry arguments as for im2col; taps t = (ky·kw + kx)·c + ci index the rows of the
// K×f filter (HWIO). Padding taps are skipped, never multiplied. Every output element is
// one sum in a fixed order, the same in the SIMD and scalar builds (lanes and scalars do the
// same f32 adds and multiplies), so they agree bit for bit and with the reference backend.
// The relaxed build's forward fuses each multiply-add (floats.ts madd, as the GEMM does:
// 1.05–1.13× on Node 24), so its results differ from theirs in the last bits; its filter
// gradient stays unfused (fused, it ran 0.83–0.98× as fast).

/** Filters per group: the lanes of the two f32x4 each pixel (forward) or tap (backward) keeps. */
const GROUP: i32 = 8;

/**
 * y = act(conv(x, W) + bias), NHWC: y[b, oy, ox, j] = act(Σ_taps x·W[t, j] + bias[j]), the
 * sum from 0 over the taps inside the image in tap order, then bias added once; the
 * activation (f32_act_forward's, code `act`) over each finished output row. `weights` is
 * K×f, `bias` f floats; f ≥ 1. y (batch·oh·ow·f floats) must not overlap x, W or bias.
 */
export function f32_conv2d_nhwc(
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
      if (ASC_FEATURE_SIMD) {
        for (let j = 0; j < f; j += GROUP) {
          const n = min(GROUP, f - j);
          const wj = weights + (<usize>j << 2), bj = bias + (<usize>j << 2), oj = out + (<usize>j << 2);
          if (n == 8) convRowOf8(image, w, c, kw, sw, pl, iy0, ky0, ky1, inLo, inHi, ow, wj, f, bj, oj);
          else if (n == 6) convRowOf6(image, w, c, kw, sw, pl, iy0, ky0, ky1, inLo, inHi, ow, wj, f, bj, oj);
          else if (n == 4) convRowOf4(image, w, c, kw, sw, pl, iy0, ky0, ky1, inLo, inHi, ow, wj, f, bj, oj);
          else convRow(image, w, c, kw, sw, pl, iy0, ky0, ky1, inLo, inHi, ow, wj, n, f, bj, oj);
        }
      } else {
        for (let ox = 0; ox < ow; ox++) convPixelScalar(image, w, c, kw, iy0, ky0, ky1, ox * sw - pl, weights, f, bias, out + (<usize>(ox * f) << 2));
      }
      if (act != 0) f32_act_forward(act, actParam, out, out, rowFloats);
    }
  }
}

// One function per common group width, out of line, so that n is a constant in its body and
// the partial loads and stores of the filter lanes fold away. Written as four inlined calls in
// one if-chain instead, Binaryen folds their identical tails into one body that picks n at
// run time (a `select`), and every tap then branches on n: 1.10–1.21× slower forward and
// 1.28–1.38× slower filter gradient (first layers of the bench nets, same bits).
function convRowOf8(
  image: usize, w: i32, c: i32, kw: i32, sw: i32, pl: i32, iy0: i32, ky0: i32, ky1: i32, inLo: i32, inHi: i32, ow: i32,
  weights: usize, ld: i32, bias: usize, out: usize,
): void {
  convRow(image, w, c, kw, sw, pl, iy0, ky0, ky1, inLo, inHi, ow, weights, 8, ld, bias, out);
}
function convRowOf6(
  image: usize, w: i32, c: i32, kw: i32, sw: i32, pl: i32, iy0: i32, ky0: i32, ky1: i32, inLo: i32, inHi: i32, ow: i32,
  weights: usize, ld: i32, bias: usize, out: usize,
): void {
  convRow(image, w, c, kw, sw, pl, iy0, ky0, ky1, inLo, inHi, ow, weights, 6, ld, bias, out);
}
function convRowOf4(
  image: usize, w: i32, c: i32, kw: i32, sw: i32, pl: i32, iy0: i32, ky0: i32, ky1: i32, inLo: i32, inHi: i32, ow: i32,
  weights: usize, ld: i32, bias: usize, out: usize,
): void {
  convRow(image, w, c, kw, sw, pl, iy0, ky0, ky1, inLo, inHi, ow, weights, 4, ld, bias, out);
}

/**
 * One output row for one group of n ≤ 8 filters: `weights`, `bias` and `out` point at the
 * group's first filter, `ld` is the layer's filter count (the stride of W's rows and y's pixels).
 */
// @ts-ignore: decorator
@inline function convRow(
  image: usize, w: i32, c: i32, kw: i32, sw: i32, pl: i32, iy0: i32, ky0: i32, ky1: i32, inLo: i32, inHi: i32, ow: i32,
  weights: usize, n: i32, ld: i32, bias: usize, out: usize,
): void {
  let ox = 0;
  for (; ox < inLo; ox++) convPixel(image, w, c, kw, iy0, ky0, ky1, ox * sw - pl, weights, n, ld, bias, out + (<usize>(ox * ld) << 2));
  for (; ox + 4 <= inHi; ox += 4) convBlock4(image, w, c, kw, sw, iy0, ky0, ky1, ox * sw - pl, weights, n, ld, bias, out + (<usize>(ox * ld) << 2));
  for (; ox < ow; ox++) convPixel(image, w, c, kw, iy0, ky0, ky1, ox * sw - pl, weights, n, ld, bias, out + (<usize>(ox * ld) << 2));
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
 * One output pixel, a group's n filters in two f32x4, window columns clipped to the image. Per
 * kernel row the taps inside form one run of x (kx·c + ci) and one run of W's rows, so one loop.
 */
// @ts-ignore: decorator
@inline function convPixel(
  image: usize, w: i32, c: i32, kw: i32, iy0: i32, ky0: i32, ky1: i32, ix0: i32, weights: usize, n: i32, ld: i32, bias: usize, out: usize,
): void {
  const kx0 = max(0, -ix0), kx1 = min(kw, w - ix0);
  const taps = (kx1 - kx0) * c;
  const ldBytes = <usize>ld << 2;
  let lo = f32x4.splat(0), hi = f32x4.splat(0);
  for (let ky = ky0; ky < ky1; ky++) {
    let p = image + (<usize>(((iy0 + ky) * w + ix0 + kx0) * c) << 2);
    let wp = weights + (<usize>((ky * kw + kx0) * c * ld) << 2);
    for (let i = 0; i < taps; i++, p += 4, wp += ldBytes) {
      const s = v128.load32_splat(p);
      lo = madd(s, loadLanes(wp, n), lo);
      if (n > 4) hi = madd(s, loadLanes(wp + 16, n - 4), hi);
    }
  }
  storeLanes(out, f32x4.add(lo, loadLanes(bias, n)), n);
  storeLanes(out + 16, f32x4.add(hi, loadLanes(bias + 16, n - 4)), n - 4);
}

/** Four neighbouring output pixels whose window rows lie inside the image (ix0 of the first), one group of n filters. */
// @ts-ignore: decorator
@inline function convBlock4(
  image: usize, w: i32, c: i32, kw: i32, sw: i32, iy0: i32, ky0: i32, ky1: i32, ix0: i32, weights: usize, n: i32, ld: i32, bias: usize, out: usize,
): void {
  const taps = kw * c;
  const ldBytes = <usize>ld << 2;
  const step = <usize>(sw * c) << 2;
  const z = f32x4.splat(0);
  let l0 = z, h0 = z, l1 = z, h1 = z, l2 = z, h2 = z, l3 = z, h3 = z;
  for (let ky = ky0; ky < ky1; ky++) {
    let p = image + (<usize>(((iy0 + ky) * w + ix0) * c) << 2);
    let wp = weights + (<usize>(ky * kw * c * ld) << 2);
    for (let i = 0; i < taps; i++, p += 4, wp += ldBytes) {
      // A group of 4 or fewer filters leaves the upper half alone (n is constant after inlining).
      const wl = loadLanes(wp, n), wh = loadLanes(wp + 16, n - 4);
      const s0 = v128.load32_splat(p), s1 = v128.load32_splat(p + step);
      const s2 = v128.load32_splat(p + 2 * step), s3 = v128.load32_splat(p + 3 * step);
      l0 = madd(s0, wl, l0); l1 = madd(s1, wl, l1);
      l2 = madd(s2, wl, l2); l3 = madd(s3, wl, l3);
      if (n > 4) {
        h0 = madd(s0, wh, h0); h1 = madd(s1, wh, h1);
        h2 = madd(s2, wh, h2); h3 = madd(s3, wh, h3);
      }
    }
  }
  const bl = loadLanes(bias, n), bh = loadLanes(bias + 16, n - 4);
  storeLanes(out, f32x4.add(l0, bl), n); storeLanes(out + 16, f32x4.add(h0, bh), n - 4);
  out += ldBytes;
  storeLanes(out, f32x4.add(l1, bl), n); storeLanes(out + 16, f32x4.add(h1, bh), n - 4);
  out += ldBytes;
  storeLanes(out, f32x4.add(l2, bl), n); storeLanes(out + 16, f32x4.add(h2, bh), n - 4);
  out += ldBytes;
  storeLanes(out, f32x4.add(l3, bl), n); storeLanes(out + 16, f32x4.add(h3, bh), n - 4);
}

/** One output pixel in the scalar build, all f filters: each filter's sum in the lanes' order. */
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

// The filter gradient's tap groups. A kernel row's taps kx·c + ci are consecutive floats of
// x, so up to 4 of them are read as one run: each row's first ⌊run/4⌋·4 taps (run = kw·c) form
// groups of 4, row by row; then the rows' tails of r = run mod 4 taps are grouped across
// ⌊4/r⌋ consecutive kernel rows, so that one pass over dz serves up to 4 taps there too
// (5 taps per group would keep 10 accumulators live, which V8 spills: 3.4 against 45 GFLOP/s
// measured). With one channel and a 5-wide kernel (both bench nets' first layers) that turns
// 5 one-tap passes into two. src/threads/split.ts enumerates the same groups.

/** Full groups: ⌊run/4⌋ per kernel row. */
// @ts-ignore: decorator
@inline function fullTapGroups(kh: i32, run: i32): i32 {
  return kh * (run >> 2);
}

/** Kernel rows per tail group: ⌊4/r⌋ for tails of r = run mod 4 taps. */
// @ts-ignore: decorator
@inline function tailRows(run: i32): i32 {
  return 4 / (run & 3);
}

/** Taps per kernel row in group g: 4 in a full group, r in a tail group. */
// @ts-ignore: decorator
@inline function tapGroupWidth(kh: i32, run: i32, g: i32): i32 {
  return g < fullTapGroups(kh, run) ? 4 : run & 3;
}

/** The first tap of group g. */
// @ts-ignore: decorator
@inline function tapGroupFirst(kh: i32, run: i32, g: i32): i32 {
  const full = fullTapGroups(kh, run);
  if (g < full) return (g / (run >> 2)) * run + ((g % (run >> 2)) << 2);
  return (g - full) * tailRows(run) * run + (run & ~3);
}

/** Taps in group g. */
// @ts-ignore: decorator
@inline function tapGroupSize(kh: i32, run: i32, g: i32): i32 {
  const full = fullTapGroups(kh, run);
  if (g < full) return 4;
  const rows = tailRows(run), ky = (g - full) * rows;
  return min(rows, kh - ky) * (run & 3);
}

/** Tap i of a group that starts at tap t with r taps per kernel row. */
// @ts-ignore: decorator
@inline function groupTap(t: i32, run: i32, r: i32, i: i32): i32 {
  return t + (i / r) * run + i % r;
}

/**
 * The filter and bias gradients of f32_conv2d_nhwc from dz (batch·oh·ow·f, the gradient at
 * its pre-activation output), for filters j0 ≤ j < j1 (j0 a multiple of 8) of the taps in tap
 * groups g0 ≤ g < g1 (see tapGroupFirst; nothing else of dw, K×f, is touched): dw[t, j] = Σ x·dz[·, j]
 * over every output pixel whose tap t lies inside the image, in pixel order (b, oy, ox),
 * summed from 0; and, when `db` ≠ 0, db[j] = Σ dz[·, j] in pixel order. Filters are taken in
 * groups of 8, each (tap group, filter group) one pass over dz, and each element's sum is the
 * same whichever groups it falls in — so the thread pool splits tap and filter groups freely.
 * dw and db must not overlap x or dz.
 */
export function f32_conv2d_nhwc_filter_grad(
  x: usize, batch: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32, oh: i32, ow: i32, dz: usize, f: i32, j0: i32, j1: i32, g0: i32, g1: i32, dw: usize, db: usize,
): void {
  const run = kw * c;
  if (!ASC_FEATURE_SIMD) {
    for (let g = g0; g < g1; g++) {
      const t = tapGroupFirst(kh, run, g), r = tapGroupWidth(kh, run, g);
      for (let i = 0; i < tapGroupSize(kh, run, g); i++) filterGradScalar(x, batch, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow, dz, f, j0, j1, groupTap(t, run, r, i), dw);
    }
  } else {
    // Image by image, so one image's dz stays in cache for every group; a group's sums carry
    // over from one image to the next through dw (stored and reloaded, never rounded again).
    const imageBytes = <usize>(h * w * c) << 2;
    const dzBytes = <usize>(oh * ow * f) << 2;
    for (let b = 0; b < batch; b++) {
      const xb = x + <usize>b * imageBytes, dzb = dz + <usize>b * dzBytes;
      for (let g = g0; g < g1; g++) {
        const t = tapGroupFirst(kh, run, g), n = tapGroupSize(kh, run, g), r = tapGroupWidth(kh, run, g);
        for (let j = j0; j < j1; j += GROUP) {
          const m = min(GROUP, j1 - j);
          const dzj = dzb + (<usize>j << 2), dwj = dw + (<usize>j << 2);
          // Constant m in the out-of-line widths, constant n and r after inlining (as for convRowOf8).
          // Row groups and tail groups in functions of their own: in the same ones, shapes without
          // tails ran up to 7 % slower (4×4 and 5×4 over one channel, 5×5 over 8). Only full
          // filter groups get a tail function of their own (1.07× → 1.11× on 5×5 over one
          // channel against the generic body); the other widths' would add 6.7 KB to the build.
          if (n == r) {
            if (m == 8) filterGradRowGroupsOf8(xb, h, w, c, sh, sw, pt, pl, oh, ow, dzj, f, t, run, n, b > 0, dwj);
            else if (m == 6) filterGradRowGroupsOf6(xb, h, w, c, sh, sw, pt, pl, oh, ow, dzj, f, t, run, n, b > 0, dwj);
            else if (m == 4) filterGradRowGroupsOf4(xb, h, w, c, sh, sw, pt, pl, oh, ow, dzj, f, t, run, n, b > 0, dwj);
            else filterGradRowGroups(xb, h, w, c, sh, sw, pt, pl, oh, ow, dzj, m, f, t, run, n, b > 0, dwj);
          } else {
            if (m == 8) filterGradTailGroupsOf8(xb, h, w, c, sh, sw, pt, pl, oh, ow, dzj, f, t, run, n, r, b > 0, dwj);
            else filterGradTailGroups(xb, h, w, c, sh, sw, pt, pl, oh, ow, dzj, m, f, t, run, n, r, b > 0, dwj);
          }
        }
      }
    }
    if (batch == 0) {
      for (let g = g0; g < g1; g++) {
        const t = tapGroupFirst(kh, run, g), r = tapGroupWidth(kh, run, g);
        for (let i = 0; i < tapGroupSize(kh, run, g); i++) fillZero(dw + (<usize>(groupTap(t, run, r, i) * f + j0) << 2), j1 - j0);
      }
    }
  }
  if (db == 0) return;
  const pixels = batch * oh * ow;
  const fBytes = <usize>f << 2;
  if (ASC_FEATURE_SIMD) {
    for (let j = j0; j < j1; j += GROUP) {
      const m = min(GROUP, j1 - j);
      let lo = f32x4.splat(0), hi = f32x4.splat(0);
      let p = dz + (<usize>j << 2);
      for (let i = 0; i < pixels; i++, p += fBytes) {
        lo = f32x4.add(lo, loadLanes(p, m));
        hi = f32x4.add(hi, loadLanes(p + 16, m - 4));
      }
      storeLanes(db + (<usize>j << 2), lo, m);
      storeLanes(db + (<usize>j << 2) + 16, hi, m - 4);
    }
  } else {
    for (let j = j0; j < j1; j++) {
      let acc: f32 = 0;
      let p = dz + (<usize>j << 2);
      for (let i = 0; i < pixels; i++, p += fBytes) acc += load<f32>(p);
      store<f32>(db + (<usize>j << 2), acc);
    }
  }
}

// Out of line per group width for the reason given at convRowOf8.
function filterGradRowGroupsOf8(
  x: usize, h: i32, w: i32, c: i32, sh: i32, sw: i32, pt: i32, pl: i32, oh: i32, ow: i32,
  dz: usize, ld: i32, t: i32, run: i32, n: i32, resume: bool, dw: usize,
): void {
  filterGradRowGroups(x, h, w, c, sh, sw, pt, pl, oh, ow, dz, 8, ld, t, run, n, resume, dw);
}
function filterGradRowGroupsOf6(
  x: usize, h: i32, w: i32, c: i32, sh: i32, sw: i32, pt: i32, pl: i32, oh: i32, ow: i32,
  dz: usize, ld: i32, t: i32, run: i32, n: i32, resume: bool, dw: usize,
): void {
  filterGradRowGroups(x, h, w, c, sh, sw, pt, pl, oh, ow, dz, 6, ld, t, run, n, resume, dw);
}
function filterGradRowGroupsOf4(
  x: usize, h: i32, w: i32, c: i32, sh: i32, sw: i32, pt: i32, pl: i32, oh: i32, ow: i32,
  dz: usize, ld: i32, t: i32, run: i32, n: i32, resume: bool, dw: usize,
): void {
  filterGradRowGroups(x, h, w, c, sh, sw, pt, pl, oh, ow, dz, 4, ld, t, run, n, resume, dw);
}
function filterGradTailGroupsOf8(
  x: usize, h: i32, w: i32, c: i32, sh: i32, sw: i32, pt: i32, pl: i32, oh: i32, ow: i32,
  dz: usize, ld: i32, t: i32, run: i32, n: i32, r: i32, resume: bool, dw: usize,
): void {
  filterGradTailGroups(x, h, w, c, sh, sw, pt, pl, oh, ow, dz, 8, ld, t, run, n, r, resume, dw);
}
/** A group of n taps within one kernel row, for one group of m filters: n constant in each inlined filterGradGroup. */
// @ts-ignore: decorator
@inline function filterGradRowGroups(
  x: usize, h: i32, w: i32, c: i32, sh: i32, sw: i32, pt: i32, pl: i32, oh: i32, ow: i32,
  dz: usize, m: i32, ld: i32, t: i32, run: i32, n: i32, resume: bool, dw: usize,
): void {
  if (n == 4) filterGradGroup(x, h, w, c, sh, sw, pt, pl, oh, ow, dz, m, ld, t, run, 4, 4, resume, dw);
  else if (n == 3) filterGradGroup(x, h, w, c, sh, sw, pt, pl, oh, ow, dz, m, ld, t, run, 3, 3, resume, dw);
  else if (n == 2) filterGradGroup(x, h, w, c, sh, sw, pt, pl, oh, ow, dz, m, ld, t, run, 2, 2, resume, dw);
  else filterGradGroup(x, h, w, c, sh, sw, pt, pl, oh, ow, dz, m, ld, t, run, 1, 1, resume, dw);
}

/** A tail group (r < n taps per kernel row, see tapGroupFirst) for one group of m filters: n and r constant in each inlined filterGradGroup. */
// @ts-ignore: decorator
@inline function filterGradTailGroups(
  x: usize, h: i32, w: i32, c: i32, sh: i32, sw: i32, pt: i32, pl: i32, oh: i32, ow: i32,
  dz: usize, m: i32, ld: i32, t: i32, run: i32, n: i32, r: i32, resume: bool, dw: usize,
): void {
  if (r == 2) filterGradGroup(x, h, w, c, sh, sw, pt, pl, oh, ow, dz, m, ld, t, run, 4, 2, resume, dw);
  else if (n == 4) filterGradGroup(x, h, w, c, sh, sw, pt, pl, oh, ow, dz, m, ld, t, run, 4, 1, resume, dw);
  else if (n == 3) filterGradGroup(x, h, w, c, sh, sw, pt, pl, oh, ow, dz, m, ld, t, run, 3, 1, resume, dw);
  else filterGradGroup(x, h, w, c, sh, sw, pt, pl, oh, ow, dz, m, ld, t, run, 2, 1, resume, dw);
}

/** acc + s·g per lane (the one update of the filter gradient, unfused in every build), as a statement for the unrolled taps. */
// @ts-ignore: decorator
@inline function fma4(acc: v128, s: v128, g: v128): v128 {
  return f32x4.add(acc, f32x4.mul(s, g));
}

/** fma4 for the upper half of a group of m filters: none when m ≤ 4 (m is constant after inlining). */
// @ts-ignore: decorator
@inline function fma4Upper(acc: v128, s: v128, g: v128, m: i32): v128 {
  return m > 4 ? fma4(acc, s, g) : acc;
}

/**
 * One tap group × one group of m ≤ 8 filters over the output pixels of one image: n ≤ 4 taps,
 * r of them per kernel row from tap t on (r = n: one row; r < n: the tails of n/r consecutive
 * rows, see tapGroupFirst), 2n f32x4 accumulators, starting from 0 or (`resume`) from dw's rows.
 * `dz` and `dw` point at the group's first filter; `ld` is the layer's filter count (their row
 * stride). A pixel reads tap i at x offset (i/r)·(row of x) + (i mod r), constants once n and r
 * are; the output columns where some tap falls in the padding (the left and right borders),
 * and the output rows where some of a tail group's kernel rows do, check each tap.
 */
// @ts-ignore: decorator
@inline function filterGradGroup(
  x: usize, h: i32, w: i32, c: i32, sh: i32, sw: i32, pt: i32, pl: i32, oh: i32, ow: i32,
  dz: usize, m: i32, ld: i32, t: i32, run: i32, n: i32, r: i32, resume: bool, dw: usize,
): void {
  const ky = t / run;
  const q0 = t - ky * run;
  const rows = n / r;
  // Window columns of the group's first and last tap, and the output columns [lo, hi) where both are inside.
  const kxa = q0 / c, kxb = (q0 + r - 1) / c;
  const lo = min(ow, pl - kxa <= 0 ? 0 : (pl - kxa + sw - 1) / sw);
  const hi = max(lo, w - 1 - kxb + pl < 0 ? 0 : min(ow, (w - 1 - kxb + pl) / sw + 1));
  const ldBytes = <usize>ld << 2;
  const step = <usize>(sw * c) << 2;
  const rowBytes = <usize>(w * c) << 2;
  const o1 = tapOffset(1, r, rowBytes), o2 = tapOffset(2, r, rowBytes), o3 = tapOffset(3, r, rowBytes);
  const z = f32x4.splat(0);
  let l0 = z, h0 = z, l1 = z, h1 = z, l2 = z, h2 = z, l3 = z, h3 = z;
  // dw's row of tap i is (i/r)·run + i mod r rows after tap 0's (constant offsets in a one-row group).
  const out = dw + (<usize>(t * ld) << 2);
  if (resume) {
    l0 = loadLanes(out, m); h0 = loadLanes(out + 16, m - 4);
    if (n > 1) { const d = out + dwOffset(1, r, run, ldBytes); l1 = loadLanes(d, m); h1 = loadLanes(d + 16, m - 4); }
    if (n > 2) { const d = out + dwOffset(2, r, run, ldBytes); l2 = loadLanes(d, m); h2 = loadLanes(d + 16, m - 4); }
    if (n > 3) { const d = out + dwOffset(3, r, run, ldBytes); l3 = loadLanes(d, m); h3 = loadLanes(d + 16, m - 4); }
  }
  for (let oy = 0; oy < oh; oy++) {
    const iy = oy * sh - pt + ky;
    if (iy + rows <= 0 || iy >= h) continue;
    // Rows where every kernel row of the group is inside take the unchecked stretch.
    const start = rows == 1 || (iy >= 0 && iy + rows <= h) ? lo : ow;
    // x at (iy, 0) plus the group's offset (iy < 0 wraps, but only taps inside are read); output column ox adds (ox·sw − pl)·c.
    const row = x + (<usize>(iy * w * c + q0) << 2);
    let g = dz + (<usize>(oy * ow * ld) << 2);
    let ox = 0;
    for (; ox < ow; ox++, g += ldBytes) {
      if (ox == start) {
        // The inside stretch: no checks.
        let p = row + <usize>((ox * sw - pl) * c * 4);
        for (; ox < hi; ox++, g += ldBytes, p += step) {
          const gl = loadLanes(g, m), gh = loadLanes(g + 16, m - 4);
          let s = v128.load32_splat(p);
          l0 = fma4(l0, s, gl); h0 = fma4Upper(h0, s, gh, m);
          if (n > 1) { s = v128.load32_splat(p + o1); l1 = fma4(l1, s, gl); h1 = fma4Upper(h1, s, gh, m); }
          if (n > 2) { s = v128.load32_splat(p + o2); l2 = fma4(l2, s, gl); h2 = fma4Upper(h2, s, gh, m); }
          if (n > 3) { s = v128.load32_splat(p + o3); l3 = fma4(l3, s, gl); h3 = fma4Upper(h3, s, gh, m); }
        }
        if (ox >= ow) break;
      }
      // Checked pixel: skip each tap whose column (or, in a tail group, row) lies in the padding.
      const ix0 = ox * sw - pl;
      const p = row + <usize>(ix0 * c * 4);
      const gl = loadLanes(g, m), gh = loadLanes(g + 16, m - 4);
      if (tapInside(0, r, rows, ix0, iy, q0, c, w, h)) { const s = v128.load32_splat(p); l0 = fma4(l0, s, gl); h0 = fma4Upper(h0, s, gh, m); }
      if (n > 1 && tapInside(1, r, rows, ix0, iy, q0, c, w, h)) { const s = v128.load32_splat(p + o1); l1 = fma4(l1, s, gl); h1 = fma4Upper(h1, s, gh, m); }
      if (n > 2 && tapInside(2, r, rows, ix0, iy, q0, c, w, h)) { const s = v128.load32_splat(p + o2); l2 = fma4(l2, s, gl); h2 = fma4Upper(h2, s, gh, m); }
      if (n > 3 && tapInside(3, r, rows, ix0, iy, q0, c, w, h)) { const s = v128.load32_splat(p + o3); l3 = fma4(l3, s, gl); h3 = fma4Upper(h3, s, gh, m); }
    }
  }
  storeLanes(out, l0, m); storeLanes(out + 16, h0, m - 4);
  if (n > 1) { const d = out + dwOffset(1, r, run, ldBytes); storeLanes(d, l1, m); storeLanes(d + 16, h1, m - 4); }
  if (n > 2) { const d = out + dwOffset(2, r, run, ldBytes); storeLanes(d, l2, m); storeLanes(d + 16, h2, m - 4); }
  if (n > 3) { const d = out + dwOffset(3, r, run, ldBytes); storeLanes(d, l3, m); storeLanes(d + 16, h3, m - 4); }
}

/** Bytes from a group's tap 0 to its tap i in dw (rows of ldBytes), r taps per kernel row. */
// @ts-ignore: decorator
@inline function dwOffset(i: i32, r: i32, run: i32, ldBytes: usize): usize {
  return <usize>groupTap(0, run, r, i) * ldBytes;
}

/** Bytes from a group's tap 0 to its tap i in x, r taps per kernel row (constant once i and r are). */
// @ts-ignore: decorator
@inline function tapOffset(i: i32, r: i32, rowBytes: usize): usize {
  return <usize>(i / r) * rowBytes + (<usize>(i % r) << 2);
}

/**
 * Whether a group's tap i (r per kernel row, over `rows` kernel rows) lies inside the image for
 * the pixel whose window starts at column ix0, row iy (a one-row group's row is inside already).
 */
// @ts-ignore: decorator
@inline function tapInside(i: i32, r: i32, rows: i32, ix0: i32, iy: i32, q0: i32, c: i32, w: i32, h: i32): bool {
  return <u32>(ix0 + (q0 + i % r) / c) < <u32>w && (rows == 1 || <u32>(iy + i / r) < <u32>h);
}

/** Tap t, filters j0 ≤ j < j1, in the scalar build: each element's sum in the lanes' order. */
function filterGradScalar(
  x: usize, batch: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, oh: i32, ow: i32,
  dz: usize, f: i32, j0: i32, j1: i32, t: i32, dw: usize,
): void {
  const ky = t / (kw * c), kx = (t / c) % kw, ci = t % c;
  for (let j = j0; j < j1; j++) {
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
    store<f32>(dw + (<usize>(t * f + j) << 2), acc);
  }
}
