/**
 * Pooling layers, channels last: max pooling (which keeps the index of each window's
 * maximum, so backward is one scatter), average pooling, and global average pooling (the
 * average over the whole h×w input, one value per channel). No parameters.
 */
import type { Engine } from '../engine.js';
import type { Padding, WindowGeometry } from './geometry.js';
import { BatchBuffer, type ForwardMode, type Layer, type LayerConfig, type Param } from './layer.js';

/** Which pooling a {@link Pool2D} computes, by its layer type. */
export type PoolType = 'maxPool2d' | 'avgPool2d' | 'globalAvgPool';

/** A pooling layer bound to an engine. */
export class Pool2D implements Layer {
  readonly params: readonly Param[] = [];
  readonly inputs: number;
  readonly outputs: number;
  private readonly y: BatchBuffer;
  private readonly argmax: BatchBuffer;
  private readonly dx: BatchBuffer;

  constructor(
    private readonly engine: Engine,
    readonly name: string,
    readonly type: PoolType,
    readonly geometry: WindowGeometry,
    readonly padding: Padding,
  ) {
    const g = geometry;
    this.inputs = g.h * g.w * g.c;
    this.outputs = g.oh * g.ow * g.c;
    this.y = new BatchBuffer(engine, this.outputs);
    this.argmax = new BatchBuffer(engine, type === 'maxPool2d' ? this.outputs : 0);
    this.dx = new BatchBuffer(engine, this.inputs);
  }

  reserve(rows: number): void {
    this.y.reserve(rows);
    if (this.type === 'maxPool2d') this.argmax.reserve(rows);
  }

  batchBytes(rows: number): number {
    return this.y.bytesFor(rows) + this.dx.bytesFor(rows) + (this.type === 'maxPool2d' ? this.argmax.bytesFor(rows) : 0);
  }

  get heldBatchBytes(): number {
    return this.y.heldBytes + this.argmax.heldBytes + this.dx.heldBytes;
  }

  forward(x: number, rows: number, _mode: ForwardMode): number {
    const k = this.engine.kernels;
    const g = this.geometry;
    const y = this.y.pointer;
    if (this.type === 'maxPool2d') {
      k.maxPool2d(x, rows, g.h, g.w, g.c, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.oh, g.ow, y, this.argmax.pointer);
    } else {
      k.avgPool2d(x, rows, g.h, g.w, g.c, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.oh, g.ow, y);
    }
    return y;
  }

  backward(grad: number, rows: number, wantInputGrad: boolean): number {
    if (!wantInputGrad) return 0;
    const k = this.engine.kernels;
    const g = this.geometry;
    const dx = this.dx.reserve(rows);
    if (this.type === 'maxPool2d') {
      k.maxPool2dBackward(grad, this.argmax.pointer, rows, this.outputs, dx, this.inputs);
    } else {
      k.avgPool2dBackward(grad, rows, g.h, g.w, g.c, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.oh, g.ow, dx);
    }
    return dx;
  }

  toConfig(): LayerConfig {
    if (this.type === 'globalAvgPool') return { type: 'globalAvgPool' };
    const g = this.geometry;
    return { type: this.type, size: [g.kh, g.kw], stride: [g.sh, g.sw], padding: this.padding };
  }
}
