/**
 * Fully connected layer: `a = g(x·W + b)` with W stored inputs×units (one sample per row).
 * Forward runs as one GEMM whose epilogue adds the bias and applies g; backward is
 * dZ = dA ⊙ g'(·), dW = xᵀ·dZ, db = Σ_rows dZ, dX = dZ·Wᵀ (skipped for the first layer).
 */
import type { Engine } from '../engine.js';
import { alignUp } from '../wasm/heap.js';
import { Act, type ActCode } from '../backend/kernels.js';
import type { Rng } from '../util/rng.js';
import { activationToJSON, type ResolvedActivation } from './activations.js';
import { initializeWeights, type InitializerName } from './initializers.js';
import { activationGradient, gemmActivate } from './fused-activation.js';
import { BatchBuffer, type ForwardMode, type Layer, type LayerConfig, type Param } from './layer.js';

/**
 * Heap bytes of a dense layer's parameter block (W, b, dW, db, each 16-byte aligned), in plain
 * arithmetic so that a layer too large for any heap is measured, not wrapped.
 */
export function denseParamBytes(inputs: number, units: number): number {
  return 2 * (alignUp(inputs * units * 4) + alignUp(units * 4));
}

/** A dense layer bound to an engine. */
export class Dense implements Layer {
  readonly params: readonly Param[];
  /** Pointer to W (inputs×units). */
  readonly weights: number;
  /** Pointer to b (units). */
  readonly bias: number;
  private readonly z: BatchBuffer;
  private readonly a: BatchBuffer;
  private readonly dx: BatchBuffer;
  private input = 0;
  private lastWasLogits = false;
  /** W packed for {@link Kernels.gemmPacked} (0 until the first inference pass). */
  private packed = 0;
  /** Whether {@link Dense.packed} holds the current W; cleared by backward and {@link Dense.weightsChanged}. */
  private packedCurrent = false;

  constructor(
    private readonly engine: Engine,
    readonly name: string,
    readonly inputs: number,
    readonly outputs: number,
    readonly activation: ResolvedActivation,
    readonly initializer: InitializerName,
    rng: Rng,
  ) {
    const heap = engine.heap;
    const wSize = inputs * outputs;
    // One block for W, b, dW, db keeps a layer's parameters together in memory.
    const wBytes = alignUp(wSize * 4);
    const bBytes = alignUp(outputs * 4);
    const block = heap.alloc(denseParamBytes(inputs, outputs));
    this.weights = block;
    this.bias = block + wBytes;
    const dW = this.bias + bBytes;
    const db = dW + wBytes;
    this.params = [
      { name: `${name}.W`, value: this.weights, grad: dW, size: wSize, decay: true },
      { name: `${name}.b`, value: this.bias, grad: db, size: outputs, decay: false },
    ];
    const f32 = heap.f32;
    initializeWeights(initializer, f32.subarray(this.weights >> 2, (this.weights >> 2) + wSize), inputs, outputs, rng);
    f32.fill(0, this.bias >> 2, (this.bias >> 2) + outputs);
    this.z = new BatchBuffer(engine, outputs);
    this.a = new BatchBuffer(engine, outputs);
    this.dx = new BatchBuffer(engine, inputs);
  }

  /** Pointer to the activations of the last forward (probabilities after a fused loss). */
  get output(): number {
    return this.a.pointer;
  }

  reserve(rows: number): void {
    this.z.reserve(rows);
    this.a.reserve(rows);
  }

  batchBytes(rows: number): number {
    return this.z.bytesFor(rows) + this.a.bytesFor(rows) + this.dx.bytesFor(rows);
  }

  get heldBatchBytes(): number {
    return this.z.heldBytes + this.a.heldBytes + this.dx.heldBytes;
  }

  forward(x: number, rows: number, mode: ForwardMode): number {
    const { kernels: k, gemmWork } = this.engine;
    const act = this.activation;
    const units = this.outputs;
    this.input = x;
    this.lastWasLogits = mode.logits;
    // Inference multiplies by W packed once (bit-identical to packing it on every call);
    // training packs per call, since every step changes W.
    const packed = mode.inference ? this.packedWeights() : 0;
    const gemm = (out: number, code: ActCode, param: number) => packed !== 0
      ? k.gemmPacked(false, rows, units, this.inputs, 1, x, this.inputs, packed, 0, out, units, this.bias, code, param, gemmWork)
      : k.gemm(false, false, rows, units, this.inputs, 1, x, this.inputs, this.weights, units, 0, out, units, this.bias, code, param, gemmWork);
    if (mode.logits) {
      gemm(this.z.pointer, Act.identity, 0);
      return this.z.pointer;
    }
    const a = this.a.pointer;
    if (act.code === undefined) {
      gemm(a, Act.identity, 0);
      k.softmaxRows(a, a, rows, units);
    } else {
      gemmActivate(k, act, act.code, gemm, this.z.pointer, a, rows * units);
    }
    return a;
  }

  /**
   * Say that W or b changed other than by a training step (which this layer sees through
   * backward): the packed copy inference uses is rebuilt before the next inference pass.
   */
  weightsChanged(): void {
    this.packedCurrent = false;
  }

  /**
   * W packed for the GEMM, packed again first when W changed since (see {@link
   * Dense.weightsChanged}); 0 (multiply by W as training does) when the heap has no room left
   * for the copy, so a network that predicted before packing existed still predicts.
   */
  private packedWeights(): number {
    if (!this.packedCurrent) {
      const { kernels: k, heap } = this.engine;
      if (this.packed === 0) {
        const bytes = k.gemmPackedBytes(this.outputs, this.inputs);
        if (heap.usedBytes + bytes > heap.maxBytes) return 0;
        try {
          this.packed = heap.alloc(bytes);
        } catch (err) {
          // Room in total but not in one piece (freed blocks between live ones).
          if (err instanceof RangeError) return 0;
          throw err;
        }
      }
      k.gemmPackB(false, this.outputs, this.inputs, this.weights, this.outputs, this.packed);
      this.packedCurrent = true;
    }
    return this.packed;
  }

  backward(grad: number, rows: number, wantInputGrad: boolean): number {
    // The optimizer step that follows changes W.
    this.packedCurrent = false;
    const { kernels: k, gemmWork } = this.engine;
    const act = this.activation;
    const units = this.outputs;
    if (!this.lastWasLogits) {
      if (act.code === undefined) this.softmaxBackward(grad, rows);
      else activationGradient(k, act, act.code, this.z.pointer, this.a.pointer, grad, rows * units);
    }
    const [dW, db] = this.params;
    k.gemm(true, false, this.inputs, units, rows, 1, this.input, this.inputs, grad, units, 0, dW!.grad, units, 0, Act.identity, 0, gemmWork);
    k.sumCols(grad, db!.grad, rows, units);
    if (!wantInputGrad) return 0;
    const dx = this.dx.reserve(rows);
    k.gemm(false, true, rows, this.inputs, units, 1, grad, units, this.weights, units, 0, dx, this.inputs, 0, Act.identity, 0, gemmWork);
    return dx;
  }

  /**
   * dz = a ⊙ (da − Σ_j da_j·a_j) per row: the softmax Jacobian applied to da. Only used when
   * softmax is trained with a loss other than cross-entropy (which fuses it away).
   */
  private softmaxBackward(grad: number, rows: number): void {
    const f32 = this.engine.heap.f32;
    const units = this.outputs;
    const a0 = this.a.pointer >> 2;
    const g0 = grad >> 2;
    for (let r = 0; r < rows; r++) {
      let dot = 0;
      for (let j = 0; j < units; j++) dot += f32[g0 + r * units + j]! * f32[a0 + r * units + j]!;
      for (let j = 0; j < units; j++) {
        const i = r * units + j;
        f32[g0 + i] = f32[a0 + i]! * (f32[g0 + i]! - dot);
      }
    }
  }

  toConfig(): LayerConfig {
    return { type: 'dense', units: this.outputs, activation: activationToJSON(this.activation), initializer: this.initializer };
  }
}
