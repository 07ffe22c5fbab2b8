/**
 * Reference fused losses in f64 with Math.exp/Math.log/Math.log1p. Same contracts as
 * assembly/loss.ts: pointer 0 skips an output, probs/grad may alias the logits, the returned
 * loss is the plain sum (not averaged).
 */
import type { Heap } from '../../wasm/heap.js';

/** Softmax + cross-entropy; returns Σ_rows −Σ_j y·log softmax. */
export function softmaxCrossEntropy(
  heap: Heap, logits: number, y: number, probs: number, grad: number, rows: number, cols: number, gradScale: number,
): number {
  const f = heap.f32;
  const z = logits >> 2, t = y >> 2, p = probs >> 2, g = grad >> 2;
  const row = new Float64Array(cols);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, f[z + base + j]!);
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(f[z + base + j]! - m);
    const logSum = Math.log(s);
    for (let j = 0; j < cols; j++) {
      const logP = f[z + base + j]! - m - logSum;
      row[j] = logP;
      total -= f[t + base + j]! * logP;
    }
    // Written only after the row's logits have all been read: probs/grad may alias them.
    for (let j = 0; j < cols; j++) {
      const pj = Math.exp(row[j]!);
      if (probs !== 0) f[p + base + j] = pj;
      if (grad !== 0) f[g + base + j] = gradScale * (pj - f[t + base + j]!);
    }
  }
  return total;
}

/** Sigmoid + binary cross-entropy; returns Σ max(z,0) − z·y + log1p(e^−|z|). */
export function sigmoidBinaryCrossEntropy(
  heap: Heap, logits: number, y: number, probs: number, grad: number, n: number, gradScale: number,
): number {
  const f = heap.f32;
  const z = logits >> 2, t = y >> 2, p = probs >> 2, g = grad >> 2;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const zi = f[z + i]!;
    const yi = f[t + i]!;
    const e = Math.exp(-Math.abs(zi));
    total += Math.max(zi, 0) - zi * yi + Math.log1p(e);
    const s = zi >= 0 ? 1 / (1 + e) : e / (1 + e);
    if (probs !== 0) f[p + i] = s;
    if (grad !== 0) f[g + i] = gradScale * (s - yi);
  }
  return total;
}

/** Squared error; returns Σ (p − y)², writes gradScale·2(p − y). */
export function squaredError(heap: Heap, p: number, y: number, grad: number, n: number, gradScale: number): number {
  const f = heap.f32;
  const a = p >> 2, t = y >> 2, g = grad >> 2;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const d = f[a + i]! - f[t + i]!;
    total += d * d;
    if (grad !== 0) f[g + i] = gradScale * 2 * d;
  }
  return total;
}

/**
 * Huber error; returns Σ h(p − y) with h(d) = ½d² for |d| ≤ δ, δ(|d| − ½δ) beyond, writes
 * gradScale·clamp(p − y, −δ, δ). Written piecewise, as the definition reads, so it checks the
 * kernel's branch-free c·(|d| − ½c) form; NaN falls to the second branch and stays NaN.
 */
export function huberError(heap: Heap, p: number, y: number, grad: number, n: number, delta: number, gradScale: number): number {
  const f = heap.f32;
  const a = p >> 2, t = y >> 2, g = grad >> 2;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const d = f[a + i]! - f[t + i]!;
    const ad = Math.abs(d);
    total += ad <= delta ? 0.5 * d * d : delta * (ad - 0.5 * delta);
    if (grad !== 0) f[g + i] = gradScale * Math.min(Math.max(d, -delta), delta);
  }
  return total;
}
