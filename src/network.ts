/**
 * The network as users hold it: the model (src/nn/network.ts) plus training and inference
 * on user data, each a thin call into src/train and src/feed through the data boundary.
 */
import { checkLayout, unscannedSamplesFrom, type MatrixInput, type TargetInput } from './data/boundary.js';
import type { Dataset } from './data/dataset.js';
import { optionsOf, prepareData, readArgs, type DataArgs, type LayoutOption } from './feed/args.js';
import { checkOptionKeys } from './util/check.js';
import { describe } from './util/describe.js';

/** The options of classify and evaluate. */
const LAYOUT_OPTIONS: readonly (keyof LayoutOption)[] = ['layout'];
/** The options of predict. */
const PREDICT_OPTIONS: readonly (keyof PredictOptions)[] = ['layout', 'into'];
import { classesOf, evaluatePrepared, predictSamples, Predictor, type Evaluation } from './feed/inference.js';

/** Options of {@link Network.predict}. */
export interface PredictOptions extends LayoutOption {
  /**
   * Write the outputs into this array (at least rows × outputs floats; the first rows × outputs
   * are written) and return it, instead of allocating a new one: for calling predict in a loop.
   * Nothing is written when predict throws (a NaN or an infinity in the samples, say).
   */
  into?: Float32Array;
}
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
   * {@link Sequential.outputs} per sample, row-major. The dense layers' weights are packed for
   * the GEMM on the first prediction after they change (built, loaded, set or trained), not on
   * every call; `into` reuses an output array.
   * @example
   * ```ts
   * import { Network } from 'simdnet';
   * const net = Network.mlp([4, 8, 3], { seed: 1 });
   * const samples = [[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8]];
   * const out = new Float32Array(net.outputs);
   * for (const sample of samples) net.predict(sample, { into: out }); // no output array per call
   * ```
   */
  predict(x: MatrixInput | Dataset, options?: PredictOptions): Float32Array {
    return this.outputsFor(x, options, 'predict', PREDICT_OPTIONS);
  }

  /** Class per sample: 0/1 by the 0.5 threshold for one output, argmax for several. */
  classify(x: MatrixInput | Dataset, options?: LayoutOption): Int32Array {
    return classesOf(this.outputsFor(x, options, 'classify', LAYOUT_OPTIONS), this.outputs);
  }

  /**
   * A {@link Predictor} for blocks of up to `rows` samples: write samples into its `input`
   * (a view of the network's heap) and `run()` it for a view of the outputs, with no copy or
   * check on either side. The same outputs as {@link Network.predict}, bit for bit.
   * @example
   * ```ts
   * import { Network } from 'simdnet';
   * const net = Network.mlp([784, 32, 10], { seed: 1 });
   * const pixels = new Float32Array(784).fill(0.5);
   * const predictor = net.predictor(1);
   * predictor.input.set(pixels);
   * const probabilities = predictor.run();  // read before the network computes again
   * ```
   */
  predictor(rows: number): Predictor {
    return new Predictor(this, rows);
  }

  /** {@link Network.predict}, with errors naming the call `what`. */
  private outputsFor(x: MatrixInput | Dataset, options: PredictOptions | undefined, what: string, known: readonly string[]): Float32Array {
    const checked = optionsOf<PredictOptions>(options, what);
    checkOptionKeys(checked, known, what);
    const { layout, into } = checked;
    const samples = unscannedSamplesFrom(x, this.inputs, checkLayout(layout, what), `${what}: x`);
    if (into !== undefined && (!(into instanceof Float32Array) || into.length < samples.rows * this.outputs)) {
      throw new TypeError(`${what}: into must be a Float32Array of at least ${samples.rows * this.outputs} floats (${samples.rows} rows × ${this.outputs} outputs), got ${describe(into)}`);
    }
    return predictSamples(this, samples, `${what}: x`, into);
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
