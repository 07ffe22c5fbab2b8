/**
 * 2-D convolution, channels last: `a = g(conv(x, W) + b)` with x batch×h×w×c, W stored
 * kh×kw×c×filters (TensorFlow's HWIO, so it is a K×filters matrix with K = kh·kw·c) and the
 * output batch×oh×ow×filters. Lowered onto the GEMM through im2col (assembly/conv.ts):
 * forward is cols·W with bias and g in the epilogue, as for dense; backward is
 * dW = colsᵀ·dZ (reusing forward's cols), db = Σ dZ, dx = col2im(dZ·Wᵀ). The GEMMs are what
 * the thread pool splits, bit-identically for any thread count; im2col and col2im run on
 * the calling thread. A 1×1 convolution with stride 1 and no padding skips im2col (x is cols).
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

/** Heap bytes of a convolution's parameters and gradients: a K×filters matrix and a bias, as dense. */
export function conv2dParamBytes(g: WindowGeometry, filters: number): number {
  return denseParamBytes(g.kh * g.kw * g.c, filters);
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
  private readonly direct: boolean;
  private readonly code: ActCode;
  private readonly cols: BatchBuffer;
  private readonly z: BatchBuffer;
  private readonly a: BatchBuffer;
  private readonly dcols: BatchBuffer;
  private readonly dx: BatchBuffer;
  private colsPointer = 0;

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
    this.direct = g.kh === 1 && g.kw === 1 && g.sh === 1 && g.sw === 1;
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
    this.cols = new BatchBuffer(engine, this.direct ? 0 : this.pixels * this.k);
    this.z = new BatchBuffer(engine, activation.derivativeFromOutput ? 0 : this.outputs);
    this.a = new BatchBuffer(engine, this.outputs);
    this.dcols = new BatchBuffer(engine, this.direct ? 0 : this.pixels * this.k);
    this.dx = new BatchBuffer(engine, this.inputs);
  }

  reserve(rows: number): void {
    if (!this.direct) this.cols.reserve(rows);
    if (!this.activation.derivativeFromOutput) this.z.reserve(rows);
    this.a.reserve(rows);
  }

  batchBytes(rows: number): number {
    const buffers = [this.a, this.dx, ...(this.direct ? [] : [this.cols, this.dcols]), ...(this.activation.derivativeFromOutput ? [] : [this.z])];
    return buffers.reduce((n, b) => n + b.bytesFor(rows), 0);
  }

  get heldBatchBytes(): number {
    return this.cols.heldBytes + this.z.heldBytes + this.a.heldBytes + this.dcols.heldBytes + this.dx.heldBytes;
  }

  forward(x: number, rows: number, _mode: ForwardMode): number {
    const { kernels: k, gemmWork } = this.engine;
    const g = this.geometry;
    const m = rows * this.pixels;
    const f = this.filters;
    if (this.direct) {
      this.colsPointer = x;
    } else {
      this.colsPointer = this.cols.pointer;
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
    k.gemm(true, false, this.k, f, m, 1, this.colsPointer, this.k, grad, f, 0, dW!.grad, f, 0, Act.identity, 0, gemmWork);
    k.sumCols(grad, db!.grad, m, f);
    if (!wantInputGrad) return 0;
    const dx = this.dx.reserve(rows);
    const dcols = this.direct ? dx : this.dcols.reserve(rows);
    k.gemm(false, true, m, this.k, f, 1, grad, f, this.weights, f, 0, dcols, this.k, 0, Act.identity, 0, gemmWork);
    if (!this.direct) k.col2im(dcols, rows, g.h, g.w, g.c, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.oh, g.ow, dx);
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
