/**
 * 2-D convolution, channels last: `a = g(conv(x, W) + b)` with x batch×h×w×c, W stored
 * kh×kw×c×filters (TensorFlow's HWIO, so it is a K×filters matrix with K = kh·kw·c) and the
 * output batch×oh×ow×filters. Two routes (assembly/conv.ts), chosen by shape
 * ({@link conv2dRoute}):
 * - lowered onto the GEMM through im2col: forward is cols·W with bias and g in the epilogue,
 *   as for dense; backward is dW = colsᵀ·dZ (reusing forward's cols; summed in parts of the
 *   batch, see src/backend/parts.ts, as the direct filter gradient is), db = Σ dZ,
 *   dx = col2im(dZ·Wᵀ). A 1×1 convolution with stride 1 and no padding skips im2col (x is cols);
 * - direct, for K up to {@link DIRECT_MAX_K}: forward and dW, db read x in place (filters 8
 *   at a time), no cols; dx, when wanted, still goes through dZ·Wᵀ and col2im.
 * The thread pool splits every kernel of each, bit-identically for any thread count.
 */
import type { Engine } from '../engine.js';
import { Act, type ActCode } from '../backend/kernels.js';
import type { Rng } from '../util/rng.js';
import { activationToJSON, type ResolvedActivation } from './activations.js';
import { denseParamBytes } from './dense.js';
import { activationGradient, gemmActivate } from './fused-activation.js';
import type { Padding, WindowGeometry } from './geometry.js';
import { initializeWeights, type InitializerName } from './initializers.js';
import { BatchBuffer, type ForwardMode, type Layer, type LayerConfig, type Param } from './layer.js';
import { alignUp } from '../wasm/heap.js';
import { gradientParts } from '../backend/parts.js';

/** Heap bytes of a convolution's parameters and gradients: a K×filters matrix and a bias, as dense. */
export function conv2dParamBytes(g: WindowGeometry, filters: number): number {
  return denseParamBytes(g.kh * g.kw * g.c, filters);
}

/**
 * Largest K = kh·kw·c the direct kernels take. Measured by bench/cnn.bench.ts's route table
 * (one thread, batch 64, forward + filter and bias gradient, the routes' rounds interleaved;
 * bench/results/cnn-2026-12-01-c.md, four runs), lowered / direct:
 * - up to 8 filters: 1.65–2.49× up to K 75, 1.25–1.33× at K 200 (12×12×8, 5×5×8);
 * - 12 to 32 filters up to K 200: 1.04–1.28× (the tutorial's second layer, K 200 and 16
 *   filters, 1.06×); trained side by side, the tutorial and mnist-cnn nets ran 1.05× and
 *   1.07× faster with their second layers direct than lowered in training;
 * - K 400: 1.04–1.12× with 16 filters, 0.94–0.97× with 32 — past K 200 a layer stays lowered.
 */
export const DIRECT_MAX_K = 200;

/**
 * Which kernels a convolution of geometry `g` runs on (see the module comment). A 1×1 kernel
 * with stride 1 stays on the GEMM: its x already is the cols matrix, so lowering costs nothing.
 */
export function conv2dRoute(g: WindowGeometry): 'direct' | 'lowered' {
  return isPointwise(g) || g.kh * g.kw * g.c > DIRECT_MAX_K ? 'lowered' : 'direct';
}

/** A 1×1 convolution with stride 1 (which never pads): x is its own im2col matrix. */
function isPointwise(g: WindowGeometry): boolean {
  return g.kh === 1 && g.kw === 1 && g.sh === 1 && g.sw === 1;
}

/** A conv2d layer bound to an engine. */
export class Conv2D implements Layer {
  readonly params: readonly Param[];
  readonly inputs: number;
  readonly outputs: number;
  /** Pointer to W (kh×kw×c×filters). */
  readonly weights: number;
  /** Pointer to b (filters). */
  readonly bias: number;
  /** Rows of the im2col matrix per sample (output pixels) and its width K. */
  private readonly pixels: number;
  private readonly k: number;
  /** x itself is the im2col matrix (1×1 kernel, stride 1, no padding). */
  private readonly xIsCols: boolean;
  /** Forward, dW and db by the direct kernels, no cols (see {@link conv2dRoute}). */
  private readonly direct: boolean;
  private readonly code: ActCode;
  private readonly cols: BatchBuffer;
  private readonly z: BatchBuffer;
  private readonly a: BatchBuffer;
  private readonly dcols: BatchBuffer;
  private readonly dx: BatchBuffer;
  /** dW and db of the batch's parts after the first (see src/backend/parts.ts): one row per part. */
  private readonly partials: BatchBuffer;
  /** Floats of one part's dW and db. */
  private readonly partialFloats: number;
  private colsPointer = 0;
  /** x of the last forward (the direct route's backward reads it). */
  private input = 0;

  constructor(
    private readonly engine: Engine,
    readonly name: string,
    readonly geometry: WindowGeometry,
    readonly filters: number,
    readonly padding: Padding,
    readonly activation: ResolvedActivation,
    readonly initializer: InitializerName,
    rng: Rng,
  ) {
    const g = geometry;
    if (activation.code === undefined) throw new TypeError(`${name}: softmax is not an activation for conv2d`);
    this.code = activation.code;
    this.k = g.kh * g.kw * g.c;
    this.pixels = g.oh * g.ow;
    this.inputs = g.h * g.w * g.c;
    this.outputs = this.pixels * filters;
    this.direct = conv2dRoute(g) === 'direct';
    this.xIsCols = isPointwise(g);
    const heap = engine.heap;
    const wSize = this.k * filters;
    const block = heap.alloc(conv2dParamBytes(g, filters));
    this.weights = block;
    this.bias = block + alignUp(wSize * 4);
    const dW = this.bias + alignUp(filters * 4);
    const db = dW + alignUp(wSize * 4);
    this.params = [
      { name: `${name}.W`, value: this.weights, grad: dW, size: wSize, decay: true },
      { name: `${name}.b`, value: this.bias, grad: db, size: filters, decay: false },
    ];
    const f32 = heap.f32;
    // Keras's fans for a convolution: every output sees K inputs, every input feeds kh·kw·filters outputs.
    initializeWeights(initializer, f32.subarray(this.weights >> 2, (this.weights >> 2) + wSize), this.k, g.kh * g.kw * filters, rng);
    f32.fill(0, this.bias >> 2, (this.bias >> 2) + filters);
    this.cols = new BatchBuffer(engine, this.xIsCols || this.direct ? 0 : this.pixels * this.k);
    this.z = new BatchBuffer(engine, activation.derivativeFromOutput ? 0 : this.outputs);
    this.a = new BatchBuffer(engine, this.outputs);
    this.dcols = new BatchBuffer(engine, this.xIsCols ? 0 : this.pixels * this.k);
    this.dx = new BatchBuffer(engine, this.inputs);
    this.partialFloats = wSize + filters;
    this.partials = new BatchBuffer(engine, this.partialFloats);
  }

  reserve(rows: number): void {
    if (!this.xIsCols && !this.direct) this.cols.reserve(rows);
    if (!this.activation.derivativeFromOutput) this.z.reserve(rows);
    this.a.reserve(rows);
  }

  batchBytes(rows: number): number {
    const buffers = [
      this.a, this.dx, ...(this.xIsCols ? [] : [this.dcols]), ...(this.xIsCols || this.direct ? [] : [this.cols]),
      ...(this.activation.derivativeFromOutput ? [] : [this.z]),
    ];
    const partials = gradientParts(rows, this.pixels, this.partialFloats) - 1;
    return buffers.reduce((n, b) => n + b.bytesFor(rows), 0) + (partials > 0 ? this.partials.bytesFor(partials) : 0);
  }

  get heldBatchBytes(): number {
    return this.cols.heldBytes + this.z.heldBytes + this.a.heldBytes + this.dcols.heldBytes + this.dx.heldBytes + this.partials.heldBytes;
  }

  forward(x: number, rows: number, _mode: ForwardMode): number {
    const { kernels: k, gemmWork } = this.engine;
    const g = this.geometry;
    const m = rows * this.pixels;
    const f = this.filters;
    this.input = x;
    if (this.direct) {
      const conv = (out: number, code: ActCode, param: number) =>
        k.conv2d(x, rows, g.h, g.w, g.c, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.oh, g.ow, this.weights, f, this.bias, code, param, out);
      gemmActivate(k, this.activation, this.code, conv, this.z.pointer, this.a.pointer, m * f);
      return this.a.pointer;
    }
    if (this.xIsCols) {
      this.colsPointer = x;
    } else {
      this.colsPointer = this.cols.reserve(rows);
      k.im2col(x, rows, g.h, g.w, g.c, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.oh, g.ow, this.colsPointer);
    }
    const gemm = (out: number, code: ActCode, param: number) =>
      k.gemm(false, false, m, f, this.k, 1, this.colsPointer, this.k, this.weights, f, 0, out, f, this.bias, code, param, gemmWork);
    gemmActivate(k, this.activation, this.code, gemm, this.z.pointer, this.a.pointer, m * f);
    return this.a.pointer;
  }

  backward(grad: number, rows: number, wantInputGrad: boolean): number {
    const { kernels: k, gemmWork } = this.engine;
    const g = this.geometry;
    const m = rows * this.pixels;
    const f = this.filters;
    activationGradient(k, this.activation, this.code, this.z.pointer, this.a.pointer, grad, m * f);
    const [dW, db] = this.params;
    // Summed in parts of the batch, so each thread reads the images it produced (src/backend/parts.ts).
    const parts = gradientParts(rows, this.pixels, this.partialFloats);
    const partials = this.partials.reserve(parts - 1);
    if (this.direct) {
      k.conv2dFilterGradInParts(this.input, rows, g.h, g.w, g.c, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.oh, g.ow, grad, f, dW!.grad, db!.grad, parts, partials);
    } else {
      k.gemmTnInParts(this.k, f, m, this.colsPointer, this.k, grad, f, dW!.grad, this.pixels, parts, partials, gemmWork);
      k.sumCols(grad, db!.grad, m, f);
    }
    if (!wantInputGrad) return 0;
    const dx = this.dx.reserve(rows);
    const dcols = this.xIsCols ? dx : this.dcols.reserve(rows);
    k.gemm(false, true, m, this.k, f, 1, grad, f, this.weights, f, 0, dcols, this.k, 0, Act.identity, 0, gemmWork);
    if (!this.xIsCols) k.col2im(dcols, rows, g.h, g.w, g.c, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.oh, g.ow, dx);
    return dx;
  }

  toConfig(): LayerConfig {
    const g = this.geometry;
    return {
      type: 'conv2d', filters: this.filters, kernelSize: [g.kh, g.kw], stride: [g.sh, g.sw], padding: this.padding,
      activation: activationToJSON(this.activation), initializer: this.initializer,
    };
  }
}
