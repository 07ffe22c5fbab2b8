// Optimizer updates: each one pass over n parameters, updating the weights and the state
// arrays in place (f32x4 with a scalar tail; any n ≥ 0). Arithmetic is f32 and unfused,
// written in the order of the formula in src/backend/kernels.ts so the f64 reference agrees
// to a few ulp. `w`, `g` and the state arrays are byte offsets, 4-byte aligned, and must not
// overlap one another.
import { powi } from './math';

/** Plain gradient descent: `w[i] −= lr·g[i]`. */
export function f32_sgd(w: usize, g: usize, n: i32, lr: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const lr4 = f32x4.splat(lr);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(w + o, f32x4.sub(v128.load(w + o), f32x4.mul(lr4, v128.load(g + o))));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(w + o, load<f32>(w + o) - lr * load<f32>(g + o));
  }
}

/**
 * Momentum: `v = mu·v + g`, then `w −= lr·v`, or with `nesterov` ≠ 0 `w −= lr·(g + mu·v)`
 * using the updated v. Updates w and v in place.
 */
export function f32_momentum(w: usize, g: usize, v: usize, n: i32, lr: f32, mu: f32, nesterov: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const lr4 = f32x4.splat(lr);
    const mu4 = f32x4.splat(mu);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const gv = v128.load(g + o);
      const vv = f32x4.add(f32x4.mul(mu4, v128.load(v + o)), gv);
      v128.store(v + o, vv);
      const step = nesterov != 0 ? f32x4.add(gv, f32x4.mul(mu4, vv)) : vv;
      v128.store(w + o, f32x4.sub(v128.load(w + o), f32x4.mul(lr4, step)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gv = load<f32>(g + o);
    const vv = mu * load<f32>(v + o) + gv;
    store<f32>(v + o, vv);
    const step = nesterov != 0 ? gv + mu * vv : vv;
    store<f32>(w + o, load<f32>(w + o) - lr * step);
  }
}

/** RMSprop: `s = rho·s + (1 − rho)·g²; w −= lr·g / (√s + eps)`. Updates w and s in place. */
export function f32_rmsprop(w: usize, g: usize, s: usize, n: i32, lr: f32, rho: f32, eps: f32): void {
  const c: f32 = 1 - rho;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const lr4 = f32x4.splat(lr);
    const rho4 = f32x4.splat(rho);
    const c4 = f32x4.splat(c);
    const eps4 = f32x4.splat(eps);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const gv = v128.load(g + o);
      const sv = f32x4.add(f32x4.mul(rho4, v128.load(s + o)), f32x4.mul(c4, f32x4.mul(gv, gv)));
      v128.store(s + o, sv);
      const step = f32x4.div(f32x4.mul(lr4, gv), f32x4.add(f32x4.sqrt(sv), eps4));
      v128.store(w + o, f32x4.sub(v128.load(w + o), step));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gv = load<f32>(g + o);
    const sv = rho * load<f32>(s + o) + c * (gv * gv);
    store<f32>(s + o, sv);
    store<f32>(w + o, load<f32>(w + o) - lr * gv / (sqrt<f32>(sv) + eps));
  }
}

/**
 * Adam for step t ≥ 1: `m = b1·m + (1 − b1)·g; v = b2·v + (1 − b2)·g²;
 * w −= lr·m̂ / (√v̂ + eps)` with m̂ = m/(1 − b1^t), v̂ = v/(1 − b2^t). The two bias
 * corrections are computed once per call in f64 and applied as f32 reciprocals. Updates w, m
 * and v in place.
 */
export function f32_adam(
  w: usize, g: usize, m: usize, v: usize, n: i32,
  lr: f32, beta1: f32, beta2: f32, eps: f32, t: i32,
): void {
  const c1: f32 = 1 - beta1;
  const c2: f32 = 1 - beta2;
  const mScale = <f32>(1 / (1 - powi(<f64>beta1, t)));
  const vScale = <f32>(1 / (1 - powi(<f64>beta2, t)));
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const lr4 = f32x4.splat(lr);
    const b14 = f32x4.splat(beta1);
    const b24 = f32x4.splat(beta2);
    const c14 = f32x4.splat(c1);
    const c24 = f32x4.splat(c2);
    const ms4 = f32x4.splat(mScale);
    const vs4 = f32x4.splat(vScale);
    const eps4 = f32x4.splat(eps);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const gv = v128.load(g + o);
      const mv = f32x4.add(f32x4.mul(b14, v128.load(m + o)), f32x4.mul(c14, gv));
      const vv = f32x4.add(f32x4.mul(b24, v128.load(v + o)), f32x4.mul(c24, f32x4.mul(gv, gv)));
      v128.store(m + o, mv);
      v128.store(v + o, vv);
      const den = f32x4.add(f32x4.sqrt(f32x4.mul(vv, vs4)), eps4);
      const step = f32x4.div(f32x4.mul(lr4, f32x4.mul(mv, ms4)), den);
      v128.store(w + o, f32x4.sub(v128.load(w + o), step));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gv = load<f32>(g + o);
    const mv = beta1 * load<f32>(m + o) + c1 * gv;
    const vv = beta2 * load<f32>(v + o) + c2 * (gv * gv);
    store<f32>(m + o, mv);
    store<f32>(v + o, vv);
    const den = sqrt<f32>(vv * vScale) + eps;
    store<f32>(w + o, load<f32>(w + o) - lr * (mv * mScale) / den);
  }
}
