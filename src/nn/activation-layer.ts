/**
 * An activation as a layer of its own, for where the function does not follow a dense or
 * conv2d layer directly: after batch normalisation (conv → batch norm → ReLU, the usual order
 * in image networks and in models exported from PyTorch) or after pooling. Right after a
 * dense or conv2d layer, give that layer the activation instead: there it is fused into the
 * GEMM's epilogue.
 */
import type { Engine } from '../engine.js';
import { activationToJSON, type ResolvedActivation } from './activations.js';
import { BatchBuffer, type Layer, type LayerConfig, type Param } from './layer.js';

/** An elementwise activation layer bound to an engine; any input shape, the same shape out. */
export class ActivationLayer implements Layer {
  readonly params: readonly Param[] = [];
  readonly outputs: number;
  private readonly out: BatchBuffer;
  /** The input of the last forward: the layer before keeps it unchanged until backward. */
  private input = 0;

  constructor(
    private readonly engine: Engine,
    readonly name: string,
    readonly inputs: number,
    /** An elementwise activation (`code` defined: not softmax). */
    readonly activation: ResolvedActivation & { readonly code: number },
  ) {
    this.outputs = inputs;
    this.out = new BatchBuffer(engine, inputs);
  }

  reserve(rows: number): void {
    this.out.reserve(rows);
  }

  batchBytes(rows: number): number {
    return this.out.bytesFor(rows);
  }

  get heldBatchBytes(): number {
    return this.out.heldBytes;
  }

  forward(x: number, rows: number): number {
    this.input = x;
    const a = this.out.reserve(rows);
    this.engine.kernels.activationForward(this.activation.code, this.activation.param, x, a, rows * this.inputs);
    return a;
  }

  backward(grad: number, rows: number, wantInputGrad: boolean): number {
    if (!wantInputGrad) return 0;
    // In place: the layer may overwrite the gradient it is given.
    this.engine.kernels.activationBackward(this.activation.code, this.activation.param, this.input, this.out.pointer, grad, grad, rows * this.inputs);
    return grad;
  }

  toConfig(): LayerConfig {
    return { type: 'activation', activation: activationToJSON(this.activation) };
  }
}
