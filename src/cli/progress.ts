/**
 * Live training progress. On a terminal: the per-epoch lines (as below) scroll above one live
 * bar, redrawn in place, whose numbers all describe the same moment: how far training is, the
 * mean loss of the current epoch's batches so far, samples/s and the time left. Elsewhere (CI
 * logs, pipes): only the plain lines, one per epoch for mini-batch training, and every few
 * iterations for full-batch training as the seeds print "Cost after iteration i". Regression
 * epochs show RMSE, MAE and R² where classification shows accuracy. Progress goes to stderr
 * so stdout stays clean for `--json`.
 */
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

/** Carriage return, then erase to the end of the line: the bar's line is drawn afresh. */
const REDRAW = '\r\x1b[K';
/** Redraws at most this often (ms); a line above the bar is written at once. */
const FRAME_MS = 100;
const BAR_WIDTH = 24;

/** Receives fit callbacks and shows them. */
export class TrainingProgress {
  private readonly stream: NodeJS.WriteStream;
  private readonly every: number;
  private readonly started = performance.now();
  private samples = 0;
  /** The bar's text as last drawn ('' when none is on screen). */
  private drawn = '';
  private lastDraw = -Infinity;
  /** The current epoch's batch losses so far, weighted by batch size. */
  private epoch = { number: 0, lossSum: 0, samples: 0 };

  constructor(private readonly plan: ProgressPlan) {
    this.stream = plan.stream ?? process.stderr;
    this.every = plan.fullBatch ? niceStep(plan.epochs / 10) : 1;
  }

  /** Call after each batch. */
  onBatch(log: BatchLog): void {
    this.samples += log.size;
    if (log.epoch !== this.epoch.number) this.epoch = { number: log.epoch, lossSum: 0, samples: 0 };
    this.epoch.lossSum += log.loss * log.size;
    this.epoch.samples += log.size;
    if (this.plan.mode !== 'bar') return;
    const now = performance.now();
    const last = log.batch + 1 === log.batches && log.epoch === this.plan.epochs;
    if (now - this.lastDraw < FRAME_MS && !last) return;
    this.lastDraw = now;
    this.draw(this.barText(log));
  }

  /** Call after each epoch (each iteration, for full-batch training). */
  onEpoch(log: EpochLog): void {
    if (this.plan.mode === 'off') return;
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

  /** Print a message above the bar. */
  note(text: string): void {
    if (this.plan.mode === 'off') return;
    this.line(text);
  }

  /** Remove the bar (call once training has ended); the lines above it stay. */
  stop(): void {
    if (this.drawn) this.stream.write(REDRAW);
    this.drawn = '';
  }

  /** The bar for the moment after `log`'s batch. */
  private barText(log: BatchLog): string {
    const { fullBatch, epochs } = this.plan;
    const total = fullBatch ? epochs : epochs * log.batches;
    const done = fullBatch ? log.epoch : (log.epoch - 1) * log.batches + log.batch + 1;
    const fraction = Math.min(1, done / total);
    const filled = Math.round(fraction * BAR_WIDTH);
    const elapsed = Math.max(1e-6, (performance.now() - this.started) / 1000);
    const head = fullBatch ? `iteration ${log.epoch}/${epochs}` : `epoch ${log.epoch}/${epochs} batch ${log.batch + 1}/${log.batches}`;
    const loss = fullBatch ? log.loss : this.epoch.lossSum / this.epoch.samples;
    const left = done > 0 ? formatSeconds((elapsed * (total - done)) / done) : '–';
    return `${head} [${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${Math.floor(fraction * 100)}% | ` +
      `${fullBatch ? 'cost' : 'epoch loss'} ${loss.toFixed(4)} | ${formatRate(this.samples / elapsed)} samples/s | ETA ${left}`;
  }

  /** Draw the bar in place, cut to the terminal's width so it never wraps. */
  private draw(text: string): void {
    const width = this.stream.columns;
    const fitted = width && text.length >= width ? text.slice(0, Math.max(0, width - 1)) : text;
    this.stream.write(`${REDRAW}${fitted}`);
    this.drawn = fitted;
  }

  /** A line that stays: written over the bar, which is drawn again below it. */
  private line(text: string): void {
    if (!this.drawn) {
      this.stream.write(`${text}\n`);
      return;
    }
    this.stream.write(`${REDRAW}${text}\n${this.drawn}`);
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
