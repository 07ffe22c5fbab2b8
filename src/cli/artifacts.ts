/**
 * The files a training run leaves in `--out`: the cost curve always. For classification the
 * decision boundary for 2-D data, the confusion matrix for data with named classes, and a grid
 * of test pictures for image data; for regression predicted against actual values on the test
 * rows, and the fitted curve when there is one input. Every file is written atomically, so a
 * full disk leaves no truncated SVG.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../io/file.js';
import type { EpochLog, History, Network } from '../node.js';
import {
  confusionMatrixSvg, costCurveSvg, decisionBoundarySvg, fitCurveSvg, predictedVsActualSvg, sampleGridSvg,
  type ConfusionMatrix, type CurvePoint,
} from '../plot/index.js';
import { niceStep } from './format.js';
import { applyTransform, type ClassificationProblem, type RegressionProblem } from './problem.js';
import { predictInUnits } from './regression.js';

/** Pictures shown in the sample grid. */
const GRID_SAMPLES = 40;
/** At most this many points in a regression scatter: more only slows the SVG down. */
const SCATTER_POINTS = 2000;
/** Inputs the fitted curve is drawn through. */
const CURVE_POINTS = 200;

/** The scores of an epoch as curve fields: whichever of accuracy and R² the log holds. */
function curveScores(e: EpochLog, withTest: boolean): Omit<CurvePoint, 'x' | 'loss'> {
  return {
    ...(e.accuracy !== undefined ? { accuracy: e.accuracy } : {}),
    ...(e.r2 !== undefined ? { r2: e.r2 } : {}),
    ...(withTest && e.valLoss !== undefined ? { testLoss: e.valLoss } : {}),
    ...(withTest && e.valAccuracy !== undefined ? { testAccuracy: e.valAccuracy } : {}),
    ...(withTest && e.valR2 !== undefined ? { testR2: e.valR2 } : {}),
  };
}

/** The cost curve's points: one per epoch, or one per `step` iterations for full-batch runs. */
export function curvePoints(history: History, fullBatch: boolean): { xTitle: string; step: number; points: CurvePoint[] } {
  if (!fullBatch) {
    const points = history.epochs.map((e) => ({ x: e.epoch, loss: e.loss, ...curveScores(e, true) }));
    return { xTitle: 'epoch', step: 1, points };
  }
  // The seeds record the cost before update i at i = 0, 100, 200 …; epoch e's loss is that
  // cost for iteration e − 1.
  const step = history.epochs.length >= 1000 ? 100 : niceStep(history.epochs.length / 100);
  const points = history.epochs
    .filter((e) => (e.epoch - 1) % step === 0)
    .map((e) => ({ x: e.epoch - 1, loss: e.loss, ...curveScores(e, false) }));
  return { xTitle: 'iteration', step, points };
}

/** Write the cost curve (loss and accuracy, or loss and R² when the network regresses). */
async function writeCostCurve(history: History, fullBatch: boolean, net: Network, title: string): Promise<string> {
  const curve = curvePoints(history, fullBatch);
  const r2 = net.task === 'regression';
  return costCurveSvg(curve.points, {
    xTitle: curve.step > 1 ? `iteration (every ${curve.step})` : curve.xTitle,
    title: `${title}: cost and ${r2 ? 'R²' : 'accuracy'}`,
    ...(r2 ? { metric: 'r2' as const } : {}),
  });
}

/** Inputs to {@link writePlots}. */
export interface PlotInputs {
  dir: string;
  net: Network;
  problem: ClassificationProblem;
  history: History;
  fullBatch: boolean;
  /** Predicted class of every test row. */
  testPredictions: Int32Array;
  confusion: ConfusionMatrix;
  title: string;
}

/** Write the plots; returns the files written, by role. */
export async function writePlots(p: PlotInputs): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const write = async (role: string, name: string, text: string) => {
    const path = join(p.dir, name);
    await writeFileAtomic(path, text);
    files[role] = path;
  };
  await write('costCurve', 'cost.svg', await writeCostCurve(p.history, p.fullBatch, p.net, p.title));
  const { problem, net } = p;
  if (problem.train.features === 2) {
    await write('decisionBoundary', 'decision-boundary.svg', await decisionBoundarySvg({
      points: problem.train.x, labels: problem.train.labels, outputs: net.outputs,
      predict: (grid) => net.predict({ data: grid, rows: grid.length / 2, cols: 2 }),
      title: `${p.title}: decision boundary (training points)`,
    }));
  }
  if (problem.source.kind !== 'points') {
    await write('confusionMatrix', 'confusion-matrix.svg', await confusionMatrixSvg(p.confusion, problem.classNames, `${p.title}: confusion matrix (test)`));
  }
  const picture = problem.source.picture;
  if (picture) {
    const names = problem.classNames;
    const count = Math.min(GRID_SAMPLES, problem.test.rows);
    const f = problem.test.features;
    const samples = Array.from({ length: count }, (_, i) => ({
      features: problem.test.x.subarray(i * f, (i + 1) * f),
      predicted: names[p.testPredictions[i]!] ?? String(p.testPredictions[i]),
      truth: names[problem.test.labels[i]!] ?? String(problem.test.labels[i]),
    }));
    await write('samples', 'test-samples.svg', await sampleGridSvg(samples, { shape: picture, title: `${p.title}: test samples, predicted class` }));
  }
  return files;
}

/** Inputs to {@link writeRegressionPlots}. */
export interface RegressionPlotInputs {
  dir: string;
  net: Network;
  problem: RegressionProblem;
  history: History;
  fullBatch: boolean;
  /** Predictions for the test rows in the targets' units, rows×targets. */
  testPredictions: ArrayLike<number>;
  title: string;
}

/** Rows 0, k, 2k … so that at most `max` of `rows` remain (all of them when they fit). */
function thinned(rows: number, max: number): number[] {
  const every = Math.ceil(rows / max);
  return Array.from({ length: Math.ceil(rows / every) }, (_, i) => i * every);
}

/** Rows `picked` of a rows×width block. */
function pick(values: ArrayLike<number>, width: number, picked: readonly number[]): Float64Array {
  const out = new Float64Array(picked.length * width);
  picked.forEach((r, i) => {
    for (let c = 0; c < width; c++) out[i * width + c] = values[r * width + c]!;
  });
  return out;
}

/** "200 test rows", or "2,000 of 20,000 test rows (one in 10)". */
function shown(count: number, rows: number, what: string): string {
  const total = `${rows.toLocaleString('en-US')} ${what}`;
  return count === rows ? total : `${count.toLocaleString('en-US')} of ${total} (one in ${Math.ceil(rows / count)})`;
}

/** Write the regression plots; returns the files written, by role. */
export async function writeRegressionPlots(p: RegressionPlotInputs): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const write = async (role: string, name: string, text: string) => {
    const path = join(p.dir, name);
    await writeFileAtomic(path, text);
    files[role] = path;
  };
  const { problem, net } = p;
  const { raw, targetNames } = problem;
  const k = targetNames.length;
  await write('costCurve', 'cost.svg', await writeCostCurve(p.history, p.fullBatch, net, p.title));

  const testRows = thinned(raw.test.rows, SCATTER_POINTS);
  await write('predictedVsActual', 'predicted-vs-actual.svg', await predictedVsActualSvg({
    actual: pick(raw.test.y, k, testRows), predicted: pick(p.testPredictions, k, testRows), targets: targetNames,
    title: `${p.title}: predicted against actual (test)`, subtitle: `${shown(testRows.length, raw.test.rows, 'test rows')}; on the dashed line prediction = actual`,
  }));

  if (raw.train.features === 1) {
    const trainRows = thinned(raw.train.rows, SCATTER_POINTS);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of raw.train.x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const curveX = Float32Array.from({ length: CURVE_POINTS }, (_, i) => lo + ((hi - lo) * i) / (CURVE_POINTS - 1));
    const curveY = predictInUnits(net, applyTransform(problem.transform, curveX, 1), problem.targetTransform);
    await write('fit', 'fit.svg', await fitCurveSvg({
      x: pick(raw.train.x, 1, trainRows), y: pick(raw.train.y, k, trainRows), curveX, curveY,
      xTitle: problem.source.featureNames[0] ?? 'x', targets: targetNames,
      title: `${p.title}: fitted curve`, subtitle: `${shown(trainRows.length, raw.train.rows, 'training points')} and the model's prediction over their range`,
    }));
  }
  return files;
}
