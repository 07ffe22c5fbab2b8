/**
 * Flatten: an image batch×h×w×c becomes rows of h·w·c features. Channels-last rows are
 * already stored that way, so forward and backward pass the pointer through; the layer only
 * marks, in the spec and the model file, where images end (dense after an image layer
 * flattens the same way implicitly).
 */
import type { ForwardMode, Layer, LayerConfig, Param } from './layer.js';

/** A flatten layer (no buffers, no parameters). */
export class Flatten implements Layer {
  readonly params: readonly Param[] = [];
  readonly heldBatchBytes = 0;
  readonly outputs: number;

  constructor(readonly name: string, readonly inputs: number) {
    this.outputs = inputs;
  }

  reserve(_rows: number): void {}

  batchBytes(_rows: number): number {
    return 0;
  }

  forward(x: number, _rows: number, _mode: ForwardMode): number {
    return x;
  }

  backward(grad: number, _rows: number, wantInputGrad: boolean): number {
    return wantInputGrad ? grad : 0;
  }

  toConfig(): LayerConfig {
    return { type: 'flatten' };
  }
}
