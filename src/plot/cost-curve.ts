/**
 * The cost curve: loss and accuracy against epochs (or iterations for full-batch training),
 * the picture the seeds draw with `plt.plot(costs)`.
 */
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from './render.js';

/** One sample of training progress. */
export interface CurvePoint {
  /** Epoch, or iteration for full-batch runs. */
  x: number;
  loss: number;
  accuracy: number;
  /** Loss on held-out data, when measured. */
  testLoss?: number;
  /** Accuracy on held-out data, when measured. */
  testAccuracy?: number;
}

/** Labels for {@link costCurveSvg}. */
export interface CostCurveOptions {
  /** Title of the x axis, e.g. `'epoch'` or `'iteration'`. */
  xTitle: string;
  /** Chart title. */
  title?: string;
}

interface Row {
  x: number;
  series: string;
  value: number;
}

function panel(rows: Row[], yTitle: string, xTitle: string, domain?: [number, number]) {
  const series = ['train', 'test'].filter((name) => rows.some((r) => r.series === name));
  return {
    data: { values: rows },
    width: 520,
    height: 200,
    mark: { type: 'line' as const, point: rows.length <= 60 },
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
  const loss: Row[] = [];
  const accuracy: Row[] = [];
  for (const p of points) {
    if (Number.isFinite(p.loss)) loss.push({ x: p.x, series: 'train', value: p.loss });
    if (p.testLoss !== undefined && Number.isFinite(p.testLoss)) loss.push({ x: p.x, series: 'test', value: p.testLoss });
    if (Number.isFinite(p.accuracy)) accuracy.push({ x: p.x, series: 'train', value: p.accuracy });
    if (p.testAccuracy !== undefined && Number.isFinite(p.testAccuracy)) accuracy.push({ x: p.x, series: 'test', value: p.testAccuracy });
  }
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? 'Cost and accuracy',
    background: 'white',
    vconcat: [panel(loss, 'cost', options.xTitle), panel(accuracy, 'accuracy', options.xTitle, [0, 1])],
  };
  return renderSvg(spec);
}
