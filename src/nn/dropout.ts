/**
 * Inverted dropout: in training each unit is kept with probability 1 − rate and scaled by
 * 1/(1 − rate), so inference is the identity and needs no rescaling.
 */
import type { Engine } from '../engine.js';
import type { Rng } from '../util/rng.js';
import { BatchBuffer, type ForwardMode, type Layer, type LayerConfig, type Param } from './layer.js';

/** A dropout layer bound to an engine. */
export class Dropout implements Layer {
  readonly params: readonly Param[] = [];
  readonly outputs: number;
  private readonly mask: BatchBuffer;
  private readonly out: BatchBuffer;
  private readonly dx: BatchBuffer;
  private active = false;

  constructor(
    private readonly engine: Engine,
    readonly name: string,
    readonly inputs: number,
    /** Probability of dropping a unit, in [0, 1). */
    readonly rate: number,
    private readonly rng: Rng,
  ) {
    this.outputs = inputs;
    this.mask = new BatchBuffer(engine, inputs);
    this.out = new BatchBuffer(engine, inputs);
    this.dx = new BatchBuffer(engine, inputs);
  }

  reserve(rows: number): void {
    this.mask.reserve(rows);
    this.out.reserve(rows);
  }

  batchBytes(rows: number): number {
    return this.mask.bytesFor(rows) + this.out.bytesFor(rows) + this.dx.bytesFor(rows);
  }

  get heldBatchBytes(): number {
    return this.mask.heldBytes + this.out.heldBytes + this.dx.heldBytes;
  }

  forward(x: number, rows: number, mode: ForwardMode): number {
    this.active = mode.training && this.rate > 0;
    if (!this.active) return x;
    const n = rows * this.inputs;
    const keep = 1 - this.rate;
    const scale = 1 / keep;
    const f32 = this.engine.heap.f32;
    const m0 = this.mask.pointer >> 2;
    for (let i = 0; i < n; i++) f32[m0 + i] = this.rng.next() < keep ? scale : 0;
    this.engine.kernels.mul(x, this.mask.pointer, this.out.pointer, n);
    return this.out.pointer;
  }

  backward(grad: number, rows: number, wantInputGrad: boolean): number {
    if (!wantInputGrad) return 0;
    if (!this.active) return grad;
    const dx = this.dx.reserve(rows);
    this.engine.kernels.mul(grad, this.mask.pointer, dx, rows * this.inputs);
    return dx;
  }

  toConfig(): LayerConfig {
    return { type: 'dropout', rate: this.rate };
  }
}
