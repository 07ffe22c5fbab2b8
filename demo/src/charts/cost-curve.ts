/**
 * The cost chart: training loss per epoch as a line, rescaled to fit as it grows.
 */

const PAD = { left: 44, right: 10, top: 12, bottom: 24 };

/** A canvas plotting one loss value per epoch. */
export class CostChart {
  private readonly epochs: number[] = [];
  private readonly losses: number[] = [];

  constructor(private readonly canvas: HTMLCanvasElement) {}

  /** Forget every point. */
  reset(): void {
    this.epochs.length = 0;
    this.losses.length = 0;
  }

  /** Add the loss of one epoch. */
  push(epoch: number, loss: number): void {
    this.epochs.push(epoch);
    this.losses.push(loss);
  }

  /** Redraw axes, labels and the curve. */
  draw(): void {
    const ctx = this.canvas.getContext('2d')!;
    const { width, height } = this.canvas;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    const w = width - PAD.left - PAD.right;
    const h = height - PAD.top - PAD.bottom;
    const maxEpoch = Math.max(1, this.epochs.at(-1) ?? 1);
    const maxLoss = Math.max(1e-6, ...this.losses);
    ctx.strokeStyle = '#94a3b8';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(PAD.left, PAD.top);
    ctx.lineTo(PAD.left, PAD.top + h);
    ctx.lineTo(PAD.left + w, PAD.top + h);
    ctx.stroke();
    ctx.fillStyle = '#334155';
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    ctx.fillText('0', PAD.left - 4, PAD.top + h);
    if (this.losses.length > 0) ctx.fillText(maxLoss.toPrecision(2), PAD.left - 4, PAD.top);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.fillText(`epoch ${maxEpoch}`, PAD.left + w - 24, PAD.top + h + 6);
    if (this.losses.length === 0) return;
    ctx.strokeStyle = '#0f766e';
    ctx.lineWidth = 2;
    ctx.beginPath();
    this.losses.forEach((loss, i) => {
      const x = PAD.left + (this.epochs[i]! / maxEpoch) * w;
      const y = PAD.top + h - (loss / maxLoss) * h;
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.stroke();
  }
}
