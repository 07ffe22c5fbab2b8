/**
 * The per-update cost record of a run, bounded: with a fixed stride it keeps every
 * `costEvery`-th update (the seeds' "cost after iteration i"); by default it keeps every
 * update until {@link MAX_COST_SAMPLES} are held, then drops every other sample and doubles
 * the stride, so ten million updates hold no more samples than ten thousand.
 */

/** Samples held at most when the stride adapts (the default). */
export const MAX_COST_SAMPLES = 8192;

/** One recorded cost. */
export interface CostSample {
  step: number;
  loss: number;
}

/** A recorder's samples and current stride, for checkpoints. */
export interface CostRecorderState {
  samples: CostSample[];
  stride: number;
}

/** Records costs at a fixed stride, or at an adaptive one when `costEvery` is `'auto'`. */
export class CostRecorder {
  /** The samples, in step order (the array History hands out). */
  readonly samples: CostSample[] = [];
  private stride: number;
  private readonly adaptive: boolean;

  constructor(costEvery: number | 'auto') {
    this.stride = costEvery === 'auto' ? 1 : costEvery;
    this.adaptive = costEvery === 'auto';
  }

  /** Record update `step`'s cost if it falls on the stride (the first update always does). */
  record(step: number, loss: number): void {
    if (step % this.stride !== 0 && step !== 1) return;
    this.samples.push({ step, loss });
    if (this.adaptive && this.samples.length > MAX_COST_SAMPLES) this.thin();
  }

  /** The samples and stride, to continue recording later with {@link CostRecorder.setState}. */
  getState(): CostRecorderState {
    return { samples: this.samples.map((s) => ({ ...s })), stride: this.stride };
  }

  /** Continue from {@link CostRecorder.getState}'s record. */
  setState(state: CostRecorderState): void {
    this.samples.length = 0;
    this.samples.push(...state.samples.map((s) => ({ ...s })));
    this.stride = state.stride;
  }

  /** Keep the first sample and those on twice the stride, in place. */
  private thin(): void {
    this.stride *= 2;
    let kept = 0;
    for (const s of this.samples) if (s.step === 1 || s.step % this.stride === 0) this.samples[kept++] = s;
    this.samples.length = kept;
  }
}
