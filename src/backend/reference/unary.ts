/**
 * Reference activations: plain TypeScript in f64 with Math.exp/Math.tanh/Math.atan as the
 * oracle; results are rounded to f32 only when stored. Conventions match assembly/unary.ts:
 * "positive" means z > 0 (step(0) = ReLU(0) = 0, ReLU'(0) = 0, leaky'(0) = α), binary step
 * maps NaN to 0, unknown codes write nothing.
 */
import { Act, type ActCode } from '../kernels.js';
import type { Heap } from '../../wasm/heap.js';

/** σ(z) without overflow on either side. */
function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const t = Math.exp(z);
  return t / (1 + t);
}

/** f(z) for one activation code, in f64. */
function activationValue(act: ActCode, alpha: number, z: number): number {
  switch (act) {
    case Act.identity: return z;
    case Act.sigmoid: return sigmoid(z);
    // (1 − e^−z)/(1 + e^−z) is tanh(z/2); the tanh form has no cancellation near 0.
    case Act.bipolarSigmoid: return Math.tanh(z / 2);
    case Act.tanh: return Math.tanh(z);
    case Act.arctan: return Math.atan(z);
    case Act.binaryStep: return z > 0 ? 1 : 0;
    case Act.relu: return Number.isNaN(z) ? z : z > 0 ? z : 0;
    case Act.leakyRelu: return z > 0 ? z : alpha * z;
    case Act.softplus: return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    default: return NaN;
  }
}

/** f'(z) for one activation code, from z or a = f(z) exactly as the WASM kernel reads them. */
function activationDerivative(act: ActCode, alpha: number, z: number, a: number): number {
  switch (act) {
    case Act.identity: return 1;
    case Act.sigmoid: return a * (1 - a);
    case Act.bipolarSigmoid: return (1 - a * a) / 2;
    case Act.tanh: return 1 - a * a;
    case Act.arctan: return 1 / (1 + z * z);
    case Act.binaryStep: return 0;
    case Act.relu: return z > 0 ? 1 : 0;
    case Act.leakyRelu: return z > 0 ? 1 : alpha;
    case Act.softplus: return sigmoid(z);
    default: return NaN;
  }
}

function known(act: number): boolean {
  return Number.isInteger(act) && act >= Act.identity && act <= Act.softplus;
}

/** `y[i] = f(x[i])`; in place allowed. */
export function activationForward(heap: Heap, act: ActCode, param: number, x: number, y: number, n: number): void {
  if (n <= 0 || !known(act)) return;
  const f = heap.f32;
  const xi = x >> 2;
  const yi = y >> 2;
  for (let i = 0; i < n; i++) f[yi + i] = activationValue(act, param, f[xi + i]!);
}

/** `dz[i] = da[i]·f'(z[i])`; dz may alias da. */
export function activationBackward(
  heap: Heap, act: ActCode, param: number, z: number, a: number, da: number, dz: number, n: number,
): void {
  if (n <= 0 || !known(act)) return;
  const f = heap.f32;
  const zi = z >> 2;
  const ai = a >> 2;
  const di = da >> 2;
  const oi = dz >> 2;
  for (let i = 0; i < n; i++) f[oi + i] = f[di + i]! * activationDerivative(act, param, f[zi + i]!, f[ai + i]!);
}
