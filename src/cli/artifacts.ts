/**
 * The files a training run leaves in `--out`: the cost curve always; the decision boundary
 * for 2-D data; the confusion matrix for data with named classes; a grid of test pictures
 * for image data.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { History, Network } from '../node.js';
import {
  confusionMatrixSvg, costCurveSvg, decisionBoundarySvg, sampleGridSvg,
  type ConfusionMatrix, type CurvePoint,
} from '../plot/index.js';
import { niceStep } from './format.js';
import type { Problem } from './problem.js';

/** Pictures shown in the sample grid. */
const GRID_SAMPLES = 40;

/** The cost curve's points: one per epoch, or one per `step` iterations for full-batch runs. */
export function curvePoints(history: History, fullBatch: boolean): { xTitle: string; step: number; points: CurvePoint[] } {
  if (!fullBatch) {
    const points = history.epochs.map((e) => ({
      x: e.epoch, loss: e.loss, accuracy: e.accuracy,
      ...(e.valLoss !== undefined ? { testLoss: e.valLoss } : {}),
      ...(e.valAccuracy !== undefined ? { testAccuracy: e.valAccuracy } : {}),
    }));
    return { xTitle: 'epoch', step: 1, points };
  }
  // The seeds record the cost before update i at i = 0, 100, 200 …; epoch e's loss is that
  // cost for iteration e − 1.
  const step = history.epochs.length >= 1000 ? 100 : niceStep(history.epochs.length / 100);
  const points = history.epochs
    .filter((e) => (e.epoch - 1) % step === 0)
    .map((e) => ({ x: e.epoch - 1, loss: e.loss, accuracy: e.accuracy }));
  return { xTitle: 'iteration', step, points };
}

/** Inputs to {@link writePlots}. */
export interface PlotInputs {
  dir: string;
  net: Network;
  problem: Problem;
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
    await writeFile(path, text);
    files[role] = path;
  };
  const curve = curvePoints(p.history, p.fullBatch);
  await write('costCurve', 'cost.svg', await costCurveSvg(curve.points, {
    xTitle: curve.step > 1 ? `iteration (every ${curve.step})` : curve.xTitle, title: `${p.title}: cost and accuracy`,
  }));
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
