/**
 * Regression metrics, accumulated block by block so they need no copy of the outputs:
 * mean squared error, its root, mean absolute error and the coefficient of determination R²
 * (1 − SSE/SST per output column, averaged over the columns as scikit-learn's
 * `uniform_average` does).
 */

/** Error metrics of real-valued outputs against their targets, in the targets' units. */
export interface RegressionMetrics {
  /** Mean over every output value of (prediction − target)². */
  mse: number;
  /** √mse. */
  rmse: number;
  /** Mean over every output value of |prediction − target|. */
  mae: number;
  /**
   * 1 − SSE/SST per output column, averaged over the columns: 1 is a perfect fit, 0 is no
   * better than predicting the mean, below 0 is worse. A column whose targets are all equal
   * scores 1 when predicted exactly, else 0.
   */
  r2: number;
}

/** {@link RegressionSums}' running sums as plain data. */
export interface RegressionSumsState {
  rows: number;
  sse: number[];
  sae: number[];
  sumY: number[];
  sumY2: number[];
}

/** Sums over the rows seen so far; {@link RegressionSums.metrics} turns them into metrics. */
export class RegressionSums {
  private readonly sse: Float64Array;
  private readonly sae: Float64Array;
  private readonly sumY: Float64Array;
  private readonly sumY2: Float64Array;
  private rows = 0;

  constructor(readonly outputs: number) {
    this.sse = new Float64Array(outputs);
    this.sae = new Float64Array(outputs);
    this.sumY = new Float64Array(outputs);
    this.sumY2 = new Float64Array(outputs);
  }

  /** Add `rows` rows of outputs at `predictions[p0…]` and targets at `targets[y0…]` (row-major). */
  add(predictions: ArrayLike<number>, p0: number, targets: ArrayLike<number>, y0: number, rows: number): void {
    const k = this.outputs;
    for (let i = 0; i < rows * k; i++) {
      const c = i % k;
      const y = targets[y0 + i]!;
      const d = predictions[p0 + i]! - y;
      this.sse[c]! += d * d;
      this.sae[c]! += Math.abs(d);
      this.sumY[c]! += y;
      this.sumY2[c]! += y * y;
    }
    this.rows += rows;
  }

  /** The running sums, as plain numbers (for checkpoints). */
  getState(): RegressionSumsState {
    return { rows: this.rows, sse: [...this.sse], sae: [...this.sae], sumY: [...this.sumY], sumY2: [...this.sumY2] };
  }

  /** Continue from sums taken with {@link RegressionSums.getState}. */
  setState(state: RegressionSumsState): void {
    for (const key of ['sse', 'sae', 'sumY', 'sumY2'] as const) {
      if (state[key].length !== this.outputs) throw new RangeError(`regression sums: ${key} has ${state[key].length} values for ${this.outputs} outputs`);
      this[key].set(state[key]);
    }
    this.rows = state.rows;
  }

  /** The metrics over every row added (NaN before any). */
  metrics(): RegressionMetrics {
    const n = this.rows;
    const k = this.outputs;
    let sse = 0;
    let sae = 0;
    let r2 = 0;
    for (let c = 0; c < k; c++) {
      sse += this.sse[c]!;
      sae += this.sae[c]!;
      const sst = this.sumY2[c]! - (this.sumY[c]! * this.sumY[c]!) / n;
      // Float64 sums of float32 targets: a constant column leaves rounding noise, not variance.
      const constant = sst <= 1e-12 * Math.max(1, this.sumY2[c]!);
      r2 += constant ? (this.sse[c]! === 0 ? 1 : 0) : 1 - this.sse[c]! / sst;
    }
    const mse = sse / (n * k);
    return { mse, rmse: Math.sqrt(mse), mae: sae / (n * k), r2: r2 / k };
  }
}

/** Metrics of `predictions` against `targets` (both rows×outputs, row-major). */
export function regressionMetrics(predictions: ArrayLike<number>, targets: ArrayLike<number>, outputs: number): RegressionMetrics {
  const sums = new RegressionSums(outputs);
  sums.add(predictions, 0, targets, 0, targets.length / outputs);
  return sums.metrics();
}
