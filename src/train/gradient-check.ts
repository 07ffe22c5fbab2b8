/**
 * Numerical gradient check: compare backprop's gradients with central differences
 * (J(θ+ε) − J(θ−ε)) / 2ε of the mean cost, parameter by parameter. Where a kink of a
 * piecewise activation falls inside [θ−ε, θ+ε] the central difference is meaningless, so the
 * one-sided difference closest to the analytic value is used instead; a wrong backward rule
 * disagrees with all three.
 */
import type { Sequential } from '../nn/network.js';
import type { Dataset } from '../data/dataset.js';
import { Rng } from '../util/rng.js';
import { prepareData, readArgs, type DataArgs, type LayoutOption } from '../feed/args.js';
import { stagerFor } from '../feed/stager.js';
import { checkNumber, checkPositiveInt } from '../util/check.js';

/** Options for {@link gradientCheck}. */
export interface GradientCheckOptions extends LayoutOption {
  /** Step ε. Default 1e-2 (float32 storage: smaller steps drown in rounding). */
  epsilon?: number;
  /** Check at most this many entries per parameter array, picked at random. Default 64. */
  samplesPerParam?: number;
  /** Seed for picking entries. Default 0. */
  seed?: number;
  /**
   * Run forward as in training: batch norm on the batch's own statistics (and backward through
   * them). Default false (inference). Refused for networks with dropout, which is random then.
   */
  training?: boolean;
}

/** Result for one parameter array. */
export interface ParamCheck {
  name: string;
  /** Entries compared. */
  checked: number;
  /** max over entries of |analytic − numeric| / max(|analytic| + |numeric|, 1e-4). */
  maxRelativeError: number;
  /** max over entries of |analytic − numeric|. */
  maxAbsoluteError: number;
}

/**
 * Check the network's backward pass on one batch (dropout off). The weights and saved state
 * (batch norm's running statistics, which a training forward updates) are restored exactly
 * afterwards. Returns one entry per parameter array.
 */
export function gradientCheck(net: Sequential, data: Dataset, options?: GradientCheckOptions): ParamCheck[];
export function gradientCheck(net: Sequential, ...args: DataArgs<GradientCheckOptions>): ParamCheck[];
export function gradientCheck(net: Sequential, ...args: DataArgs<GradientCheckOptions>): ParamCheck[] {
  const { options, adopt: _unused, ...input } = readArgs<GradientCheckOptions>(args, 'gradientCheck');
  const eps = checkNumber(options.epsilon ?? 1e-2, 'gradientCheck: epsilon', 1e-8);
  const perParam = checkPositiveInt(options.samplesPerParam ?? 64, 'gradientCheck: samplesPerParam');
  const data = prepareData(net, input, options, 'gradientCheck');
  if (data.rows === 0) throw new RangeError('gradientCheck: no rows');
  const training = options.training ?? false;
  if (training && net.layerConfigs().some((c) => c.type === 'dropout')) {
    throw new RangeError('gradientCheck: training mode on a network with dropout would compare random passes; remove the dropout layers or check in inference mode');
  }
  const rng = new Rng(options.seed ?? 0);
  const heap = net.engine.heap;
  const savedState = net.state.map((s) => heap.floats(s.value, s.size).slice());
  const stager = stagerFor(net);
  stager.stageRange(data, 0, data.rows, true);
  const loss = (gradients: boolean) => net.computeLoss(stager.inputs, stager.targets, data.rows, gradients, training) / data.rows;
  const cost = () => loss(false);

  const base = loss(true);
  const analytic = net.params.map((p) => heap.floats(p.grad, p.size).slice());
  const report = net.params.map((p, pi) => {
    const indices = p.size <= perParam ? Array.from({ length: p.size }, (_, i) => i) : Array.from({ length: perParam }, () => rng.int(p.size));
    let maxRel = 0;
    let maxAbs = 0;
    for (const i of indices) {
      const at = (p.value >> 2) + i;
      const original = heap.f32[at]!;
      heap.f32[at] = original + eps;
      const plus = cost();
      heap.f32[at] = original - eps;
      const minus = cost();
      heap.f32[at] = original;
      // The steps actually taken in float32, not the nominal ε.
      const up = Math.fround(original + eps) - original;
      const down = original - Math.fround(original - eps);
      const exact = analytic[pi]![i]!;
      // Central difference, unless a kink (ReLU, step) lies on one side of θ: then the
      // one-sided difference on the smooth side is the derivative backprop computes.
      const numerics = [(plus - minus) / (up + down), (plus - base) / up, (base - minus) / down];
      let numeric = numerics[0]!;
      for (const candidate of numerics) if (Math.abs(exact - candidate) < Math.abs(exact - numeric)) numeric = candidate;
      const abs = Math.abs(exact - numeric);
      maxAbs = Math.max(maxAbs, abs);
      maxRel = Math.max(maxRel, abs / Math.max(Math.abs(exact) + Math.abs(numeric), 1e-4));
    }
    return { name: p.name, checked: indices.length, maxRelativeError: maxRel, maxAbsoluteError: maxAbs };
  });
  net.state.forEach((st, i) => heap.floats(st.value, st.size).set(savedState[i]!));
  return report;
}
