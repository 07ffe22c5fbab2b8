/**
 * Batch normalisation: per channel, y = γ·(x − μ)/√(σ² + ε) + β. In training μ and σ² are
 * the batch's own (biased) statistics and backward carries the gradient through them; the
 * running averages `m·running + (1 − m)·batch` are kept for inference, where they are
 * fixed and backward is a per-channel scale. After a dense layer the channels are its units;
 * after an image layer (NHWC) the channels are c and every pixel of every sample is a row.
 */
import type { Engine } from '../engine.js';
import { alignUp } from '../wasm/heap.js';
import { BatchBuffer, type ForwardMode, type Layer, type LayerConfig, type Param, type StateArray } from './layer.js';

/** Heap bytes of a batch-norm layer's arrays: γ, β, their gradients, running mean and variance, batch mean, variance and 1/σ. */
export function batchNormParamBytes(channels: number): number {
  return 9 * alignUp(channels * 4);
}

/** A batch-norm layer bound to an engine. */
export class BatchNorm implements Layer {
  readonly params: readonly Param[];
  readonly state: readonly StateArray[];
  readonly outputs: number;
  private readonly gamma: number;
  private readonly beta: number;
  private readonly runningMean: number;
  private readonly runningVariance: number;
  private readonly batchMean: number;
  private readonly batchVariance: number;
  private readonly invstd: number;
  private readonly y: BatchBuffer;
  private input = 0;
  private usedBatchStats = false;

  constructor(
    private readonly engine: Engine,
    readonly name: string,
    readonly inputs: number,
    /** Features per channel group: the channel count (c after an image layer, else `inputs`). */
    readonly channels: number,
    /** Weight of the old running value in each update, in [0, 1). */
    readonly momentum: number,
    /** Added to the variance before the square root. */
    readonly epsilon: number,
  ) {
    this.outputs = inputs;
    const bytes = alignUp(channels * 4);
    const block = engine.heap.alloc(batchNormParamBytes(channels));
    const at = (i: number) => block + i * bytes;
    [this.gamma, this.beta, this.runningMean, this.runningVariance, this.batchMean, this.batchVariance, this.invstd] = [0, 1, 4, 5, 6, 7, 8].map(at) as [number, number, number, number, number, number, number];
    this.params = [
      { name: `${name}.gamma`, value: this.gamma, grad: at(2), size: channels, decay: false },
      { name: `${name}.beta`, value: this.beta, grad: at(3), size: channels, decay: false },
    ];
    this.state = [
      { name: `${name}.runningMean`, value: this.runningMean, size: channels },
      { name: `${name}.runningVariance`, value: this.runningVariance, size: channels },
    ];
    const f32 = engine.heap.f32;
    const fill = (ptr: number, v: number) => f32.fill(v, ptr >> 2, (ptr >> 2) + channels);
    fill(this.gamma, 1);
    fill(this.beta, 0);
    fill(this.runningMean, 0);
    fill(this.runningVariance, 1);
    this.y = new BatchBuffer(engine, inputs);
  }

  reserve(rows: number): void {
    this.y.reserve(rows);
  }

  batchBytes(rows: number): number {
    return this.y.bytesFor(rows);
  }

  get heldBatchBytes(): number {
    return this.y.heldBytes;
  }

  forward(x: number, rows: number, mode: ForwardMode): number {
    const k = this.engine.kernels;
    const c = this.channels;
    const n = (rows * this.inputs) / c;
    this.input = x;
    this.usedBatchStats = mode.training;
    let mean = this.runningMean;
    let variance = this.runningVariance;
    if (mode.training) {
      mean = this.batchMean;
      variance = this.batchVariance;
      k.batchNormStats(x, n, c, mean, variance);
      const m = this.momentum;
      k.scale(this.runningMean, m, this.runningMean, c);
      k.axpy(1 - m, mean, this.runningMean, c);
      k.scale(this.runningVariance, m, this.runningVariance, c);
      k.axpy(1 - m, variance, this.runningVariance, c);
    }
    const f32 = this.engine.heap.f32;
    for (let j = 0; j < c; j++) f32[(this.invstd >> 2) + j] = 1 / Math.sqrt(f32[(variance >> 2) + j]! + this.epsilon);
    k.batchNormForward(x, n, c, mean, this.invstd, this.gamma, this.beta, this.y.pointer);
    return this.y.pointer;
  }

  backward(grad: number, rows: number, wantInputGrad: boolean): number {
    const c = this.channels;
    const n = (rows * this.inputs) / c;
    const mean = this.usedBatchStats ? this.batchMean : this.runningMean;
    const [dGamma, dBeta] = this.params;
    // dx overwrites grad (the layer may reuse it), so no buffer is needed.
    this.engine.kernels.batchNormBackward(this.input, grad, n, c, mean, this.invstd, this.gamma, this.usedBatchStats, grad, dGamma!.grad, dBeta!.grad);
    return wantInputGrad ? grad : 0;
  }

  toConfig(): LayerConfig {
    return { type: 'batchNorm', momentum: this.momentum, epsilon: this.epsilon };
  }
}
