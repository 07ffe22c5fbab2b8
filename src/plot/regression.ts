/**
 * Regression charts: predicted against actual values with the y = x line a perfect model lies
 * on, and, for one input, the fitted curve over the training points. Several targets get one
 * panel each, side by side, since their units need not agree.
 */
import { classColor } from './render.js';
import { axisMargin, circle, svgDocument, linearScale, linePath, markGroup, panel, titleHeight, type Scale } from './svg.js';

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

/** One panel of a regression chart: its scales and the marks drawn with them. */
interface PanelDraw {
  width: number;
  xDomain: [number, number];
  yDomain: [number, number];
  /** Whether the y domain widens to whole ticks. */
  niceY: boolean;
  xTitle: string;
  yTitle: string;
  marks(x: Scale, y: Scale): string[];
}

/** Panels side by side under one title, each with its own axes. */
function panels(title: string, subtitle: string | undefined, draws: readonly PanelDraw[]): string {
  const top = titleHeight(subtitle);
  const body: string[] = [];
  let left = 8;
  draws.forEach((d, i) => {
    const yAxis = linearScale(d.yDomain, [PANEL, 0], { nice: d.niceY });
    left += axisMargin(yAxis);
    const x = linearScale(d.xDomain, [left, left + d.width]);
    const y = linearScale(d.yDomain, [top + PANEL, top], { nice: d.niceY });
    const frame = panel({ x: left, y: top, width: d.width, height: PANEL, xScale: x, yScale: y, xTitle: d.xTitle, yTitle: d.yTitle }, `panel-${i}`);
    body.push(frame.start, ...d.marks(x, y), frame.end);
    left += d.width + 24;
  });
  return svgDocument(left, top + PANEL + 48, title, subtitle, body);
}

/**
 * A scatter of predicted against actual values per target, on equal axes, with the line y = x
 * (where every point of a perfect model would lie) drawn through the whole range.
 */
export async function predictedVsActualSvg(input: PredictedVsActualInput): Promise<string> {
  const k = input.targets.length;
  const draws = input.targets.map((name, c): PanelDraw => {
    const actual = column(input.actual, k, c);
    const predicted = column(input.predicted, k, c);
    const [lo, hi] = rangeOf(actual, predicted);
    return {
      width: PANEL, xDomain: [lo, hi], yDomain: [lo, hi], niceY: false, xTitle: `actual ${name}`, yTitle: `predicted ${name}`,
      marks: (x, y) => [
        markGroup('line', [linePath([[x(lo), y(lo)], [x(hi), y(hi)]], LINE, 1.5, 'stroke-dasharray="6,4"')]),
        markGroup('symbol', actual.map((a, i) => circle(x(a), y(predicted[i]!), 18, POINT, 'fill-opacity="0.6"'))),
      ],
    };
  });
  return panels(input.title ?? 'Predicted against actual', input.subtitle, draws);
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
  const draws = input.targets.map((name, c): PanelDraw => {
    const ys = column(input.y, k, c);
    const curveYs = column(input.curveY, k, c);
    return {
      width: 520, xDomain: rangeOf(xs, curveXs), yDomain: rangeOf(ys, curveYs), niceY: true, xTitle: input.xTitle, yTitle: name,
      marks: (x, y) => [
        markGroup('symbol', xs.map((v, i) => circle(x(v), y(ys[i]!), 14, POINT, 'fill-opacity="0.5"'))),
        markGroup('line', [linePath(curveXs.map((v, i): [number, number] => [x(v), y(curveYs[i]!)]), LINE)]),
      ],
    };
  });
  return panels(input.title ?? 'Fitted curve', input.subtitle, draws);
}
