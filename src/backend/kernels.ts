/**
 * The kernel ABI shared by every backend.
 *
 * Every kernel works on f32 data that lives in one linear memory (the {@link Heap}).
 * Conventions, the same for the WASM and the reference backend:
 * - pointers are byte offsets into that memory, 4-byte aligned (16 recommended);
 * - counts (`n`, `rows`, `cols`, `m`, `k`) are element counts; zero is always legal and
 *   then nothing is read or written;
 * - matrices are row-major; `ld*` is the leading dimension (elements between the starts of
 *   consecutive rows) and must be at least the row length;
 * - unless a kernel says otherwise, an output may alias an input of the same shape exactly
 *   (in place) but must not partially overlap one;
 * - kernels never allocate; the GEMM takes a caller-provided packing workspace.
 *
 * Arguments are validated by the callers at the public boundary (tensors, layers), never here.
 */

/** Elementwise activation codes; the numbers are part of the WASM ABI. */
export const Act = {
  identity: 0,
  sigmoid: 1,
  bipolarSigmoid: 2,
  tanh: 3,
  arctan: 4,
  binaryStep: 5,
  relu: 6,
  leakyRelu: 7,
  softplus: 8,
} as const;

/** One of the {@link Act} codes. */
export type ActCode = (typeof Act)[keyof typeof Act];

/** Which implementation runs the kernels. */
export type KernelFlavor = 'wasm-simd' | 'wasm-scalar' | 'js';

/**
 * All numeric kernels. Method names mirror the exported WASM functions (`gemm` is
 * `f32_gemm`, `softmaxRows` is `f32_softmax_rows`, …).
 */
export interface Kernels {
  /** Which implementation this is. */
  readonly flavor: KernelFlavor;

  /** Bytes of packing workspace {@link Kernels.gemm} needs (a constant, 16-byte multiple). */
  gemmWorkspaceBytes(): number;

  /**
   * `C = act(alpha·op(A)·op(B) + beta·C + bias)`, `op(X)` = X or Xᵀ.
   *
   * op(A) is m×k, op(B) is k×n, C is m×n. With `transA` A is stored k×m, with `transB`
   * B is stored n×k. `bias` is 0 (none) or a pointer to n floats added to every row.
   * `act`/`actParam` apply an activation after the bias (identity for none). When
   * `beta` is 0, C is not read (it may hold NaN). C must not alias A or B.
   * `work` points at {@link Kernels.gemmWorkspaceBytes} bytes of scratch, 16-byte aligned.
   */
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, a: number, lda: number, b: number, ldb: number,
    beta: number, c: number, ldc: number,
    bias: number, act: ActCode, actParam: number, work: number,
  ): void;

  /**
   * `C = Aᵀ·B` (A k×m, B k×n, row strides lda and ldb; C dense m×n, overwritten) summed in `parts`
   * fixed parts of k made of whole images of `rowsPerImage` rows (see src/backend/parts.ts): part
   * 0's product into C, part p's into the p-th of the (parts − 1) m×n partials at `partials`, then
   * each added to C in order. A layer's weight gradient over the batch: the same bits for any
   * number of threads computing the parts; one part is {@link Kernels.gemm} itself. Partials must
   * not overlap A, B or C.
   */
  gemmTnInParts(
    m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number,
    rowsPerImage: number, parts: number, partials: number, work: number,
  ): void;

  /**
   * Bytes {@link Kernels.gemmPackB} writes for a k×n op(B) (a 16-byte multiple, 0 for an
   * empty B). The packed layout is the backend's own: only its {@link Kernels.gemmPacked} reads it.
   */
  gemmPackedBytes(n: number, k: number): number;

  /**
   * Pack op(B) — k×n, stored n×k with `transB` — once, into `packed`
   * ({@link Kernels.gemmPackedBytes} bytes, 16-byte aligned, not overlapping B), for any number
   * of {@link Kernels.gemmPacked} calls until B changes (then pack again).
   */
  gemmPackB(transB: boolean, n: number, k: number, b: number, ldb: number, packed: number): void;

  /**
   * {@link Kernels.gemm} with op(B) packed ahead by {@link Kernels.gemmPackB} (same n and k):
   * the same contract, and bit for bit the same C as `gemm` on the B that was packed, without
   * packing it again. `packed` must not overlap C.
   */
  gemmPacked(
    transA: boolean, m: number, n: number, k: number,
    alpha: number, a: number, lda: number, packed: number,
    beta: number, c: number, ldc: number,
    bias: number, act: ActCode, actParam: number, work: number,
  ): void;

  /** `y[i] = f(x[i])` for n elements; `param` is leaky ReLU's slope. In place allowed. */
  activationForward(act: ActCode, param: number, x: number, y: number, n: number): void;

  /**
   * `dz[i] = da[i]·f'(z[i])` for n elements, where `a = f(z)` was the forward output.
   * Each activation reads whichever of z or a gives the derivative most cheaply and
   * exactly (sigmoid: a(1−a), tanh: 1−a², ReLU: z > 0 …); both pointers must be valid.
   * `dz` may alias `da`.
   */
  activationBackward(act: ActCode, param: number, z: number, a: number, da: number, dz: number, n: number): void;

  /** `out = x + y` elementwise. */
  add(x: number, y: number, out: number, n: number): void;
  /** `out = x − y` elementwise. */
  sub(x: number, y: number, out: number, n: number): void;
  /** `out = x ⊙ y` elementwise. */
  mul(x: number, y: number, out: number, n: number): void;
  /** `out = s·x`. */
  scale(x: number, s: number, out: number, n: number): void;
  /** `y = alpha·x + y`. */
  axpy(alpha: number, x: number, y: number, n: number): void;
  /** `out[i,j] = x[i,j] + v[j]` for a rows×cols matrix (bias added along rows). */
  addRowVector(x: number, v: number, out: number, rows: number, cols: number): void;
  /** `out[i,j] = x[i,j] + v[i]` for a rows×cols matrix (bias added along columns). */
  addColVector(x: number, v: number, out: number, rows: number, cols: number): void;

  /** Sum of n elements (0 for n = 0). */
  sum(x: number, n: number): number;
  /** `out[i] = Σ_j x[i,j]`: one sum per row (rows outputs). */
  sumRows(x: number, out: number, rows: number, cols: number): void;
  /** `out[j] = Σ_i x[i,j]`: one sum per column (cols outputs), e.g. db from dZ. */
  sumCols(x: number, out: number, rows: number, cols: number): void;
  /** Largest of n ≥ 1 elements (−Infinity for n = 0). */
  max(x: number, n: number): number;
  /** `out[i]` (int32) = index of the first largest element of row i. */
  argmaxRows(x: number, out: number, rows: number, cols: number): void;
  /** `Σ x[i]·y[i]`. */
  dot(x: number, y: number, n: number): number;
  /** `Σ x[i]²`. */
  sumSquares(x: number, n: number): number;
  /** Index of the first NaN or ±Infinity among n elements; n when all are finite. */
  firstNonFinite(x: number, n: number): number;

  /** Row-wise softmax, stable (the row max is subtracted). In place allowed. */
  softmaxRows(x: number, out: number, rows: number, cols: number): void;
  /** Row-wise log-softmax, stable. In place allowed. */
  logSoftmaxRows(x: number, out: number, rows: number, cols: number): void;

  /**
   * Fused softmax + categorical cross-entropy on rows×cols logits against targets `y`
   * (one-hot or any distribution). Writes probabilities to `probs` (0 to skip) and
   * `grad = gradScale·(probs − y)` to `grad` (0 to skip). Returns Σ over rows of
   * −Σ_j y·log softmax (not averaged). `probs`/`grad` may alias `logits`.
   */
  softmaxCrossEntropy(logits: number, y: number, probs: number, grad: number, rows: number, cols: number, gradScale: number): number;

  /**
   * Fused sigmoid + binary cross-entropy on n logits, stable for any |z|:
   * loss = max(z,0) − z·y + log(1 + e^−|z|). Writes sigmoid(z) to `probs` (0 to skip) and
   * `gradScale·(sigmoid(z) − y)` to `grad` (0 to skip). Returns the summed loss.
   */
  sigmoidBinaryCrossEntropy(logits: number, y: number, probs: number, grad: number, n: number, gradScale: number): number;

  /**
   * Squared error: returns Σ (p − y)² and writes `grad = gradScale·2(p − y)` (0 to skip).
   */
  squaredError(p: number, y: number, grad: number, n: number, gradScale: number): number;

  /**
   * Huber error with threshold `delta` > 0 (passed as f32): returns Σ h(p − y), where
   * h(d) = ½d² for |d| ≤ δ and δ·(|d| − ½δ) beyond, and writes
   * `grad = gradScale·clamp(p − y, −δ, δ)` (0 to skip). NaN residuals give NaN loss and grad.
   */
  huberError(p: number, y: number, grad: number, n: number, delta: number, gradScale: number): number;

  /**
   * im2col for an NHWC convolution: `cols` (batch·oh·ow rows × kh·kw·c columns) gets one row
   * per output pixel, the window of input `x` (batch×h×w×c) under it in (ky, kx, channel)
   * order, zeros where the window lies in the padding (`padTop` rows above, `padLeft` columns
   * left). Strides `strideH`, `strideW` ≥ 1. Every element of cols is written; no overlap.
   */
  im2col(
    x: number, batch: number, h: number, w: number, c: number, kh: number, kw: number,
    strideH: number, strideW: number, padTop: number, padLeft: number, oh: number, ow: number, cols: number,
  ): void;
  /**
   * The adjoint of {@link Kernels.im2col}: `dx` (batch×h×w×c) is zeroed, then every element of
   * `dcols` is added onto the input element it was copied from, rows in order; padding is dropped.
   */
  col2im(
    dcols: number, batch: number, h: number, w: number, c: number, kh: number, kw: number,
    strideH: number, strideW: number, padTop: number, padLeft: number, oh: number, ow: number, dx: number,
  ): void;
  /**
   * Direct NHWC convolution (any `filters` ≥ 1, in groups of 8 lanes), geometry as
   * {@link Kernels.im2col}: `y` (batch·oh·ow·filters) = act(conv(x, W) + bias) with `weights`
   * kh×kw×c×filters (HWIO) and `bias` filters floats. Each output is the sum from 0 over its
   * window's taps inside the image in (ky, kx, channel) order, plus the bias, then the
   * activation. `y` must not overlap the inputs.
   */
  conv2d(
    x: number, batch: number, h: number, w: number, c: number, kh: number, kw: number,
    strideH: number, strideW: number, padTop: number, padLeft: number, oh: number, ow: number,
    weights: number, filters: number, bias: number, act: ActCode, actParam: number, y: number,
  ): void;
  /**
   * Gradients of {@link Kernels.conv2d} from `dz` (batch·oh·ow·filters, at the pre-activation
   * output): `dw[t, j]` = Σ x·dz[·, j] over the output pixels whose tap t lies inside the image,
   * in pixel order, and `db` (0 to skip) = Σ dz per filter in pixel order. Both overwritten.
   */
  conv2dFilterGrad(
    x: number, batch: number, h: number, w: number, c: number, kh: number, kw: number,
    strideH: number, strideW: number, padTop: number, padLeft: number, oh: number, ow: number,
    dz: number, filters: number, dw: number, db: number,
  ): void;
  /**
   * {@link Kernels.conv2dFilterGrad} summed in `parts` fixed parts of the batch (see
   * src/backend/parts.ts): part 0's images into dw and db, part p's into the p-th of the
   * (parts − 1) partials at `partials` (K·filters dw floats then filters db floats each, where
   * K = kh·kw·c), then each partial added to dw and db in order. The same bits for any number of
   * threads computing the parts; one part is conv2dFilterGrad itself. Partials must not overlap
   * the other arguments.
   */
  conv2dFilterGradInParts(
    x: number, batch: number, h: number, w: number, c: number, kh: number, kw: number,
    strideH: number, strideW: number, padTop: number, padLeft: number, oh: number, ow: number,
    dz: number, filters: number, dw: number, db: number, parts: number, partials: number,
  ): void;
  /**
   * Max pooling, NHWC, geometry as {@link Kernels.im2col}: `y` (batch·oh·ow·c) gets each window's
   * largest element inside the image and `argmax` (int32, same count) its element index within
   * its own image (0…h·w·c − 1), the first in window order on ties. Every window must overlap the image.
   */
  maxPool2d(
    x: number, batch: number, h: number, w: number, c: number, kh: number, kw: number,
    strideH: number, strideW: number, padTop: number, padLeft: number, oh: number, ow: number, y: number, argmax: number,
  ): void;
  /**
   * Gradient of {@link Kernels.maxPool2d}, image by image (`outputs` and `inputs` are per image):
   * image b's `inputs` floats of `dx` = 0, then `dx_b[argmax_b[i]] += dy_b[i]` for i < outputs, in order.
   */
  maxPool2dBackward(dy: number, argmax: number, batch: number, outputs: number, dx: number, inputs: number): void;
  /**
   * Average pooling, NHWC, geometry as {@link Kernels.im2col}: the mean of each window's
   * elements inside the image (padding is not counted). Global average pooling is kh = h, kw = w.
   */
  avgPool2d(
    x: number, batch: number, h: number, w: number, c: number, kh: number, kw: number,
    strideH: number, strideW: number, padTop: number, padLeft: number, oh: number, ow: number, y: number,
  ): void;
  /** Gradient of {@link Kernels.avgPool2d}: `dx` zeroed, then dy/count added over each window. */
  avgPool2dBackward(
    dy: number, batch: number, h: number, w: number, c: number, kh: number, kw: number,
    strideH: number, strideW: number, padTop: number, padLeft: number, oh: number, ow: number, dx: number,
  ): void;

  /**
   * Per-column mean and biased variance of a rows×cols matrix (rows ≥ 1), written to `mean`
   * and `variance` (cols floats each): batch normalisation's statistics, one channel per column.
   */
  batchNormStats(x: number, rows: number, cols: number, mean: number, variance: number): void;
  /** `y = ((x − mean)·invstd)·gamma + beta` per column; `y` may alias `x`. */
  batchNormForward(x: number, rows: number, cols: number, mean: number, invstd: number, gamma: number, beta: number, y: number): void;
  /**
   * Batch-norm gradients: `dbeta = Σ dy`, `dgamma = Σ dy·x̂` per column, and `dx`, which with
   * `batchStats` (mean/invstd were the batch's own) carries the statistics' gradient
   * `(dy − dbeta/rows − x̂·dgamma/rows)·gamma·invstd`, without it `dy·gamma·invstd`. `dx` may alias `dy`.
   */
  batchNormBackward(
    x: number, dy: number, rows: number, cols: number, mean: number, invstd: number, gamma: number,
    batchStats: boolean, dx: number, dgamma: number, dbeta: number,
  ): void;

  /** Plain gradient descent: `w −= lr·g`. */
  sgd(w: number, g: number, n: number, lr: number): void;
  /**
   * Momentum: `v = mu·v + g; w −= lr·v`, or with `nesterov` `w −= lr·(g + mu·v)`.
   */
  momentum(w: number, g: number, v: number, n: number, lr: number, mu: number, nesterov: boolean): void;
  /** RMSprop: `s = rho·s + (1−rho)·g²; w −= lr·g / (√s + eps)`. */
  rmsprop(w: number, g: number, s: number, n: number, lr: number, rho: number, eps: number): void;
  /**
   * Adam with bias correction for step `t` ≥ 1:
   * `m = b1·m + (1−b1)·g; v = b2·v + (1−b2)·g²; w −= lr·m̂ / (√v̂ + eps)`.
   */
  adam(w: number, g: number, m: number, v: number, n: number, lr: number, beta1: number, beta2: number, eps: number, t: number): void;
}
