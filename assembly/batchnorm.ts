// Batch normalisation over a rows×cols matrix (row-major), one channel per column: after a
// dense layer rows = batch, after an NHWC convolution rows = batch·h·w and cols = c. Channels
// are the vector lanes (f32x4 over cols, scalar tail) and rows are visited in order, so each
// per-channel sum is accumulated in the same order in both builds and they agree bit for bit.
// Sums are f32. Each channel's statistics and gradient sums depend on that column alone, so
// the thread pool splits stats and backward by columns (`ld`, the row stride, keeps the full
// matrix's layout; column boundaries at multiples of 4 keep the lanes). `invstd` is 1/√(variance + ε) per channel, computed by the caller (once per
// batch, or from the running variance for inference). Pointers are byte offsets, 4-byte
// aligned; counts are elements; nothing is allocated.

/**
 * mean[j] = Σ_r x[r,j] / rows, variance[j] = Σ_r (x[r,j] − mean[j])² / rows (biased, two
 * passes), x[r,j] at x + (r·ld + j)·4 with ld ≥ cols. rows ≥ 1. `mean` and `variance` hold
 * cols floats and must not overlap x.
 */
export function f32_batchnorm_stats(x: usize, rows: i32, cols: i32, ld: i32, mean: usize, variance: usize): void {
  const rowBytes = <usize>ld << 2;
  const inv = <f32>1 / <f32>rows;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const vinv = f32x4.splat(inv);
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      let p = x + o;
      let s = f32x4.splat(0);
      for (let r = 0; r < rows; r++, p += rowBytes) s = f32x4.add(s, v128.load(p));
      const m = f32x4.mul(s, vinv);
      p = x + o;
      let q = f32x4.splat(0);
      for (let r = 0; r < rows; r++, p += rowBytes) {
        const d = f32x4.sub(v128.load(p), m);
        q = f32x4.add(q, f32x4.mul(d, d));
      }
      v128.store(mean + o, m);
      v128.store(variance + o, f32x4.mul(q, vinv));
    }
  }
  for (; j < cols; j++) {
    const o = <usize>j << 2;
    let p = x + o;
    let s: f32 = 0;
    for (let r = 0; r < rows; r++, p += rowBytes) s += load<f32>(p);
    const m = s * inv;
    p = x + o;
    let q: f32 = 0;
    for (let r = 0; r < rows; r++, p += rowBytes) {
      const d = load<f32>(p) - m;
      q += d * d;
    }
    store<f32>(mean + o, m);
    store<f32>(variance + o, q * inv);
  }
}

/**
 * y[r,j] = ((x[r,j] − mean[j])·invstd[j])·gamma[j] + beta[j]. `y` may equal `x`.
 */
export function f32_batchnorm_forward(
  x: usize, rows: i32, cols: i32, mean: usize, invstd: usize, gamma: usize, beta: usize, y: usize,
): void {
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes, yr = y + <usize>r * rowBytes;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 4 <= cols; j += 4) {
        const o = <usize>j << 2;
        const xhat = f32x4.mul(f32x4.sub(v128.load(xr + o), v128.load(mean + o)), v128.load(invstd + o));
        v128.store(yr + o, f32x4.add(f32x4.mul(xhat, v128.load(gamma + o)), v128.load(beta + o)));
      }
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      const xhat = (load<f32>(xr + o) - load<f32>(mean + o)) * load<f32>(invstd + o);
      store<f32>(yr + o, xhat * load<f32>(gamma + o) + load<f32>(beta + o));
    }
  }
}

/**
 * Gradients of f32_batchnorm_forward given dy, with x̂ = (x − mean)·invstd recomputed:
 * dbeta[j] = Σ_r dy, dgamma[j] = Σ_r dy·x̂ (cols floats each, overwritten), and
 * - batchStats ≠ 0 (mean and invstd were this batch's own statistics):
 *   dx = (dy − dbeta/rows − x̂·dgamma/rows)·(gamma·invstd);
 * - batchStats = 0 (fixed running statistics, inference): dx = dy·(gamma·invstd).
 * x, dy and dx are rows×cols with row stride ld ≥ cols.
 * `dx` may equal `dy`; neither may overlap x, mean, invstd, gamma, dgamma or dbeta.
 */
export function f32_batchnorm_backward(
  x: usize, dy: usize, rows: i32, cols: i32, ld: i32, mean: usize, invstd: usize, gamma: usize,
  batchStats: i32, dx: usize, dgamma: usize, dbeta: usize,
): void {
  const rowBytes = <usize>ld << 2;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      const m = v128.load(mean + o), is = v128.load(invstd + o);
      let sb = f32x4.splat(0), sg = f32x4.splat(0);
      for (let r = 0; r < rows; r++) {
        const at = <usize>r * rowBytes + o;
        const g = v128.load(dy + at);
        sb = f32x4.add(sb, g);
        sg = f32x4.add(sg, f32x4.mul(g, f32x4.mul(f32x4.sub(v128.load(x + at), m), is)));
      }
      v128.store(dbeta + o, sb);
      v128.store(dgamma + o, sg);
      const scale = f32x4.mul(v128.load(gamma + o), is);
      const invRows = f32x4.splat(<f32>1 / <f32>rows);
      const mb = f32x4.mul(sb, invRows), mg = f32x4.mul(sg, invRows);
      for (let r = 0; r < rows; r++) {
        const at = <usize>r * rowBytes + o;
        let g = v128.load(dy + at);
        if (batchStats) {
          const xhat = f32x4.mul(f32x4.sub(v128.load(x + at), m), is);
          g = f32x4.sub(f32x4.sub(g, mb), f32x4.mul(xhat, mg));
        }
        v128.store(dx + at, f32x4.mul(g, scale));
      }
    }
  }
  for (; j < cols; j++) {
    const o = <usize>j << 2;
    const m = load<f32>(mean + o), is = load<f32>(invstd + o);
    let sb: f32 = 0, sg: f32 = 0;
    for (let r = 0; r < rows; r++) {
      const at = <usize>r * rowBytes + o;
      const g = load<f32>(dy + at);
      sb += g;
      sg += g * ((load<f32>(x + at) - m) * is);
    }
    store<f32>(dbeta + o, sb);
    store<f32>(dgamma + o, sg);
    const scale = load<f32>(gamma + o) * is;
    const invRows = <f32>1 / <f32>rows;
    const mb = sb * invRows, mg = sg * invRows;
    for (let r = 0; r < rows; r++) {
      const at = <usize>r * rowBytes + o;
      let g = load<f32>(dy + at);
      if (batchStats) {
        const xhat = (load<f32>(x + at) - m) * is;
        g = (g - mb) - xhat * mg;
      }
      store<f32>(dx + at, g * scale);
    }
  }
}
