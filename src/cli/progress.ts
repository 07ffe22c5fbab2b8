/**
 * Live training progress. On a terminal: one redrawn bar (epoch, batch, loss, accuracy or R²,
 * samples/s, ETA). Elsewhere (CI logs, pipes): plain lines, one per epoch for mini-batch
 * training, and every few iterations for full-batch training as the seeds print
 * "Cost after iteration i". Regression epochs show RMSE, MAE and R² where classification
 * shows accuracy. Progress goes to stderr so stdout stays clean for `--json`.
 */
import cliProgress from 'cli-progress';
import type { BatchLog, EpochLog } from '../node.js';
import { formatRate, formatSeconds, niceStep } from './format.js';

/** How progress is shown. */
export type ProgressMode = 'bar' | 'lines' | 'off';

/** What the reporter needs to know about the run. */
export interface ProgressPlan {
  /** Epochs, or iterations for full-batch training. */
  epochs: number;
  fullBatch: boolean;
  mode: ProgressMode;
  /** What the network's epochs report: accuracy, or RMSE, MAE and R² (default classification). */
  task?: 'classification' | 'regression';
  stream?: NodeJS.WriteStream;
}

/** Pick the mode: nothing when quiet, a bar on a terminal, lines otherwise. */
export function progressMode(quiet: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressMode {
  if (quiet) return 'off';
  return stream.isTTY ? 'bar' : 'lines';
}

/** Receives fit callbacks and shows them. */
export class TrainingProgress {
  private readonly stream: NodeJS.WriteStream;
  private readonly every: number;
  private bar: cliProgress.SingleBar | undefined;
  private started = performance.now();
  private samples = 0;
  /** The last epoch's accuracy, or R² for regression. */
  private metric = NaN;

  constructor(private readonly plan: ProgressPlan) {
    this.stream = plan.stream ?? process.stderr;
    this.every = plan.fullBatch ? niceStep(plan.epochs / 10) : 1;
  }

  /** Call after each batch. */
  onBatch(log: BatchLog): void {
    this.samples += log.size;
    if (this.plan.mode !== 'bar') return;
    const total = this.plan.fullBatch ? this.plan.epochs : this.plan.epochs * log.batches;
    const value = this.plan.fullBatch ? log.epoch : (log.epoch - 1) * log.batches + log.batch + 1;
    const payload = {
      head: this.plan.fullBatch ? `iteration ${log.epoch}/${this.plan.epochs}` : `epoch ${log.epoch}/${this.plan.epochs} batch ${log.batch + 1}/${log.batches}`,
      loss: log.loss.toFixed(4),
      metric: Number.isNaN(this.metric) ? '–' : this.metric.toFixed(4),
      rate: formatRate(this.samples / this.elapsed()),
    };
    if (!this.bar) {
      this.bar = new cliProgress.SingleBar({
        stream: this.stream, format: `{head} [{bar}] {percentage}% | loss {loss} | ${this.plan.task === 'regression' ? 'R²' : 'acc'} {metric} | {rate} samples/s | ETA {eta_formatted}`,
        barsize: 24, hideCursor: true, clearOnComplete: true, etaBuffer: 50,
      }, cliProgress.Presets.shades_classic);
      this.bar.start(total, value, payload);
    } else {
      this.bar.update(value, payload);
    }
  }

  /** Call after each epoch (each iteration, for full-batch training). */
  onEpoch(log: EpochLog): void {
    this.metric = log.r2 ?? log.accuracy ?? NaN;
    if (this.plan.mode !== 'lines') return;
    const last = log.epoch === this.plan.epochs;
    if (this.plan.fullBatch) {
      if (log.epoch === 1 || log.epoch % this.every === 0 || last) {
        this.line(`iteration ${log.epoch}/${this.plan.epochs}  cost ${log.loss.toFixed(6)}${scores(log, '')}`);
      }
      return;
    }
    const test = log.valLoss === undefined ? '' : `  test loss ${log.valLoss.toFixed(4)}${scores(log, 'test ')}`;
    this.line(`epoch ${log.epoch}/${this.plan.epochs}  loss ${log.loss.toFixed(4)}${scores(log, '')}${test}  ${formatRate(log.samplesPerSecond)} samples/s  ${formatSeconds(log.seconds)}`);
  }

  /** Print a message without tearing the bar. */
  note(text: string): void {
    if (this.plan.mode === 'off') return;
    if (this.bar) this.stream.write('\n');
    this.line(text);
  }

  /** Remove the bar (call once training has ended). */
  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }

  private elapsed(): number {
    return Math.max(1e-6, (performance.now() - this.started) / 1000);
  }

  private line(text: string): void {
    this.stream.write(`${text}\n`);
  }
}

/**
 * The scores an epoch log holds after its loss: accuracy (classification) or RMSE, MAE and R²
 * (regression), for the training rows or, with `prefix` 'test ', the held-out rows.
 */
function scores(log: EpochLog, prefix: '' | 'test '): string {
  const [accuracy, rmse, mae, r2] = prefix === ''
    ? [log.accuracy, log.rmse, log.mae, log.r2]
    : [log.valAccuracy, log.valRmse, log.valMae, log.valR2];
  const parts: string[] = [];
  if (accuracy !== undefined) parts.push(`${prefix}accuracy ${accuracy.toFixed(4)}`);
  if (rmse !== undefined) parts.push(`${prefix}RMSE ${rmse.toFixed(4)}`);
  if (mae !== undefined) parts.push(`${prefix}MAE ${mae.toFixed(4)}`);
  if (r2 !== undefined) parts.push(`${prefix}R² ${r2.toFixed(4)}`);
  return parts.map((p) => `  ${p}`).join('');
}
