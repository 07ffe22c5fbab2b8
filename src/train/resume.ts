/**
 * The checkpoint side of {@link fit}: reading the `checkpoint` and `resume` options, checking
 * that a resumed run is the run the checkpoint came from, and saving snapshots.
 */
import type { Sequential } from '../nn/network.js';
import { describe } from '../util/describe.js';
import { checkPositiveInt } from '../util/check.js';
import { hostFiles } from '../util/host-files.js';
import { decodeCheckpoint, encodeCheckpoint, type TrainingSettings, type TrainingState } from './checkpoint.js';

/** Updates (counted from 0) at which a run's learning rate is sampled for its checkpoints: 0, 1, 2, 4 … 2^24. */
export const RATE_SAMPLE_STEPS: readonly number[] = [0, ...Array.from({ length: 25 }, (_, i) => 2 ** i)];

/** The network's shape as a checkpoint records it: resuming on another one is refused. */
export function networkOf(net: Sequential): TrainingState['network'] {
  return { inputs: net.inputs, layers: net.layerConfigs(), loss: net.loss };
}

/** Where and how often {@link fit} saves checkpoints. Give `path` (Node) or `save`. */
export interface CheckpointOptions {
  /** Updates between checkpoints, or `'epoch'` for one after every epoch. Default `'epoch'`. */
  every?: number | 'epoch';
  /** File to write atomically (temporary file + rename), each checkpoint replacing the last. Node only. */
  path?: string;
  /** Receives each checkpoint's bytes instead of a file (any environment); awaited before training goes on. */
  save?: (bytes: Uint8Array, state: TrainingState) => void | Promise<void>;
}

/** A checkpoint to continue from: its state, its bytes, or (in Node) its path. */
export type ResumeInput = TrainingState | Uint8Array | string;

/** The checked `checkpoint` option: when to save and where the bytes go. */
export class Checkpointer {
  private constructor(
    private readonly every: number | 'epoch',
    private readonly sink: (bytes: Uint8Array, state: TrainingState) => void | Promise<void>,
  ) {}

  /** Check the option; `undefined` when checkpoints are off. */
  static of(option: unknown): Checkpointer | undefined {
    if (option === undefined) return undefined;
    if (typeof option !== 'object' || option === null || Array.isArray(option)) {
      throw new TypeError(`fit: checkpoint must be an object ({ path } or { save }, and every), got ${describe(option)}`);
    }
    const { every = 'epoch', path, save, ...rest } = option as CheckpointOptions;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new TypeError(`fit: checkpoint has no option '${unknown[0]}' (it takes every, path, save)`);
    if (every !== 'epoch') checkPositiveInt(every, "fit: checkpoint.every (or 'epoch')");
    if ((path === undefined) === (save === undefined)) throw new TypeError('fit: checkpoint needs exactly one of path (a file, in Node) and save (a function)');
    if (save !== undefined && typeof save !== 'function') throw new TypeError(`fit: checkpoint.save must be a function, got ${describe(save)}`);
    if (path !== undefined && (typeof path !== 'string' || path === '')) throw new TypeError(`fit: checkpoint.path must be a file path, got ${describe(path)}`);
    if (save) return new Checkpointer(every, save);
    const files = hostFiles('fit: checkpoint.path');
    return new Checkpointer(every, (bytes) => files.writeFileAtomic(path!, bytes));
  }

  /** True when update `step` is one to save after. */
  dueAfter(step: number): boolean {
    return this.every !== 'epoch' && step % this.every === 0;
  }

  /** True when every epoch's end is saved. */
  get everyEpoch(): boolean {
    return this.every === 'epoch';
  }

  /** Encode and hand over one snapshot. */
  async save(state: TrainingState): Promise<void> {
    await this.sink(encodeCheckpoint(state), state);
  }
}

/** The `resume` option as a state: decoded from bytes or read from a file. */
export async function readResume(input: unknown): Promise<TrainingState> {
  if (typeof input === 'string') return decodeCheckpoint(await hostFiles('fit: resume').readFile(input), input);
  if (input instanceof Uint8Array) return decodeCheckpoint(input, 'fit: resume');
  if (typeof input === 'object' && input !== null && 'settings' in input && 'order' in input) return input as TrainingState;
  throw new TypeError(`fit: resume must be a checkpoint (its bytes, its state, or a path in Node), got ${describe(input)}`);
}

/**
 * Refuse a checkpoint that this call cannot continue exactly: another network, other data,
 * or other settings. Only `epochs` may grow, to train on from where the run ended.
 */
export function checkResumable(net: Sequential, state: TrainingState, settings: TrainingSettings, epochs: number): void {
  const fail = (message: string): never => {
    throw new RangeError(`fit: resume: ${message}`);
  };
  const mine = networkOf(net);
  if (JSON.stringify(state.network) !== JSON.stringify(mine)) {
    fail(`the checkpoint is of another network (${JSON.stringify(state.network)}), not this one (${JSON.stringify(mine)})`);
  }
  const params = net.params;
  if (state.weights.length !== params.length || params.some((p, i) => state.weights[i]!.length !== p.size)) {
    fail(`the checkpoint holds ${state.weights.length} weight arrays (${state.weights.map((w) => w.length).join(', ')}), the network ${params.map((p) => p.size).join(', ')}`);
  }
  const at = settings.learningRates.findIndex((rate, i) => rate !== state.settings.learningRates?.[i]);
  if (at >= 0) {
    fail(`the checkpoint was made with another learning rate or schedule (update ${RATE_SAMPLE_STEPS[at]! + 1} used ${state.settings.learningRates?.[at]}, this call's would use ${settings.learningRates[at]}); resume needs the same data and settings`);
  }
  const state0 = net.state;
  if (state.modelState.length !== state0.length || state0.some((a, i) => state.modelState[i]!.length !== a.size)) {
    fail(`the checkpoint holds ${state.modelState.length} model-state arrays (${state.modelState.map((a) => a.length).join(', ')}), the network ${state0.map((a) => a.size).join(', ')}`);
  }
  // Both sides' keys: an optional setting (augment) present on one side only is a difference too.
  for (const key of new Set([...Object.keys(settings), ...Object.keys(state.settings)]) as Set<keyof TrainingSettings>) {
    const saved = JSON.stringify(state.settings[key]) ?? 'none';
    const now = JSON.stringify(settings[key]) ?? 'none';
    if (saved !== now) fail(`the checkpoint was made with ${key} ${saved}, this call has ${now}; resume needs the same data and settings`);
  }
  if (state.order.length !== settings.data.rows) fail(`the checkpoint's row order has ${state.order.length} rows, the data ${settings.data.rows}`);
  if (state.epoch > epochs + 1) fail(`the checkpoint is at epoch ${state.epoch}, past this call's ${epochs} epochs`);
}
