// Elementwise activations and their derivatives (activation codes as in
// src/backend/kernels.ts `Act`). One loop per activation: the exported function switches on
// the code once, then runs an f32x4 main loop and a scalar tail built from the same helpers
// (assembly/math.ts), so a tail element equals what a vector lane would have produced.
import { selectf, sigmoid1, tanh1, atan1, softplus1, sigmoid4, tanh4, atan4, softplus4 } from './math';

const IDENTITY: i32 = 0;
const SIGMOID: i32 = 1;
const BIPOLAR_SIGMOID: i32 = 2;
const TANH: i32 = 3;
const ARCTAN: i32 = 4;
const BINARY_STEP: i32 = 5;
const RELU: i32 = 6;
const LEAKY_RELU: i32 = 7;
const SOFTPLUS: i32 = 8;

// `act` is always a literal at the call sites below, so after inlining each loop body is
// a single activation (the other branches fold away).

// @ts-ignore: decorator
@inline function forward4(act: i32, alpha: v128, x: v128): v128 {
  if (act == SIGMOID) return sigmoid4(x);
  if (act == BIPOLAR_SIGMOID) return tanh4(f32x4.mul(x, f32x4.splat(0.5)));
  if (act == TANH) return tanh4(x);
  if (act == ARCTAN) return atan4(x);
  if (act == BINARY_STEP) return v128.and(f32x4.gt(x, f32x4.splat(0)), f32x4.splat(1));
  // x & ~(x ≤ 0): two instructions, NaN kept (NaN ≤ 0 is false), −0 → +0.
  if (act == RELU) return v128.andnot(x, f32x4.le(x, f32x4.splat(0)));
  if (act == LEAKY_RELU) return v128.bitselect(x, f32x4.mul(x, alpha), f32x4.gt(x, f32x4.splat(0)));
  if (act == SOFTPLUS) return softplus4(x);
  return x;
}

// @ts-ignore: decorator
@inline function forward1(act: i32, alpha: f32, x: f32): f32 {
  if (act == SIGMOID) return sigmoid1(x);
  if (act == BIPOLAR_SIGMOID) return tanh1(x * 0.5);
  if (act == TANH) return tanh1(x);
  if (act == ARCTAN) return atan1(x);
  if (act == BINARY_STEP) return <f32>(x > 0);
  if (act == RELU) return selectf(0, x, x <= 0);
  if (act == LEAKY_RELU) return selectf(x, x * alpha, x > 0);
  if (act == SOFTPLUS) return softplus1(x);
  return x;
}

// @ts-ignore: decorator
@inline function forwardLoop(act: i32, alpha: f32, x: usize, y: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const alpha4 = f32x4.splat(alpha);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(y + o, forward4(act, alpha4, v128.load(x + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, forward1(act, alpha, load<f32>(x + o)));
  }
}

/**
 * `y[i] = f(x[i])` for i < n, f32, where f is activation `act` (kernels.ts `Act` codes):
 * 0 identity, 1 sigmoid, 2 bipolar sigmoid (1−e^−z)/(1+e^−z) = tanh(z/2), 3 tanh, 4 arctan,
 * 5 binary step, 6 ReLU, 7 leaky ReLU with slope `param` for z ≤ 0, 8 softplus ln(1+e^z).
 *
 * - `x`, `y`: byte offsets of n floats, 4-byte aligned (unaligned vector access is used).
 * - f32x4 main loop, scalar tail for the last n mod 4 elements, any n ≥ 0.
 * - In place (y == x) allowed; partial overlap is not.
 * - Convention at 0: "positive" means z > 0, so step(0) = 0, ReLU(0) = 0, leaky(0) = 0.
 * - NaN in gives NaN out, except binary step, which maps NaN to 0. ±Infinity give the limits
 *   (sigmoid 1/0, tanh ±1, arctan ±π/2, softplus +Inf/0). Unknown codes write nothing.
 * - Accuracy: see assembly/math.ts (≤ ~2e-7 relative for the transcendental ones).
 */
export function f32_act_forward(act: i32, param: f32, x: usize, y: usize, n: i32): void {
  if (n <= 0) return;
  switch (act) {
    case IDENTITY: {
      if (x != y) memory.copy(y, x, <usize>n << 2);
      break;
    }
    case SIGMOID: forwardLoop(SIGMOID, param, x, y, n); break;
    case BIPOLAR_SIGMOID: forwardLoop(BIPOLAR_SIGMOID, param, x, y, n); break;
    case TANH: forwardLoop(TANH, param, x, y, n); break;
    case ARCTAN: forwardLoop(ARCTAN, param, x, y, n); break;
    case BINARY_STEP: forwardLoop(BINARY_STEP, param, x, y, n); break;
    case RELU: forwardLoop(RELU, param, x, y, n); break;
    case LEAKY_RELU: forwardLoop(LEAKY_RELU, param, x, y, n); break;
    case SOFTPLUS: forwardLoop(SOFTPLUS, param, x, y, n); break;
    default: break;
  }
}

// Derivative f'(z) from z and/or a = f(z), loading only the input the activation needs
// (WebAssembly loads may trap, so the optimizer would keep an unused one). Within a lane z or
// a is read before dz is written, so dz may alias any input.

/** Whether activation `act`'s derivative reads a (otherwise z, or nothing). */
// @ts-ignore: decorator
@inline function readsA(act: i32): bool {
  return act == SIGMOID || act == BIPOLAR_SIGMOID || act == TANH;
}

// @ts-ignore: decorator
@inline function deriv4(act: i32, alpha: v128, z: usize, a: usize): v128 {
  const one = f32x4.splat(1);
  if (readsA(act)) {
    const av = v128.load(a);
    if (act == SIGMOID) return f32x4.mul(av, f32x4.sub(one, av));
    if (act == BIPOLAR_SIGMOID) return f32x4.mul(f32x4.sub(one, f32x4.mul(av, av)), f32x4.splat(0.5));
    return f32x4.sub(one, f32x4.mul(av, av)); // tanh
  }
  if (act == BINARY_STEP) return f32x4.splat(0);
  if (act == IDENTITY) return one;
  const zv = v128.load(z);
  if (act == ARCTAN) return f32x4.div(one, f32x4.add(one, f32x4.mul(zv, zv)));
  if (act == RELU) return v128.and(f32x4.gt(zv, f32x4.splat(0)), one);
  if (act == LEAKY_RELU) return v128.bitselect(one, alpha, f32x4.gt(zv, f32x4.splat(0)));
  return sigmoid4(zv); // softplus
}

// @ts-ignore: decorator
@inline function deriv1(act: i32, alpha: f32, z: usize, a: usize): f32 {
  if (readsA(act)) {
    const av = load<f32>(a);
    if (act == SIGMOID) return av * (1 - av);
    if (act == BIPOLAR_SIGMOID) return (1 - av * av) * 0.5;
    return 1 - av * av; // tanh
  }
  if (act == BINARY_STEP) return 0;
  if (act == IDENTITY) return 1;
  const zv = load<f32>(z);
  if (act == ARCTAN) return 1 / (1 + zv * zv);
  if (act == RELU) return <f32>(zv > 0);
  if (act == LEAKY_RELU) return selectf(1, alpha, zv > 0);
  return sigmoid1(zv); // softplus
}

// @ts-ignore: decorator
@inline function backwardLoop(act: i32, alpha: f32, z: usize, a: usize, da: usize, dz: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const alpha4 = f32x4.splat(alpha);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const d = deriv4(act, alpha4, z + o, a + o);
      v128.store(dz + o, f32x4.mul(v128.load(da + o), d));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const d = deriv1(act, alpha, z + o, a + o);
    store<f32>(dz + o, load<f32>(da + o) * d);
  }
}

/**
 * `dz[i] = da[i]·f'(z[i])` for i < n, f32, with `a = f(z)` the forward output and `act`,
 * `param` as in {@link f32_act_forward}.
 *
 * - The derivative comes from whichever input is cheaper and exact: sigmoid a(1−a),
 *   bipolar sigmoid (1−a²)/2, tanh 1−a², arctan 1/(1+z²), softplus σ(z) (recomputed from z),
 *   ReLU z > 0 ? 1 : 0, leaky ReLU z > 0 ? 1 : α, step 0, identity 1. At z = 0 ReLU gives 0
 *   and leaky ReLU α (same "z > 0 is positive" convention as the forward pass). For ReLU,
 *   leaky ReLU z may be replaced by a (same sign). Only the input named is read (step and
 *   identity read neither), but both pointers must be valid.
 * - Always `da·f'` as a product, so NaN/Infinity in `da` propagate even where f' = 0.
 * - `z`, `a`, `da`, `dz`: byte offsets of n floats, 4-byte aligned. f32x4 main loop, scalar
 *   tail, any n ≥ 0. `dz` may alias `da` (or z or a) exactly; no partial overlap.
 * - Unknown codes write nothing.
 */
export function f32_act_backward(act: i32, param: f32, z: usize, a: usize, da: usize, dz: usize, n: i32): void {
  if (n <= 0) return;
  switch (act) {
    case IDENTITY: backwardLoop(IDENTITY, param, z, a, da, dz, n); break;
    case SIGMOID: backwardLoop(SIGMOID, param, z, a, da, dz, n); break;
    case BIPOLAR_SIGMOID: backwardLoop(BIPOLAR_SIGMOID, param, z, a, da, dz, n); break;
    case TANH: backwardLoop(TANH, param, z, a, da, dz, n); break;
    case ARCTAN: backwardLoop(ARCTAN, param, z, a, da, dz, n); break;
    case BINARY_STEP: backwardLoop(BINARY_STEP, param, z, a, da, dz, n); break;
    case RELU: backwardLoop(RELU, param, z, a, da, dz, n); break;
    case LEAKY_RELU: backwardLoop(LEAKY_RELU, param, z, a, da, dz, n); break;
    case SOFTPLUS: backwardLoop(SOFTPLUS, param, z, a, da, dz, n); break;
    default: break;
  }
}
