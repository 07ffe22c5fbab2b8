/**
 * Regression results in the targets' own units: predictions mapped back through the target
 * transform and scored against the untransformed targets. `train`, `eval` and `predict` all go
 * through here, so the same model on the same rows reports the same numbers everywhere.
 */
import type { Network } from '../node.js';
import { regressionMetrics, type RegressionMetrics } from '../feed/metrics.js';
import { formatValue } from './format.js';
import { inverseTargets, type TargetTransform } from './problem.js';

/** Metrics of one target. */
export interface TargetMetrics extends RegressionMetrics {
  target: string;
}

/** Outputs for `x` (rows of the network's inputs, already transformed), in the targets' units. */
export function predictInUnits(net: Network, x: Float32Array, t: TargetTransform): Float64Array {
  const outputs = net.predict({ data: x, rows: x.length / net.inputs, cols: net.inputs });
  return inverseTargets(t, outputs, net.outputs);
}

/** MSE, RMSE, MAE and R² of `predictions` against `targets` (both rows×`names.length`). */
export function metricsInUnits(predictions: ArrayLike<number>, targets: ArrayLike<number>, names: readonly string[]): RegressionMetrics {
  return regressionMetrics(predictions, targets, names.length);
}

/** The same metrics for each target on its own. */
export function metricsByTarget(predictions: ArrayLike<number>, targets: ArrayLike<number>, names: readonly string[]): TargetMetrics[] {
  const k = names.length;
  return names.map((target, c) => {
    const rows = targets.length / k;
    const p = new Float64Array(rows);
    const y = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      p[r] = predictions[r * k + c]!;
      y[r] = targets[r * k + c]!;
    }
    return { target, ...regressionMetrics(p, y, 1) };
  });
}

/** `R² 0.9934  RMSE 0.08123  MAE 0.06412`. */
export function formatMetrics(m: RegressionMetrics): string {
  return `R² ${m.r2.toFixed(4)}  RMSE ${formatValue(m.rmse)}  MAE ${formatValue(m.mae)}`;
}

/** `price`, or `2 targets: y1, y2`. */
export function describeTargets(names: readonly string[]): string {
  return names.length === 1 ? `1 target (${names[0]})` : `${names.length} targets (${names.join(', ')})`;
}
