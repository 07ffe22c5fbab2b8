/**
 * The network as users hold it: the model (src/nn/network.ts) plus training and inference
 * on user data, each a thin call into src/train and src/feed through the data boundary.
 */
import { checkLayout, samplesFrom, type MatrixInput, type TargetInput } from './data/boundary.js';
import type { Dataset } from './data/dataset.js';
import { optionsOf, prepareData, readArgs, type DataArgs, type LayoutOption } from './feed/args.js';
import { checkOptionKeys } from './util/check.js';

/** The options of predict, classify and evaluate. */
const LAYOUT_OPTIONS: readonly (keyof LayoutOption)[] = ['layout'];
import { classesOf, evaluatePrepared, predictSamples, type Evaluation } from './feed/inference.js';
import { Sequential } from './nn/network.js';
import { fit, type FitOptions } from './train/fit.js';
import type { History } from './train/types.js';

/** A sequential neural network whose parameters live in WASM memory. */
export class Network extends Sequential {
  /**
   * Train on a {@link Dataset}. See {@link FitOptions}; resolves with the {@link History}.
   * @example
   * ```ts
   * import { Network, makeMoons } from 'simdnet';
   * const moons = makeMoons(200, 0.1, 1);
   * const net = Network.mlp([2, 8, 1], { seed: 1 });
   * const history = await net.fit(moons, { epochs: 50, optimizer: 'adam', learningRate: 0.05 });
   * ```
   */
  fit(data: Dataset, options?: FitOptions): Promise<History>;
  /**
   * Train on samples `x` and targets `y`: class indices or one-hot rows for a softmax output,
   * 0/1 values for a sigmoid output, real values for a linear output.
   */
  fit(x: MatrixInput, y: TargetInput, options?: FitOptions): Promise<History>;
  fit(...args: DataArgs<FitOptions>): Promise<History> {
    return fit(this, ...args);
  }

  /**
   * Output probabilities (or values, for a linear output), one row of
   * {@link Sequential.outputs} per sample, row-major.
   */
  predict(x: MatrixInput | Dataset, options?: LayoutOption): Float32Array {
    return this.outputsFor(x, options, 'predict');
  }

  /** Class per sample: 0/1 by the 0.5 threshold for one output, argmax for several. */
  classify(x: MatrixInput | Dataset, options?: LayoutOption): Int32Array {
    return classesOf(this.outputsFor(x, options, 'classify'), this.outputs);
  }

  /** {@link Network.predict}, with errors naming the call `what`. */
  private outputsFor(x: MatrixInput | Dataset, options: LayoutOption | undefined, what: string): Float32Array {
    const checked = optionsOf<LayoutOption>(options, what);
    checkOptionKeys(checked, LAYOUT_OPTIONS, what);
    const { layout } = checked;
    return predictSamples(this, samplesFrom(x, this.inputs, checkLayout(layout, what), `${what}: x`));
  }

  /** Mean loss and accuracy on a {@link Dataset} (no dropout, no weight-decay term). */
  evaluate(data: Dataset): Evaluation;
  /** Mean loss and accuracy on samples `x` with targets `y` (as {@link Network.fit} takes them). */
  evaluate(x: MatrixInput, y: TargetInput, options?: LayoutOption): Evaluation;
  evaluate(...args: DataArgs<LayoutOption>): Evaluation {
    const { options, adopt: _unused, ...input } = readArgs<LayoutOption>(args, 'evaluate');
    checkOptionKeys(options, LAYOUT_OPTIONS, 'evaluate');
    return evaluatePrepared(this, prepareData(this, input, options, 'evaluate'));
  }
}
