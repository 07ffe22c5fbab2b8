import { rowMax, hsum4 } from './math';

// Reductions over f32 vectors and matrix rows/columns. Full sums use four independent f32x4
// accumulators (16 elements per iteration) to hide add latency, then combine them pairwise;
// the scalar build mirrors that with four scalar accumulators. Results are f32: expect
// rounding error on the order of n·eps·Σ|x| in the worst case (far less in practice, because
// the accumulators split the sum into 16 interleaved partial sums).

const SUM: i32 = 0;
const DOT: i32 = 1;
const SUMSQ: i32 = 2;

// @ts-ignore: decorator
@inline function term4(op: i32, a: v128, b: v128): v128 {
  if (op == DOT) return f32x4.mul(a, b);
  if (op == SUMSQ) return f32x4.mul(a, a);
  return a;
}

// @ts-ignore: decorator
@inline function term1(op: i32, a: f32, b: f32): f32 {
  if (op == DOT) return a * b;
  if (op == SUMSQ) return a * a;
  return a;
}

/** Σ term(x[i], y[i]) over n elements; `y` is read only for DOT. */
// @ts-ignore: decorator
@inline function accumulate(op: i32, x: usize, y: usize, n: i32): f32 {
  let i = 0;
  let s: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    let a0 = f32x4.splat(0);
    let a1 = a0;
    let a2 = a0;
    let a3 = a0;
    for (; i + 16 <= n; i += 16) {
      const o = <usize>i << 2;
      if (op == DOT) {
        a0 = f32x4.add(a0, f32x4.mul(v128.load(x + o), v128.load(y + o)));
        a1 = f32x4.add(a1, f32x4.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
        a2 = f32x4.add(a2, f32x4.mul(v128.load(x + o, 32), v128.load(y + o, 32)));
        a3 = f32x4.add(a3, f32x4.mul(v128.load(x + o, 48), v128.load(y + o, 48)));
      } else {
        a0 = f32x4.add(a0, term4(op, v128.load(x + o), a0));
        a1 = f32x4.add(a1, term4(op, v128.load(x + o, 16), a1));
        a2 = f32x4.add(a2, term4(op, v128.load(x + o, 32), a2));
        a3 = f32x4.add(a3, term4(op, v128.load(x + o, 48), a3));
      }
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const b = op == DOT ? v128.load(y + o) : a0;
      a0 = f32x4.add(a0, term4(op, v128.load(x + o), b));
    }
    s = hsum4(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)));
  } else {
    let s0: f32 = 0;
    let s1: f32 = 0;
    let s2: f32 = 0;
    let s3: f32 = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      s0 += term1(op, load<f32>(x + o), op == DOT ? load<f32>(y + o) : 0);
      s1 += term1(op, load<f32>(x + o, 4), op == DOT ? load<f32>(y + o, 4) : 0);
      s2 += term1(op, load<f32>(x + o, 8), op == DOT ? load<f32>(y + o, 8) : 0);
      s3 += term1(op, load<f32>(x + o, 12), op == DOT ? load<f32>(y + o, 12) : 0);
    }
    s = (s0 + s1) + (s2 + s3);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    s += term1(op, load<f32>(x + o), op == DOT ? load<f32>(y + o) : 0);
  }
  return s;
}

/**
 * Σ x[i] over n f32 elements (0 for n ≤ 0), returned as f32. `x` is a byte offset, 4-byte
 * aligned; four f32x4 accumulators, then a scalar tail for n mod 4. NaN in gives NaN.
 */
export function f32_sum(x: usize, n: i32): f32 {
  return accumulate(SUM, x, 0, n);
}

/** Σ x[i]·y[i] over n f32 elements (0 for n ≤ 0); layout and tails as {@link f32_sum}. */
export function f32_dot(x: usize, y: usize, n: i32): f32 {
  return accumulate(DOT, x, y, n);
}

/** Σ x[i]² over n f32 elements (0 for n ≤ 0); layout and tails as {@link f32_sum}. */
export function f32_sumsq(x: usize, n: i32): f32 {
  return accumulate(SUMSQ, x, 0, n);
}

/**
 * `out[i] = Σ_j x[i,j]` for a row-major rows×cols matrix (row stride = cols): rows outputs,
 * each reduced like {@link f32_sum} (so cols = 0 writes zeros). Byte offsets, 4-byte aligned.
 * `out` must not overlap `x`.
 */
export function f32_sum_rows(x: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>max(cols, 0) << 2;
  for (let r = 0; r < rows; r++) {
    store<f32>(out + (<usize>r << 2), accumulate(SUM, x + <usize>r * rowBytes, 0, cols));
  }
}

/**
 * `out[j] = Σ_i x[i,j]` for a row-major rows×cols matrix (row stride = cols): cols outputs,
 * e.g. the bias gradient from dZ. SIMD runs across columns: 16 columns are held in four
 * f32x4 registers while the rows stream past (each row contributes one contiguous 64-byte
 * slice), then 4-column blocks, then the last cols mod 4 columns in scalar. Every column is
 * summed in row order, so both builds give identical results. rows = 0 writes zeros.
 * Byte offsets, 4-byte aligned; `out` must not overlap `x`.
 */
export function f32_sum_cols(x: usize, out: usize, rows: i32, cols: i32): void {
  if (cols <= 0) return;
  const rowBytes = <usize>cols << 2;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    for (; j + 16 <= cols; j += 16) {
      let p = x + (<usize>j << 2);
      let a0 = f32x4.splat(0);
      let a1 = a0;
      let a2 = a0;
      let a3 = a0;
      for (let r = 0; r < rows; r++) {
        a0 = f32x4.add(a0, v128.load(p));
        a1 = f32x4.add(a1, v128.load(p, 16));
        a2 = f32x4.add(a2, v128.load(p, 32));
        a3 = f32x4.add(a3, v128.load(p, 48));
        p += rowBytes;
      }
      const o = out + (<usize>j << 2);
      v128.store(o, a0);
      v128.store(o, a1, 16);
      v128.store(o, a2, 32);
      v128.store(o, a3, 48);
    }
    for (; j + 4 <= cols; j += 4) {
      let p = x + (<usize>j << 2);
      let a0 = f32x4.splat(0);
      for (let r = 0; r < rows; r++) {
        a0 = f32x4.add(a0, v128.load(p));
        p += rowBytes;
      }
      v128.store(out + (<usize>j << 2), a0);
    }
  } else {
    // Same per-column order with four scalar accumulators.
    for (; j + 4 <= cols; j += 4) {
      let p = x + (<usize>j << 2);
      let s0: f32 = 0;
      let s1: f32 = 0;
      let s2: f32 = 0;
      let s3: f32 = 0;
      for (let r = 0; r < rows; r++) {
        s0 += load<f32>(p);
        s1 += load<f32>(p, 4);
        s2 += load<f32>(p, 8);
        s3 += load<f32>(p, 12);
        p += rowBytes;
      }
      const o = out + (<usize>j << 2);
      store<f32>(o, s0);
      store<f32>(o, s1, 4);
      store<f32>(o, s2, 8);
      store<f32>(o, s3, 12);
    }
  }
  for (; j < cols; j++) {
    let p = x + (<usize>j << 2);
    let s: f32 = 0;
    for (let r = 0; r < rows; r++) {
      s += load<f32>(p);
      p += rowBytes;
    }
    store<f32>(out + (<usize>j << 2), s);
  }
}

/**
 * Largest of n f32 elements; −Infinity for n ≤ 0. NaN anywhere gives NaN (WebAssembly min/max
 * propagate NaN, and so does the reference's Math.max). Four f32x4 accumulators, scalar tail.
 */
export function f32_max(x: usize, n: i32): f32 {
  return rowMax(x, n);
}

/**
 * `out[i]` (i32) = index of the first largest element of row i of a row-major rows×cols f32
 * matrix (row stride = cols). NaN elements are skipped (they never compare greater); a row
 * with no element above −Infinity (all −Infinity or NaN) gives 0, and cols = 0 gives −1.
 * SIMD: each lane keeps the first maximum of its own positions, lanes are merged preferring
 * the smaller index on ties, then the scalar tail only replaces on strictly greater.
 * Byte offsets, 4-byte aligned; `out` (rows int32s) must not overlap `x`.
 */
export function f32_argmax_rows(x: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>max(cols, 0) << 2;
  for (let r = 0; r < rows; r++) {
    const p = x + <usize>r * rowBytes;
    let best: f32 = -Infinity;
    let bestIdx: i32 = cols > 0 ? 0 : -1;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      if (cols >= 4) {
        let bv = f32x4.splat(-Infinity);
        let bi = i32x4.splat(0);
        let idx = i32x4(0, 1, 2, 3);
        const four = i32x4.splat(4);
        for (; j + 4 <= cols; j += 4) {
          const v = v128.load(p + (<usize>j << 2));
          const gt = f32x4.gt(v, bv);
          bv = v128.bitselect(v, bv, gt);
          bi = v128.bitselect(idx, bi, gt);
          idx = i32x4.add(idx, four);
        }
        for (let lane = 0; lane < 4; lane++) {
          // Lane extraction needs a constant index; unrolled by the optimizer after inlining.
          const v = lane == 0 ? f32x4.extract_lane(bv, 0) : lane == 1 ? f32x4.extract_lane(bv, 1)
            : lane == 2 ? f32x4.extract_lane(bv, 2) : f32x4.extract_lane(bv, 3);
          const k = lane == 0 ? i32x4.extract_lane(bi, 0) : lane == 1 ? i32x4.extract_lane(bi, 1)
            : lane == 2 ? i32x4.extract_lane(bi, 2) : i32x4.extract_lane(bi, 3);
          if (v > best || (v == best && k < bestIdx)) {
            best = v;
            bestIdx = k;
          }
        }
      }
    }
    for (; j < cols; j++) {
      const v = load<f32>(p + (<usize>j << 2));
      if (v > best) {
        best = v;
        bestIdx = j;
      }
    }
    store<i32>(out + (<usize>r << 2), bestIdx);
  }
}
