/**
 * The shared optimizer machinery: learning rate and schedule, the update counter, and
 * per-parameter state arrays in the heap. Subclasses only say how many state arrays they
 * need and which fused kernel applies one update.
 */
import type { Engine } from '../engine.js';
import type { Kernels } from '../backend/kernels.js';
import type { Param } from '../nn/layer.js';
import { checkNumber } from '../util/check.js';
import { rateAt, type LearningRate } from './schedules.js';

/** Plain-data description of an optimizer (for reports and model metadata). */
export interface OptimizerConfig {
  name: string;
  learningRate: number | 'schedule';
  [hyper: string]: number | string | boolean;
}

/**
 * What an optimizer has learned about a network: its update count and, per parameter array,
 * its state arrays (momentum: velocity; RMSprop: mean square; Adam: first and second moment).
 */
export interface OptimizerState {
  config: OptimizerConfig;
  iterations: number;
  /** `arrays[i][j]`: state array j of parameter i; empty lists before the first update. */
  arrays: Float32Array[][];
}

/** Base of every optimizer. */
export abstract class Optimizer {
  /** Constant rate or schedule. */
  readonly learningRate: LearningRate;
  private updates = 0;
  private engine: Engine | undefined;
  private readonly state = new Map<number, number[]>();

  protected constructor(learningRate: LearningRate, where: string) {
    if (typeof learningRate === 'number') checkNumber(learningRate, `${where}: learningRate`, 0);
    else if (typeof learningRate !== 'function') throw new TypeError(`${where}: learningRate must be a number or a schedule function`);
    this.learningRate = learningRate;
  }

  /** Number of state arrays per parameter (momentum: 1, Adam: 2). */
  protected abstract readonly stateArrays: number;

  /** Apply one update to `p` with rate `lr`; `t` counts updates from 1. */
  protected abstract update(k: Kernels, p: Param, state: readonly number[], lr: number, t: number): void;

  /** The hyper-parameters, as plain data. */
  abstract toConfig(): OptimizerConfig;

  /** Updates applied so far. */
  get iterations(): number {
    return this.updates;
  }

  /** The rate the next update will use. */
  currentLearningRate(): number {
    return rateAt(this.learningRate, this.updates);
  }

  /** Apply one update to every parameter of a network living on `engine`. */
  step(engine: Engine, params: readonly Param[]): void {
    if (this.engine !== engine) this.bind(engine);
    const lr = this.currentLearningRate();
    if (!(lr >= 0 && Number.isFinite(lr))) throw new RangeError(`learning rate schedule gave ${lr} at update ${this.updates}`);
    this.updates++;
    for (const p of params) this.update(engine.kernels, p, this.stateOf(engine, p), lr, this.updates);
  }

  /** Forget all state and the update count (e.g. before training a fresh network). */
  reset(): void {
    if (this.engine) for (const ptrs of this.state.values()) for (const ptr of ptrs) this.engine.heap.release(ptr);
    this.state.clear();
    this.updates = 0;
    this.engine = undefined;
  }

  /** A copy of the state this optimizer keeps for `params` (for checkpoints). */
  getState(engine: Engine, params: readonly Param[]): OptimizerState {
    const held = this.engine === engine;
    const arrays = params.map((p) => (held ? this.state.get(p.value) ?? [] : []).map((ptr) => engine.heap.floats(ptr, p.size).slice()));
    return { config: this.toConfig(), iterations: held ? this.updates : 0, arrays };
  }

  /**
   * Continue from a state taken with {@link Optimizer.getState}: the same kind of optimizer
   * with the same hyper-parameters, for the same parameter arrays.
   */
  setState(engine: Engine, params: readonly Param[], state: OptimizerState): void {
    const mine = JSON.stringify(this.toConfig());
    if (JSON.stringify(state.config) !== mine) throw new TypeError(`the saved optimizer ${JSON.stringify(state.config)} differs from this one ${mine}`);
    if (!Number.isSafeInteger(state.iterations) || state.iterations < 0) throw new RangeError(`the saved update count must be a non-negative integer, got ${state.iterations}`);
    if (state.arrays.length !== params.length) throw new RangeError(`the saved optimizer state has ${state.arrays.length} parameter arrays, the network ${params.length}`);
    params.forEach((p, i) => {
      const saved = state.arrays[i]!;
      if (saved.length !== 0 && saved.length !== this.stateArrays) throw new RangeError(`${p.name}: the saved optimizer keeps ${saved.length} state arrays, this one ${this.stateArrays}`);
      for (const a of saved) if (a.length !== p.size) throw new RangeError(`${p.name}: saved optimizer state of ${a.length} values for ${p.size} parameters`);
    });
    this.bind(engine);
    this.updates = state.iterations;
    params.forEach((p, i) => {
      const saved = state.arrays[i]!;
      if (saved.length === 0) return;
      const ptrs = this.stateOf(engine, p);
      saved.forEach((a, j) => engine.heap.floats(ptrs[j]!, p.size).set(a));
    });
  }

  private bind(engine: Engine): void {
    this.reset();
    this.engine = engine;
  }

  private stateOf(engine: Engine, p: Param): number[] {
    let ptrs = this.state.get(p.value);
    if (!ptrs) {
      ptrs = [];
      for (let i = 0; i < this.stateArrays; i++) {
        const ptr = engine.heap.alloc(p.size * 4);
        engine.heap.f32.fill(0, ptr >> 2, (ptr >> 2) + p.size);
        ptrs.push(ptr);
      }
      this.state.set(p.value, ptrs);
    }
    return ptrs;
  }
}
