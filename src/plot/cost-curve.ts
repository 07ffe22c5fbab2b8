/**
 * The cost curve: loss and accuracy (or R², for regression) against epochs (or iterations for
 * full-batch training), the picture the seeds draw with `plt.plot(costs)`.
 */
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from './render.js';

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

/** One panel; with `clip`, values below the domain are cut off at the axis. */
function panel(rows: Row[], yTitle: string, xTitle: string, domain?: [number, number], clip = false) {
  const series = ['train', 'test'].filter((name) => rows.some((r) => r.series === name));
  return {
    data: { values: rows },
    width: 520,
    height: 200,
    mark: { type: 'line' as const, point: rows.length <= 60, ...(clip ? { clip } : {}) },
    encoding: {
      x: { field: 'x', type: 'quantitative' as const, title: xTitle },
      y: { field: 'value', type: 'quantitative' as const, title: yTitle, ...(domain ? { scale: { domain } } : { scale: { zero: false } }) },
      color: { field: 'series', type: 'nominal' as const, title: null, scale: { domain: series, range: ['#2c7bb6', '#d7301f'].slice(0, series.length) } },
    },
  };
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
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? (r2 ? 'Cost and R²' : 'Cost and accuracy'),
    background: 'white',
    vconcat: [
      panel(loss, 'cost', options.xTitle),
      r2 ? panel(metric, 'R²', options.xTitle, [r2Floor(metric), 1], true) : panel(metric, 'accuracy', options.xTitle, [0, 1]),
    ],
  };
  return renderSvg(spec);
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
