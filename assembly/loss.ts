// Fused losses: the forward value (returned as f64, summed over the batch), the predicted
// probabilities and the gradient with respect to the logits in one sweep over the data.
// Per-element work is f32 (f32x4 with scalar tails); the loss total is accumulated in f64,
// per row (softmax) or per CHUNK elements (elementwise losses), so long batches do not lose
// the small terms.
import { selectf, rowMax, scaleRow, hsum4, exp1, exp4, log1, log1pUnit1, log1pUnit4 } from './math';

/** Elements summed in f32 before the partial sum is added to the f64 total. */
const CHUNK: i32 = 256;

/**
 * Softmax + categorical cross-entropy over a row-major rows×cols f32 matrix of logits z with
 * targets y of the same shape (one-hot or any distribution). Returns
 * Σ_rows −Σ_j y_j·(z_j − m − log S) as f64 (not averaged), where m is the row max and
 * S = Σ_j e^(z_j − m): the log-softmax form, so a probability that underflows to 0 never
 * meets log(0). Writes softmax(z) to `probs` and `gradScale·(softmax(z) − y)` to `grad`;
 * either pointer may be 0 to skip it.
 *
 * Per row: max; one pass computing e^(z − m) (stored into probs, or grad when probs is
 * skipped), S, Σ y(z − m) and Σ y; one pass normalising and forming the gradient. f32x4
 * loops with scalar tails; any rows, cols ≥ 0 (returns 0 when empty).
 * Aliasing: `probs` or `grad` may equal `logits` (each element is read before it is
 * written); `probs` and `grad` must differ from each other and from `y`.
 * Byte offsets, 4-byte aligned. NaN/−Infinity logits give NaN (0·−Infinity), as the reference.
 */
export function f32_softmax_xent(
  logits: usize, y: usize, probs: usize, grad: usize, rows: i32, cols: i32, gradScale: f32,
): f64 {
  if (rows <= 0 || cols <= 0) return 0;
  const rowBytes = <usize>cols << 2;
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    const pz = logits + off;
    const py = y + off;
    const pp: usize = probs != 0 ? probs + off : 0;
    const pg: usize = grad != 0 ? grad + off : 0;
    // Where the unnormalised exponentials go, if anywhere.
    const pe: usize = pp != 0 ? pp : pg;
    const m = rowMax(pz, cols);
    let sumE: f32 = 0;
    let sumYD: f32 = 0;
    let sumY: f32 = 0;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      const m4 = f32x4.splat(m);
      let aE = f32x4.splat(0);
      let aYD = aE;
      let aY = aE;
      for (; j + 4 <= cols; j += 4) {
        const o = <usize>j << 2;
        const d = f32x4.sub(v128.load(pz + o), m4);
        const yv = v128.load(py + o);
        const e = exp4(d);
        if (pe != 0) v128.store(pe + o, e);
        aE = f32x4.add(aE, e);
        aYD = f32x4.add(aYD, f32x4.mul(yv, d));
        aY = f32x4.add(aY, yv);
      }
      sumE = hsum4(aE);
      sumYD = hsum4(aYD);
      sumY = hsum4(aY);
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      const d = load<f32>(pz + o) - m;
      const yv = load<f32>(py + o);
      const e = exp1(d);
      if (pe != 0) store<f32>(pe + o, e);
      sumE += e;
      sumYD += yv * d;
      sumY += yv;
    }
    const logS = <f64>log1(sumE);
    total += logS * <f64>sumY - <f64>sumYD;

    if (pe == 0) continue;
    const inv: f32 = <f32>1 / sumE;
    if (pg == 0) {
      scaleRow(pp, pp, cols, inv);
      continue;
    }
    // pe holds the exponentials: probs when wanted, else grad.
    j = 0;
    if (ASC_FEATURE_SIMD) {
      const inv4 = f32x4.splat(inv);
      const gs4 = f32x4.splat(gradScale);
      for (; j + 4 <= cols; j += 4) {
        const o = <usize>j << 2;
        const p = f32x4.mul(v128.load(pe + o), inv4);
        if (pp != 0) v128.store(pp + o, p);
        v128.store(pg + o, f32x4.mul(gs4, f32x4.sub(p, v128.load(py + o))));
      }
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      const p = load<f32>(pe + o) * inv;
      if (pp != 0) store<f32>(pp + o, p);
      store<f32>(pg + o, gradScale * (p - load<f32>(py + o)));
    }
  }
  return total;
}

/**
 * Sigmoid + binary cross-entropy on n f32 logits z against targets y (usually 0/1, any real
 * allowed). Returns Σ [max(z,0) − z·y + log1p(e^−|z|)] as f64: no overflow for any |z|, and
 * log1p keeps tiny e^−|z| (large |z|) exact. Writes σ(z) to `probs` and
 * `gradScale·(σ(z) − y)` to `grad`; either pointer may be 0 to skip it.
 *
 * One pass, f32x4 with a scalar tail, f32 partial sums added to the f64 total every 256
 * elements; any n ≥ 0. `probs`/`grad` may equal `logits` or `y` (same-index reads first);
 * they must differ from each other. Byte offsets, 4-byte aligned.
 */
export function f32_sigmoid_bce(
  logits: usize, y: usize, probs: usize, grad: usize, n: i32, gradScale: f32,
): f64 {
  let total: f64 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0);
    const one = f32x4.splat(1);
    const gs4 = f32x4.splat(gradScale);
    while (i + 4 <= n) {
      const end = min(n, i + CHUNK) & ~3;
      let acc = zero;
      for (; i < end; i += 4) {
        const o = <usize>i << 2;
        const z = v128.load(logits + o);
        const yv = v128.load(y + o);
        const t = exp4(f32x4.neg(f32x4.abs(z)));
        const loss = f32x4.add(f32x4.sub(f32x4.max(z, zero), f32x4.mul(z, yv)), log1pUnit4(t));
        acc = f32x4.add(acc, loss);
        if ((probs | grad) != 0) {
          const rcp = f32x4.div(one, f32x4.add(one, t));
          const p = v128.bitselect(rcp, f32x4.mul(t, rcp), f32x4.ge(z, zero));
          if (probs != 0) v128.store(probs + o, p);
          if (grad != 0) v128.store(grad + o, f32x4.mul(gs4, f32x4.sub(p, yv)));
        }
      }
      total += <f64>hsum4(acc);
    }
  }
  let acc1: f32 = 0;
  let count = 0;
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const z = load<f32>(logits + o);
    const yv = load<f32>(y + o);
    const t = exp1(-abs<f32>(z));
    acc1 += (max<f32>(z, 0) - z * yv) + log1pUnit1(t);
    if ((probs | grad) != 0) {
      const rcp: f32 = 1 / (1 + t);
      const p = selectf(rcp, t * rcp, z >= 0);
      if (probs != 0) store<f32>(probs + o, p);
      if (grad != 0) store<f32>(grad + o, gradScale * (p - yv));
    }
    if (++count == CHUNK) {
      total += <f64>acc1;
      acc1 = 0;
      count = 0;
    }
  }
  return total + <f64>acc1;
}

/**
 * Squared error on n f32 predictions p against targets y: returns Σ (p − y)² as f64 and
 * writes `grad = gradScale·2(p − y)` (`grad` = 0 skips it). One pass, f32x4 with a scalar
 * tail, f32 partial sums added to the f64 total every 256 elements; any n ≥ 0. `grad` may
 * equal `p` or `y`. Byte offsets, 4-byte aligned.
 */
export function f32_squared_error(p: usize, y: usize, grad: usize, n: i32, gradScale: f32): f64 {
  const g2: f32 = gradScale * 2;
  let total: f64 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const g4 = f32x4.splat(g2);
    while (i + 4 <= n) {
      const end = min(n, i + CHUNK) & ~3;
      let acc = f32x4.splat(0);
      for (; i < end; i += 4) {
        const o = <usize>i << 2;
        const d = f32x4.sub(v128.load(p + o), v128.load(y + o));
        acc = f32x4.add(acc, f32x4.mul(d, d));
        if (grad != 0) v128.store(grad + o, f32x4.mul(g4, d));
      }
      total += <f64>hsum4(acc);
    }
  }
  let acc1: f32 = 0;
  let count = 0;
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const d = load<f32>(p + o) - load<f32>(y + o);
    acc1 += d * d;
    if (grad != 0) store<f32>(grad + o, g2 * d);
    if (++count == CHUNK) {
      total += <f64>acc1;
      acc1 = 0;
      count = 0;
    }
  }
  return total + <f64>acc1;
}

/**
 * Huber error on n f32 predictions p against targets y with threshold δ = `delta` > 0:
 * returns Σ h(p − y) as f64, where h(d) = ½d² for |d| ≤ δ and δ·(|d| − ½δ) beyond, and
 * writes `grad = gradScale·clamp(p − y, −δ, δ)` (`grad` = 0 skips it). Evaluated branch-free
 * as c·(|d| − ½c) with c = min(|d|, δ), which is both pieces at once; the two agree in value
 * and slope at |d| = δ, so rounding near the kink cannot jump.
 *
 * One pass, f32x4 with a scalar tail (the whole loop when built without SIMD), f32 partial
 * sums added to the f64 total every 256 elements; any n ≥ 0 (returns 0 when empty). `grad`
 * may equal `p` or `y` (same-index reads first) but must not partly overlap either. NaN in p
 * or y gives a NaN loss and a NaN gradient there (WASM min/max propagate NaN); an infinite
 * residual gives an infinite loss and the finite gradient ±δ·gradScale. Byte offsets, 4-byte
 * aligned.
 */
export function f32_huber_error(p: usize, y: usize, grad: usize, n: i32, delta: f32, gradScale: f32): f64 {
  let total: f64 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const dl4 = f32x4.splat(delta);
    const nd4 = f32x4.splat(-delta);
    const half4 = f32x4.splat(0.5);
    const gs4 = f32x4.splat(gradScale);
    while (i + 4 <= n) {
      const end = min(n, i + CHUNK) & ~3;
      let acc = f32x4.splat(0);
      for (; i < end; i += 4) {
        const o = <usize>i << 2;
        const d = f32x4.sub(v128.load(p + o), v128.load(y + o));
        const a = f32x4.abs(d);
        const c = f32x4.min(a, dl4);
        acc = f32x4.add(acc, f32x4.mul(c, f32x4.sub(a, f32x4.mul(half4, c))));
        if (grad != 0) v128.store(grad + o, f32x4.mul(gs4, f32x4.min(f32x4.max(d, nd4), dl4)));
      }
      total += <f64>hsum4(acc);
    }
  }
  let acc1: f32 = 0;
  let count = 0;
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const d = load<f32>(p + o) - load<f32>(y + o);
    const a = abs<f32>(d);
    const c = min<f32>(a, delta);
    acc1 += c * (a - <f32>0.5 * c);
    if (grad != 0) store<f32>(grad + o, gradScale * min<f32>(max<f32>(d, -delta), delta));
    if (++count == CHUNK) {
      total += <f64>acc1;
      acc1 = 0;
      count = 0;
    }
  }
  return total + <f64>acc1;
}
