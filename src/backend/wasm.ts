/**
 * The WASM backend: the kernel ABI bound to one instance of the AssemblyScript build.
 * Each method is a direct call into the module; no data is copied.
 */
import type { ActCode, Kernels, KernelFlavor } from './kernels.js';
import { instantiate, preferredBuild, type WasmBuild } from '../wasm/loader.js';
import { partKernels, type PartMethods } from './parts.js';
import { filterGradTapGroupCount } from './tap-groups.js';

type F = (...args: number[]) => number;

/** The exported functions, by their ABI names (see assembly/index.ts). */
interface KernelExports {
  f32_gemm_workspace_bytes: F; f32_gemm: F; f32_gemm_packed_b_bytes: F; f32_gemm_pack_b: F; f32_gemm_packed: F;
  f32_act_forward: F; f32_act_backward: F;
  f32_vadd: F; f32_vsub: F; f32_vmul: F; f32_vscale: F; f32_axpy: F;
  f32_add_row_vector: F; f32_add_col_vector: F;
  f32_sum: F; f32_sum_rows: F; f32_sum_cols: F; f32_max: F; f32_argmax_rows: F; f32_dot: F; f32_sumsq: F;
  f32_first_nonfinite: F;
  f32_softmax_rows: F; f32_log_softmax_rows: F;
  f32_softmax_xent: F; f32_sigmoid_bce: F; f32_squared_error: F; f32_huber_error: F;
  f32_sgd: F; f32_momentum: F; f32_rmsprop: F; f32_adam: F;
  f32_im2col_nhwc: F; f32_col2im_nhwc: F; f32_conv2d_nhwc: F; f32_conv2d_nhwc_filter_grad: F;
  f32_maxpool2d_nhwc: F; f32_maxpool2d_backward: F; f32_avgpool2d_nhwc: F; f32_avgpool2d_backward_nhwc: F;
  f32_batchnorm_stats: F; f32_batchnorm_forward: F; f32_batchnorm_backward: F;
}

/** Kernels running in WASM over `memory`; `build` defaults to the best one this runtime supports. */
export function wasmKernels(memory: WebAssembly.Memory, build: WasmBuild = preferredBuild()): Kernels {
  return bindWasm(memory, build).kernels;
}

/**
 * Instantiate `build` over `memory` (the shared-memory variant when `memory` is shared) and
 * bind the kernel ABI; also returns the raw exports, which the thread pool calls by name.
 * The relaxed build reports the `wasm-simd` flavor: it is the SIMD build with fused multiply-adds.
 */
export function bindWasm(memory: WebAssembly.Memory, build: WasmBuild): { kernels: Kernels; exports: WebAssembly.Exports } {
  const exports = instantiate(build, memory);
  const x = exports as unknown as KernelExports;
  const flavor: KernelFlavor = build === 'scalar' ? 'wasm-scalar' : 'wasm-simd';
  const primitives: Omit<Kernels, keyof PartMethods> = {
    flavor,
    gemmWorkspaceBytes: () => x.f32_gemm_workspace_bytes(),
    gemm: (transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bias, act: ActCode, actParam, work) =>
      void x.f32_gemm(+transA, +transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bias, act, actParam, work),
    gemmPackedBytes: (n, k) => x.f32_gemm_packed_b_bytes(n, k),
    gemmPackB: (transB, n, k, b, ldb, packed) => void x.f32_gemm_pack_b(+transB, n, k, b, ldb, packed),
    gemmPacked: (transA, m, n, k, alpha, a, lda, packed, beta, c, ldc, bias, act: ActCode, actParam, work) =>
      void x.f32_gemm_packed(+transA, m, n, k, alpha, a, lda, packed, beta, c, ldc, bias, act, actParam, work),
    activationForward: (act, param, xp, y, n) => void x.f32_act_forward(act, param, xp, y, n),
    activationBackward: (act, param, z, a, da, dz, n) => void x.f32_act_backward(act, param, z, a, da, dz, n),
    add: (a, b, out, n) => void x.f32_vadd(a, b, out, n),
    sub: (a, b, out, n) => void x.f32_vsub(a, b, out, n),
    mul: (a, b, out, n) => void x.f32_vmul(a, b, out, n),
    scale: (a, s, out, n) => void x.f32_vscale(a, s, out, n),
    axpy: (alpha, a, y, n) => void x.f32_axpy(alpha, a, y, n),
    addRowVector: (a, v, out, rows, cols) => void x.f32_add_row_vector(a, v, out, rows, cols),
    addColVector: (a, v, out, rows, cols) => void x.f32_add_col_vector(a, v, out, rows, cols),
    sum: (a, n) => x.f32_sum(a, n),
    sumRows: (a, out, rows, cols) => void x.f32_sum_rows(a, out, rows, cols),
    sumCols: (a, out, rows, cols) => void x.f32_sum_cols(a, out, rows, cols),
    max: (a, n) => x.f32_max(a, n),
    argmaxRows: (a, out, rows, cols) => void x.f32_argmax_rows(a, out, rows, cols),
    dot: (a, b, n) => x.f32_dot(a, b, n),
    sumSquares: (a, n) => x.f32_sumsq(a, n),
    firstNonFinite: (a, n) => x.f32_first_nonfinite(a, n),
    softmaxRows: (a, out, rows, cols) => void x.f32_softmax_rows(a, out, rows, cols),
    logSoftmaxRows: (a, out, rows, cols) => void x.f32_log_softmax_rows(a, out, rows, cols),
    softmaxCrossEntropy: (logits, y, probs, grad, rows, cols, gradScale) =>
      x.f32_softmax_xent(logits, y, probs, grad, rows, cols, gradScale),
    sigmoidBinaryCrossEntropy: (logits, y, probs, grad, n, gradScale) =>
      x.f32_sigmoid_bce(logits, y, probs, grad, n, gradScale),
    squaredError: (p, y, grad, n, gradScale) => x.f32_squared_error(p, y, grad, n, gradScale),
    huberError: (p, y, grad, n, delta, gradScale) => x.f32_huber_error(p, y, grad, n, delta, gradScale),
    sgd: (w, g, n, lr) => void x.f32_sgd(w, g, n, lr),
    momentum: (w, g, v, n, lr, mu, nesterov) => void x.f32_momentum(w, g, v, n, lr, mu, +nesterov),
    rmsprop: (w, g, s, n, lr, rho, eps) => void x.f32_rmsprop(w, g, s, n, lr, rho, eps),
    adam: (w, g, m, v, n, lr, b1, b2, eps, t) => void x.f32_adam(w, g, m, v, n, lr, b1, b2, eps, t),
    im2col: (...args) => void x.f32_im2col_nhwc(...args),
    col2im: (...args) => void x.f32_col2im_nhwc(...args),
    conv2d: (...args) => void x.f32_conv2d_nhwc(...args),
    // The export computes filters [j0, j1) of tap groups [g0, g1) of dw (the thread pool splits them); here all.
    conv2dFilterGrad: (xp, batch, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow, dz, filters, dw, db) =>
      void x.f32_conv2d_nhwc_filter_grad(xp, batch, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow, dz, filters, 0, filters, 0, filterGradTapGroupCount(kh, kw * c), dw, db),
    maxPool2d: (...args) => void x.f32_maxpool2d_nhwc(...args),
    maxPool2dBackward: (dy, argmax, batch, outputs, dx, inputs) => void x.f32_maxpool2d_backward(dy, argmax, batch, outputs, dx, inputs),
    avgPool2d: (...args) => void x.f32_avgpool2d_nhwc(...args),
    avgPool2dBackward: (...args) => void x.f32_avgpool2d_backward_nhwc(...args),
    // The exports take a row stride (the thread pool splits by columns); whole matrices are dense.
    batchNormStats: (a, rows, cols, mean, variance) => void x.f32_batchnorm_stats(a, rows, cols, cols, mean, variance),
    batchNormForward: (a, rows, cols, mean, invstd, gamma, beta, y) =>
      void x.f32_batchnorm_forward(a, rows, cols, mean, invstd, gamma, beta, y),
    batchNormBackward: (a, dy, rows, cols, mean, invstd, gamma, batchStats, dx, dgamma, dbeta) =>
      void x.f32_batchnorm_backward(a, dy, rows, cols, cols, mean, invstd, gamma, +batchStats, dx, dgamma, dbeta),
  };
  return { kernels: { ...primitives, ...partKernels(primitives) }, exports };
}
