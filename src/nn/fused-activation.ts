/**
 * An elementwise activation around a layer's GEMM, shared by dense and conv2d: fused into
 * the GEMM's epilogue when backward can read g' from a = g(z) (so z is never stored), else a
 * separate pass from z, which the layer keeps.
 */
import { Act, type ActCode, type Kernels } from '../backend/kernels.js';
import type { ResolvedActivation } from './activations.js';

/** A layer's GEMM writing its n outputs to `out`, with activation `code` in the epilogue. */
export type GemmInto = (out: number, code: ActCode, param: number) => void;

/** a = g(gemm) for an elementwise activation (`act.code` defined); z is written only when backward needs it. */
export function gemmActivate(k: Kernels, act: ResolvedActivation, code: ActCode, gemm: GemmInto, z: number, a: number, n: number): void {
  if (act.derivativeFromOutput) {
    gemm(a, code, act.param);
  } else {
    gemm(z, Act.identity, 0);
    k.activationForward(code, act.param, z, a, n);
  }
}

/** grad ← grad ⊙ g'(·) in place, from a or z as {@link gemmActivate} kept them. */
export function activationGradient(k: Kernels, act: ResolvedActivation, code: ActCode, z: number, a: number, grad: number, n: number): void {
  if (code === Act.identity) return;
  // Activations whose derivative is a function of a are given a in place of z.
  k.activationBackward(code, act.param, act.derivativeFromOutput ? a : z, a, grad, grad, n);
}
