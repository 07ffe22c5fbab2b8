/**
 * Regression charts: predicted against actual values with the y = x line a perfect model lies
 * on, and, for one input, the fitted curve over the training points. Several targets get one
 * panel each, side by side, since their units need not agree.
 */
import type { TopLevelSpec } from 'vega-lite';
import { classColor, renderSvg } from './render.js';

const POINT = classColor(1);
const LINE = classColor(0);
const PANEL = 360;

/** What {@link predictedVsActualSvg} needs. */
export interface PredictedVsActualInput {
  /** True values, rows×targets, row-major. */
  actual: ArrayLike<number>;
  /** Predictions, rows×targets, row-major. */
  predicted: ArrayLike<number>;
  /** Target names: one panel each. */
  targets: readonly string[];
  title?: string;
  /** A line under the title, e.g. how many rows are shown. */
  subtitle?: string;
}

/** Lowest and highest finite value among `lists`, widened when they coincide. */
function rangeOf(...lists: number[][]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const list of lists) {
    for (const v of list) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (!(lo <= hi)) return [0, 1];
  if (lo === hi) return [lo - 1, hi + 1];
  return [lo, hi];
}

/** Column `c` of a rows×width block. */
function column(values: ArrayLike<number>, width: number, c: number): number[] {
  const out: number[] = [];
  for (let i = c; i < values.length; i += width) out.push(values[i]!);
  return out;
}

function wrap(title: string, subtitle: string | undefined, panels: object[]): TopLevelSpec {
  const head = subtitle === undefined ? title : { text: title, subtitle };
  const base = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title: head, background: 'white' };
  return (panels.length === 1 ? { ...base, ...panels[0] } : { ...base, hconcat: panels }) as TopLevelSpec;
}

/**
 * A scatter of predicted against actual values per target, on equal axes, with the line y = x
 * (where every point of a perfect model would lie) drawn through the whole range.
 */
export async function predictedVsActualSvg(input: PredictedVsActualInput): Promise<string> {
  const k = input.targets.length;
  const panels = input.targets.map((name, c) => {
    const actual = column(input.actual, k, c);
    const predicted = column(input.predicted, k, c);
    const [lo, hi] = rangeOf(actual, predicted);
    const scale = { domain: [lo, hi], nice: false, zero: false };
    return {
      width: PANEL,
      height: PANEL,
      layer: [
        {
          data: { values: [{ a: lo, p: lo }, { a: hi, p: hi }] },
          mark: { type: 'line', color: LINE, strokeDash: [6, 4], strokeWidth: 1.5 },
          encoding: {
            x: { field: 'a', type: 'quantitative', scale, title: `actual ${name}` },
            y: { field: 'p', type: 'quantitative', scale, title: `predicted ${name}` },
          },
        },
        {
          data: { values: actual.map((a, i) => ({ a, p: predicted[i]! })) },
          mark: { type: 'circle', size: 18, color: POINT, opacity: 0.6 },
          encoding: {
            x: { field: 'a', type: 'quantitative', scale },
            y: { field: 'p', type: 'quantitative', scale },
          },
        },
      ],
    };
  });
  return renderSvg(wrap(input.title ?? 'Predicted against actual', input.subtitle, panels));
}

/** What {@link fitCurveSvg} needs. */
export interface FitCurveInput {
  /** The single input of each training point. */
  x: ArrayLike<number>;
  /** Targets of the training points, rows×targets, row-major. */
  y: ArrayLike<number>;
  /** Inputs the curve is drawn through, ascending. */
  curveX: ArrayLike<number>;
  /** The model's outputs at `curveX`, rows×targets, row-major. */
  curveY: ArrayLike<number>;
  /** Name of the input, for the x axis. */
  xTitle: string;
  /** Target names: one panel each. */
  targets: readonly string[];
  title?: string;
  subtitle?: string;
}

/** For a model of one input: the training points and the fitted curve through them. */
export async function fitCurveSvg(input: FitCurveInput): Promise<string> {
  const k = input.targets.length;
  const xs = Array.from(input.x);
  const curveXs = Array.from(input.curveX);
  const panels = input.targets.map((name, c) => {
    const ys = column(input.y, k, c);
    const curveYs = column(input.curveY, k, c);
    const xScale = { domain: rangeOf(xs, curveXs), nice: false, zero: false };
    const yScale = { domain: rangeOf(ys, curveYs), zero: false };
    return {
      width: 520,
      height: PANEL,
      layer: [
        {
          data: { values: xs.map((x, i) => ({ x, y: ys[i]! })) },
          mark: { type: 'circle', size: 14, color: POINT, opacity: 0.5 },
          encoding: {
            x: { field: 'x', type: 'quantitative', scale: xScale, title: input.xTitle },
            y: { field: 'y', type: 'quantitative', scale: yScale, title: name },
          },
        },
        {
          data: { values: curveXs.map((x, i) => ({ x, y: curveYs[i]! })) },
          mark: { type: 'line', color: LINE, strokeWidth: 2 },
          encoding: {
            x: { field: 'x', type: 'quantitative', scale: xScale },
            y: { field: 'y', type: 'quantitative', scale: yScale },
          },
        },
      ],
    };
  });
  return renderSvg(wrap(input.title ?? 'Fitted curve', input.subtitle, panels));
}
