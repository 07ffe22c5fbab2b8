// Row-wise softmax and log-softmax, numerically stable: each row's maximum is subtracted
// before exponentiating, so no term exceeds 1 and the sum is in [1, cols].
import { rowMax, expShiftSum, scaleRow, log1 } from './math';

/**
 * `out[i,j] = e^(x[i,j] − m_i) / Σ_k e^(x[i,k] − m_i)`, m_i = max_k x[i,k], for a row-major
 * rows×cols f32 matrix (row stride = cols).
 *
 * Three passes per row (max; exponentials stored to out and summed; scale by the reciprocal
 * of the sum), each an f32x4 loop; the max and the exponentials take the last cols mod 4
 * elements as one more vector (short rows pay no scalar exp), the scale a scalar tail; any
 * rows, cols ≥ 0. Exponentials are assembly/math.ts exp1/expShift4 (≈1.2e-7 relative; the
 * SIMD build gives 0 for terms below 2^-126, the scalar build subnormals), so each
 * probability is within a few ulp, or within 1.2e-38 absolute. A row containing NaN or
 * +Infinity, or only −Infinity, gives NaN. In place (out == x) allowed. Byte offsets,
 * 4-byte aligned.
 */
export function f32_softmax_rows(x: usize, out: usize, rows: i32, cols: i32): void {
  softmaxRows(x, out, rows, cols, false);
}

/**
 * `out[i,j] = (x[i,j] − m_i) − log Σ_k e^(x[i,k] − m_i)` for a row-major rows×cols f32
 * matrix (row stride = cols); m_i is the row max, and the shifted value is formed first so
 * the largest entry's result is exactly −log Σ even for large logits.
 *
 * Three passes per row (max; sum of exponentials, nothing stored; subtract), f32x4 loops with
 * scalar tails, any rows, cols ≥ 0. The log of the per-row sum is assembly/math.ts log1
 * (≈1e-7 relative; the sum is ≥ 1). NaN/±Infinity rows as in {@link f32_softmax_rows}.
 * In place (out == x) allowed. Byte offsets, 4-byte aligned.
 */
export function f32_log_softmax_rows(x: usize, out: usize, rows: i32, cols: i32): void {
  softmaxRows(x, out, rows, cols, true);
}

/** Both row-wise kernels: the same max pass, then probabilities or log-probabilities. */
// @ts-ignore: decorator
@inline function softmaxRows(x: usize, out: usize, rows: i32, cols: i32, log: bool): void {
  if (rows <= 0 || cols <= 0) return;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const px = x + <usize>r * rowBytes;
    const po = out + <usize>r * rowBytes;
    const m = rowMax(px, cols, true);
    if (log) logSoftmaxRow(px, po, cols, m);
    else scaleRow(po, po, cols, <f32>1 / expShiftSum(px, po, cols, m));
  }
}

/** One row of log-softmax: `(x − m) − log Σ e^(x − m)`, the shifted value formed first. */
// @ts-ignore: decorator
@inline function logSoftmaxRow(px: usize, po: usize, cols: i32, m: f32): void {
  const ls = log1(expShiftSum(px, 0, cols, m));
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const m4 = f32x4.splat(m);
    const ls4 = f32x4.splat(ls);
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(po + o, f32x4.sub(f32x4.sub(v128.load(px + o), m4), ls4));
    }
  }
  for (; j < cols; j++) {
    const o = <usize>j << 2;
    store<f32>(po + o, (load<f32>(px + o) - m) - ls);
  }
}
