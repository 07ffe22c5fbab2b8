/**
 * The cost curve: loss and accuracy (or R², for regression) against epochs (or iterations for
 * full-batch training), the picture the seeds draw with `plt.plot(costs)`.
 */
import { axisMargin, circle, svgDocument, extent, legend, legendWidth, linearScale, linePath, markGroup, panel, titleHeight } from './svg.js';

/** One sample of training progress. */
export interface CurvePoint {
  /** Epoch, or iteration for full-batch runs. */
  x: number;
  loss: number;
  /** Classification: training accuracy. */
  accuracy?: number;
  /** Loss on held-out data, when measured. */
  testLoss?: number;
  /** Accuracy on held-out data, when measured. */
  testAccuracy?: number;
  /** Regression: training R². */
  r2?: number;
  /** Regression: R² on held-out data, when measured. */
  testR2?: number;
}

/** Labels for {@link costCurveSvg}. */
export interface CostCurveOptions {
  /** Title of the x axis, e.g. `'epoch'` or `'iteration'`. */
  xTitle: string;
  /** Chart title. */
  title?: string;
  /** The lower panel: `'accuracy'` (default, from 0 to 1) or `'r2'` (up to 1; below −1 is cut off). */
  metric?: 'accuracy' | 'r2';
}

interface Row {
  x: number;
  series: string;
  value: number;
}

const SERIES = [
  { name: 'train', color: '#2c7bb6' },
  { name: 'test', color: '#d7301f' },
] as const;
const WIDTH = 520;
const HEIGHT = 200;
/** Space under a panel for its x axis, before the next one. */
const GAP = 56;

/** One panel of lines, one per series, with a vertex (and a dot, when few) per point. */
function drawPanel(rows: readonly Row[], at: { x: number; y: number }, yTitle: string, xTitle: string, xDomain: [number, number], yDomain: [number, number] | undefined, id: string): string {
  const xScale = linearScale(xDomain, [at.x, at.x + WIDTH], { nice: true });
  const yScale = yDomain
    ? linearScale(yDomain, [at.y + HEIGHT, at.y])
    : linearScale(extent([rows.map((r) => r.value)]), [at.y + HEIGHT, at.y], { nice: true });
  const frame = panel({ ...at, width: WIDTH, height: HEIGHT, xScale, yScale, xTitle, yTitle }, id);
  const dots = rows.length <= 60;
  const marks: string[] = [];
  for (const { name, color } of SERIES) {
    const points = rows.filter((r) => r.series === name).map((r): [number, number] => [xScale(r.x), yScale(r.value)]);
    if (points.length === 0) continue;
    marks.push(markGroup('line', [linePath(points, color)], `aria-label="${name}"`));
    if (dots) marks.push(markGroup('symbol', points.map(([x, y]) => circle(x, y, 20, color, '', 'point'))));
  }
  return frame.start + marks.join('') + frame.end;
}

/**
 * An SVG with two stacked panels, cost above accuracy, one line per series (training, and
 * held-out data when present) and one vertex per point.
 */
export async function costCurveSvg(points: readonly CurvePoint[], options: CostCurveOptions): Promise<string> {
  const r2 = options.metric === 'r2';
  const loss: Row[] = [];
  const metric: Row[] = [];
  const add = (rows: Row[], x: number, series: string, value: number | undefined) => {
    if (value !== undefined && Number.isFinite(value)) rows.push({ x, series, value });
  };
  for (const p of points) {
    add(loss, p.x, 'train', p.loss);
    add(loss, p.x, 'test', p.testLoss);
    add(metric, p.x, 'train', r2 ? p.r2 : p.accuracy);
    add(metric, p.x, 'test', r2 ? p.testR2 : p.testAccuracy);
  }
  const xDomain = extent([points.map((p) => p.x)]);
  const metricDomain: [number, number] = r2 ? [r2Floor(metric), 1] : [0, 1];
  const left = 8 + Math.max(
    axisMargin(linearScale(extent([loss.map((r) => r.value)]), [HEIGHT, 0], { nice: true })),
    axisMargin(linearScale(metricDomain, [HEIGHT, 0])),
  );
  const top = titleHeight(undefined);
  const shown = SERIES.filter((s) => loss.some((r) => r.series === s.name) || metric.some((r) => r.series === s.name));
  const body = [
    drawPanel(loss, { x: left, y: top }, 'cost', options.xTitle, xDomain, undefined, 'cost-panel'),
    drawPanel(metric, { x: left, y: top + HEIGHT + GAP }, r2 ? 'R²' : 'accuracy', options.xTitle, xDomain, metricDomain, 'metric-panel'),
    legend(left + WIDTH + 16, top, undefined, shown.map((s) => ({ label: s.name, color: s.color, shape: 'line' as const }))),
  ];
  const width = left + WIDTH + 16 + legendWidth(undefined, shown.map((s) => s.name)) + 8;
  return svgDocument(width, top + 2 * HEIGHT + 2 * GAP - 8, options.title ?? (r2 ? 'Cost and R²' : 'Cost and accuracy'), undefined, body);
}

/**
 * The bottom of the R² axis: the lowest value rounded down to a tenth, but never below −1 —
 * the first epochs of a run can score far below 0, and would flatten the part worth seeing.
 */
function r2Floor(rows: readonly Row[]): number {
  let lo = Infinity;
  for (const r of rows) lo = Math.min(lo, r.value);
  if (!Number.isFinite(lo)) return 0;
  return Math.max(-1, Math.min(0.9, Math.floor(lo * 10) / 10));
}
