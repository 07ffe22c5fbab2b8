/**
 * The decision-boundary chart: the model's probability of class 1 over a grid covering the
 * data, painted as a tinted background, with the training points on top.
 *
 * Smooth by construction: the colour is a continuous function of the probability (each class
 * colour fading to white at p = 0.5, so neighbouring cells either side of the boundary never
 * jump between two tints), and the grid is fine enough that the canvas's bilinear upscaling
 * leaves no visible cells.
 */
import { CLASS0, CLASS1, css, type Rgb } from '../colors.js';
import { surface } from './canvas.js';

/** Grid cells per side; the background is this many predictions squared. */
const CELLS = 160;
/** Data units of margin around the points. */
const MARGIN = 0.4;

interface Extent {
  x0: number;
  y0: number;
  span: number;
}

/** Blend towards white: `strength` 0 gives white, 1 the colour at 80%, so the points stand out. */
function tint(c: Rgb, strength: number): Rgb {
  const s = 0.8 * Math.sqrt(strength);
  return [255 + (c[0] - 255) * s, 255 + (c[1] - 255) * s, 255 + (c[2] - 255) * s];
}

/** A canvas showing a two-feature binary classifier and its data. */
export class BoundaryChart {
  private points: Float32Array = new Float32Array(0);
  private labels: ArrayLike<number> = [];
  private extent: Extent = { x0: -1, y0: -1, span: 2 };
  private readonly cells = document.createElement('canvas');
  /** Inputs of every grid cell, row-major CELLS²×2, top row first. */
  grid = new Float32Array(CELLS * CELLS * 2);
  showPoints = true;

  private readonly aspect: number;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.aspect = canvas.width / canvas.height;
    this.cells.width = CELLS;
    this.cells.height = CELLS;
  }

  /** Set the points (row-major n×2) and their classes; recomputes the grid to cover them. */
  setData(points: Float32Array, labels: ArrayLike<number>): void {
    this.points = points;
    this.labels = labels;
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < points.length; i += 2) {
      x0 = Math.min(x0, points[i]!);
      x1 = Math.max(x1, points[i]!);
      y0 = Math.min(y0, points[i + 1]!);
      y1 = Math.max(y1, points[i + 1]!);
    }
    const span = Math.max(x1 - x0, y1 - y0) + 2 * MARGIN;
    this.extent = { x0: (x0 + x1 - span) / 2, y0: (y0 + y1 - span) / 2, span };
    for (let r = 0; r < CELLS; r++) {
      for (let c = 0; c < CELLS; c++) {
        const i = 2 * (r * CELLS + c);
        this.grid[i] = this.extent.x0 + ((c + 0.5) / CELLS) * span;
        this.grid[i + 1] = this.extent.y0 + ((CELLS - r - 0.5) / CELLS) * span;
      }
    }
  }

  /** Redraw; `probs` holds P(class 1) per grid cell, or nothing for a blank background. */
  draw(probs?: Float32Array): void {
    const { ctx, width, height } = surface(this.canvas, this.aspect);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    if (probs) {
      const image = new ImageData(CELLS, CELLS);
      for (let i = 0; i < CELLS * CELLS; i++) {
        const p = probs[i]!;
        const rgb = p >= 0.5 ? tint(CLASS1, 2 * p - 1) : tint(CLASS0, 1 - 2 * p);
        image.data.set([rgb[0], rgb[1], rgb[2], 255], 4 * i);
      }
      this.cells.getContext('2d')!.putImageData(image, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(this.cells, 0, 0, width, height);
    }
    if (!this.showPoints) return;
    const { x0, y0, span } = this.extent;
    ctx.lineWidth = 1;
    ctx.strokeStyle = '#fff';
    for (let i = 0; i < this.labels.length; i++) {
      const x = ((this.points[2 * i]! - x0) / span) * width;
      const y = height - ((this.points[2 * i + 1]! - y0) / span) * height;
      ctx.fillStyle = css(this.labels[i] ? CLASS1 : CLASS0);
      ctx.beginPath();
      ctx.arc(x, y, 3, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
  }
}
