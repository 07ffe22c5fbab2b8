/**
 * A network's non-trainable arrays (batch norm's running statistics) copied out and back:
 * checkpoints and early stopping keep them with the weights they belong to.
 */
import type { Sequential } from '../nn/network.js';

/** Copies of the network's non-trainable arrays (batch norm's running statistics). */
export function modelStateOf(net: Sequential): Float32Array[] {
  return net.state.map((a) => net.engine.heap.floats(a.value, a.size).slice());
}

/** Put back arrays taken with {@link modelStateOf} (same sizes, in the same order). */
export function restoreModelState(net: Sequential, arrays: readonly Float32Array[]): void {
  net.state.forEach((a, i) => net.engine.heap.floats(a.value, a.size).set(arrays[i]!));
}
