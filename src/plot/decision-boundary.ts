/**
 * The seeds' `plot_decision_boundary`: the model's prediction over a grid covering the data
 * (padded by 1 on every side, as the seeds do) drawn as a shaded background, with the
 * training points on top, coloured by their true class.
 */
import { createRaster, hexToRgb, pngDataUrl, type Raster } from './png.js';
import { classColor } from './render.js';
import { axisMargin, circle, svgDocument, image, legend, legendWidth, linearScale, markGroup, panel, titleHeight } from './svg.js';

/** What {@link decisionBoundarySvg} needs. */
export interface DecisionBoundaryInput {
  /** Points, row-major n×2. */
  points: ArrayLike<number>;
  /** True class of each point. */
  labels: ArrayLike<number>;
  /** Model outputs for a batch of rows×2 inputs: rows×`outputs` values. */
  predict: (grid: Float32Array) => Float32Array;
  /** Outputs per row: 1 (a probability of class 1) or the number of classes. */
  outputs: number;
  title?: string;
  /** Background grid resolution in cells per side. Default 200. */
  resolution?: number;
}

/** Padding around the data, in data units (the seeds' `min() - 1`, `max() + 1`). */
const PAD = 1;
/** How far the background colours are washed towards white so the points stand out. */
const WASH = 0.55;

interface Extent {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

function extentOf(points: ArrayLike<number>): Extent {
  const e = { x0: Infinity, x1: -Infinity, y0: Infinity, y1: -Infinity };
  for (let i = 0; i + 1 < points.length; i += 2) {
    e.x0 = Math.min(e.x0, points[i]!);
    e.x1 = Math.max(e.x1, points[i]!);
    e.y0 = Math.min(e.y0, points[i + 1]!);
    e.y1 = Math.max(e.y1, points[i + 1]!);
  }
  return { x0: e.x0 - PAD, x1: e.x1 + PAD, y0: e.y0 - PAD, y1: e.y1 + PAD };
}

/** Colour of one grid cell: a red–blue blend by probability for one output, else the argmax class. */
function cellColor(out: Float32Array, at: number, outputs: number): [number, number, number] {
  if (outputs === 1) {
    const p = Math.min(1, Math.max(0, out[at]!));
    const a = hexToRgb(classColor(0));
    const b = hexToRgb(classColor(1));
    return [0, 1, 2].map((c) => a[c]! + (b[c]! - a[c]!) * p) as [number, number, number];
  }
  let best = 0;
  for (let j = 1; j < outputs; j++) if (out[at + j]! > out[at + best]!) best = j;
  return hexToRgb(classColor(best));
}

/** The background raster: row 0 is the top of the plot (largest y). */
function backgroundRaster(input: DecisionBoundaryInput, e: Extent, n: number): Raster {
  const grid = new Float32Array(n * n * 2);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const i = (r * n + c) * 2;
      grid[i] = e.x0 + ((c + 0.5) / n) * (e.x1 - e.x0);
      grid[i + 1] = e.y1 - ((r + 0.5) / n) * (e.y1 - e.y0);
    }
  }
  const out = input.predict(grid);
  const raster = createRaster(n, n);
  for (let i = 0; i < n * n; i++) {
    const rgb = cellColor(out, i * input.outputs, input.outputs);
    for (let c = 0; c < 3; c++) raster.rgba[i * 4 + c] = Math.round(rgb[c]! + (255 - rgb[c]!) * WASH);
    raster.rgba[i * 4 + 3] = 255;
  }
  return raster;
}

const SIZE = 480;

/** An SVG of the decision regions with the points drawn over them. */
export async function decisionBoundarySvg(input: DecisionBoundaryInput): Promise<string> {
  const e = extentOf(input.points);
  const url = pngDataUrl(backgroundRaster(input, e, input.resolution ?? 200));
  const labels = Array.from(input.labels, (l) => String(l));
  const classes = [...new Set(labels)].sort();
  const yScale = linearScale([e.y0, e.y1], [SIZE, 0]);
  const left = 8 + axisMargin(yScale);
  const top = titleHeight(undefined);
  const x = linearScale([e.x0, e.x1], [left, left + SIZE]);
  const y = linearScale([e.y0, e.y1], [top + SIZE, top]);
  const frame = panel({ x: left, y: top, width: SIZE, height: SIZE, xScale: x, yScale: y, xTitle: 'x1', yTitle: 'x2' }, 'boundary-panel');
  const dots = labels.map((label, i) => circle(x(input.points[2 * i]!), y(input.points[2 * i + 1]!), 22, classColor(Number(label)), 'stroke="black" stroke-width="0.4"'));
  const body = [
    frame.start,
    markGroup('image', [image(left, top, SIZE, SIZE, url)], 'aria-hidden="true"'),
    markGroup('symbol', dots),
    frame.end,
    legend(left + SIZE + 16, top, 'class', classes.map((c) => ({ label: c, color: classColor(Number(c)) }))),
  ];
  // The grid lines are drawn under the background picture, so only the ticks show.
  return svgDocument(left + SIZE + 16 + legendWidth('class', classes) + 8, top + SIZE + 48, input.title ?? 'Decision boundary', undefined, body);
}
