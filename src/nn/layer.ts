/**
 * What every layer provides to the network. Layers own their parameters and their
 * per-batch buffers in the engine's heap; the network only passes pointers between them.
 */
import type { Engine } from '../engine.js';
import { blockBytes } from '../wasm/heap.js';
import type { Padding } from './geometry.js';

/** A trainable array and its gradient, both in the heap. */
export interface Param {
  /** Name for reports, e.g. `dense_1.W`. */
  readonly name: string;
  /** Pointer to the values. */
  readonly value: number;
  /** Pointer to the gradient, same size. */
  readonly grad: number;
  /** Number of floats. */
  readonly size: number;
  /** Whether L2 weight decay applies (weights yes, biases no). */
  readonly decay: boolean;
}

/**
 * Non-trainable arrays a layer keeps in the heap and saves with its parameters (batch norm's
 * running mean and variance): never given a gradient, never touched by an optimizer.
 */
export interface StateArray {
  /** Name for reports, e.g. `batchNorm_2.runningMean`. */
  readonly name: string;
  /** Pointer to the values. */
  readonly value: number;
  /** Number of floats. */
  readonly size: number;
}

/** Plain-data description of a layer, as written in model files (each is also a valid spec). */
export type LayerConfig =
  | { type: 'dense'; units: number; activation: { name: string; alpha?: number }; initializer: string }
  | { type: 'dropout'; rate: number }
  | {
    type: 'conv2d'; filters: number; kernelSize: [number, number]; stride: [number, number]; padding: Padding;
    activation: { name: string; alpha?: number }; initializer: string;
  }
  | { type: 'maxPool2d' | 'avgPool2d'; size: [number, number]; stride: [number, number]; padding: Padding }
  | { type: 'globalAvgPool' }
  | { type: 'flatten' }
  | { type: 'batchNorm'; momentum: number; epsilon: number }
  | { type: 'activation'; activation: { name: string; alpha?: number } };

/** How a forward pass runs. */
export interface ForwardMode {
  /** Dropout active (training) or not (inference, evaluation). */
  readonly training: boolean;
  /** Return the pre-activation z of a dense layer (for a loss fused with its activation). */
  readonly logits: boolean;
  /**
   * The parameters stay as they are for this pass and the next ones until a layer is told
   * otherwise (prediction): a layer may use copies it prepared from them, such as dense
   * weights packed for the GEMM once instead of on every call.
   */
  readonly inference?: boolean;
}

/** One stage of a sequential network. */
export interface Layer {
  /** Name for errors and reports, e.g. `dense_2`. */
  readonly name: string;
  /** Features in. */
  readonly inputs: number;
  /** Features out. */
  readonly outputs: number;
  /** Trainable parameters (empty for dropout). */
  readonly params: readonly Param[];
  /** Saved non-trainable arrays (batch norm's running statistics); absent when none. */
  readonly state?: readonly StateArray[];
  /** Make room for batches of up to `rows` rows (reallocates only when growing). */
  reserve(rows: number): void;
  /**
   * Heap bytes of every per-batch buffer for batches of `rows` rows, those that {@link
   * Layer.reserve} makes and those backward makes on first use: what a training batch needs.
   */
  batchBytes(rows: number): number;
  /** Heap bytes the layer's per-batch buffers hold now. */
  readonly heldBatchBytes: number;
  /**
   * Compute the output for `rows` rows at pointer `x`; returns the output pointer (owned by
   * the layer, valid until the next forward).
   */
  forward(x: number, rows: number, mode: ForwardMode): number;
  /**
   * Given the gradient at `grad` (which the layer may overwrite) for the output of the last
   * forward, fill the parameter gradients and, when `wantInputGrad`, return a pointer to
   * dL/d(input); else 0. After a `logits` forward, `grad` is dL/dz, otherwise dL/da.
   */
  backward(grad: number, rows: number, wantInputGrad: boolean): number;
  /** The layer's description for saving. */
  toConfig(): LayerConfig;
}

/** A heap buffer that grows to the largest batch seen; used for per-batch activations. */
export class BatchBuffer {
  private ptr = 0;
  private held = 0;

  constructor(private readonly engine: Engine, private readonly width: number) {}

  /** Heap bytes a buffer of `rows` rows takes (exact for any size: no 32-bit wrap). */
  bytesFor(rows: number): number {
    return blockBytes(rows * this.width * 4);
  }

  /** Heap bytes held now (0 before the first reserve). */
  get heldBytes(): number {
    return this.ptr === 0 ? 0 : this.bytesFor(this.held);
  }

  /** Rows the buffer has room for now. */
  get rows(): number {
    return this.held;
  }

  /** Ensure room for `rows` rows; returns the pointer (stable until a larger reserve). */
  reserve(rows: number): number {
    if (rows > this.held) {
      if (this.ptr !== 0) this.engine.heap.release(this.ptr);
      // Forget the old block first, so a refused request leaves an empty buffer, not a freed one.
      this.ptr = 0;
      this.held = 0;
      this.ptr = this.engine.heap.alloc(rows * this.width * 4);
      this.held = rows;
    }
    return this.ptr;
  }

  /** The current pointer (0 before the first reserve). */
  get pointer(): number {
    return this.ptr;
  }
}
