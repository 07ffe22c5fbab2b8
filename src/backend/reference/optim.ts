/**
 * Reference optimizer updates in f64 (state stored back as f32), following the formulas in
 * src/backend/kernels.ts literally; Math.pow for Adam's bias correction.
 */
import type { Heap } from '../../wasm/heap.js';

/** `w −= lr·g`. */
export function sgd(heap: Heap, w: number, g: number, n: number, lr: number): void {
  const f = heap.f32;
  const a = w >> 2, b = g >> 2;
  for (let i = 0; i < n; i++) f[a + i] = f[a + i]! - lr * f[b + i]!;
}

/** `v = mu·v + g; w −= lr·v` (or `w −= lr·(g + mu·v)` with nesterov). */
export function momentum(
  heap: Heap, w: number, g: number, v: number, n: number, lr: number, mu: number, nesterov: boolean,
): void {
  const f = heap.f32;
  const a = w >> 2, b = g >> 2, c = v >> 2;
  for (let i = 0; i < n; i++) {
    const gi = f[b + i]!;
    const vi = mu * f[c + i]! + gi;
    f[c + i] = vi;
    f[a + i] = f[a + i]! - lr * (nesterov ? gi + mu * vi : vi);
  }
}

/** `s = rho·s + (1−rho)·g²; w −= lr·g / (√s + eps)`. */
export function rmsprop(
  heap: Heap, w: number, g: number, s: number, n: number, lr: number, rho: number, eps: number,
): void {
  const f = heap.f32;
  const a = w >> 2, b = g >> 2, c = s >> 2;
  for (let i = 0; i < n; i++) {
    const gi = f[b + i]!;
    const si = rho * f[c + i]! + (1 - rho) * gi * gi;
    f[c + i] = si;
    f[a + i] = f[a + i]! - (lr * gi) / (Math.sqrt(si) + eps);
  }
}

/** Adam with bias correction for step t ≥ 1. */
export function adam(
  heap: Heap, w: number, g: number, m: number, v: number, n: number,
  lr: number, beta1: number, beta2: number, eps: number, t: number,
): void {
  const f = heap.f32;
  const a = w >> 2, b = g >> 2, c = m >> 2, d = v >> 2;
  const bc1 = 1 - Math.pow(beta1, t);
  const bc2 = 1 - Math.pow(beta2, t);
  for (let i = 0; i < n; i++) {
    const gi = f[b + i]!;
    const mi = beta1 * f[c + i]! + (1 - beta1) * gi;
    const vi = beta2 * f[d + i]! + (1 - beta2) * gi * gi;
    f[c + i] = mi;
    f[d + i] = vi;
    f[a + i] = f[a + i]! - (lr * (mi / bc1)) / (Math.sqrt(vi / bc2) + eps);
  }
}
