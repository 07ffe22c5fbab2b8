/**
 * The cost chart: training loss per epoch as a line, on axes with ticks, grid lines and
 * titles. The epoch axis spans the planned run from the start, so the line grows to the right
 * instead of the chart rescaling; the loss axis grows to the largest loss seen.
 */
import { linearScale } from '../../../src/plot/svg.js';
import { formatCount } from '../format.js';
import { surface } from './canvas.js';

const PAD = { left: 50, right: 14, top: 12, bottom: 40 };
const INK = '#334155';
const GRID = '#e2e8f0';
const AXIS = '#94a3b8';
const LINE = '#0f766e';
const FONT = '11px system-ui, sans-serif';

/** A canvas plotting one loss value per epoch. */
export class CostChart {
  private readonly epochs: number[] = [];
  private readonly losses: number[] = [];
  private planned = 1;
  private readonly aspect: number;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.aspect = canvas.width / canvas.height;
  }

  /** Forget every point; the next run lasts `epochs` epochs. */
  reset(epochs = 1): void {
    this.epochs.length = 0;
    this.losses.length = 0;
    this.planned = Math.max(1, epochs);
  }

  /** Add the loss of one epoch. */
  push(epoch: number, loss: number): void {
    this.epochs.push(epoch);
    this.losses.push(loss);
  }

  /** Redraw axes, labels and the curve. */
  draw(): void {
    const { ctx, width, height } = surface(this.canvas, this.aspect);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    const [left, right, top, bottom] = [PAD.left, width - PAD.right, PAD.top, height - PAD.bottom];
    const x = linearScale([0, this.planned], [left, right], { nice: true, count: Math.max(2, Math.floor((right - left) / 60)) });
    const maxLoss = this.losses.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, v) : m), 0);
    const y = linearScale([0, maxLoss > 0 ? maxLoss : 1], [bottom, top], { nice: true, count: 4 });

    ctx.font = FONT;
    ctx.lineWidth = 1;
    // Grid lines and loss ticks.
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of y.ticks) {
      const py = Math.round(y(t)) + 0.5;
      ctx.strokeStyle = t === 0 ? AXIS : GRID;
      line(ctx, left, py, right, py);
      ctx.fillStyle = INK;
      ctx.fillText(y.format(t), left - 6, py);
    }
    // Epoch ticks.
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.strokeStyle = AXIS;
    for (const t of x.ticks) {
      const px = Math.round(x(t)) + 0.5;
      line(ctx, px, bottom, px, bottom + 4);
      // The last label may stick out past the plot: keep it on the canvas.
      const label = formatCount(t);
      const half = ctx.measureText(label).width / 2;
      ctx.fillText(label, Math.min(px, width - half - 1), bottom + 6);
    }
    line(ctx, left + 0.5, top, left + 0.5, bottom);
    // Axis titles.
    ctx.fillStyle = INK;
    ctx.font = `600 ${FONT}`;
    ctx.fillText('epoch', (left + right) / 2, bottom + 22);
    ctx.save();
    ctx.translate(12, (top + bottom) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'middle';
    ctx.fillText('loss', 0, 0);
    ctx.restore();

    if (this.losses.length === 0) return;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, right - left, bottom - top);
    ctx.clip();
    ctx.strokeStyle = LINE;
    ctx.lineWidth = 2;
    ctx.lineJoin = 'round';
    ctx.beginPath();
    // Long runs have more epochs than pixels: one vertex per half pixel is enough.
    let lastX = -Infinity;
    this.losses.forEach((loss, i) => {
      const px = x(this.epochs[i]!);
      if (px - lastX < 0.5 && i < this.losses.length - 1) return;
      if (i === 0) ctx.moveTo(px, y(loss));
      else ctx.lineTo(px, y(loss));
      lastX = px;
    });
    ctx.stroke();
    ctx.restore();
  }
}

function line(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number): void {
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
}
