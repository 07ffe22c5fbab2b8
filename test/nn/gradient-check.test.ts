import { describe, expect, it } from 'vitest';
import { Network, gradientCheck, type ActivationName, type LossName } from '../../src/index.js';
import { randomArray } from '../helpers/harness.js';

const HIDDEN: ActivationName[] = ['sigmoid', 'bipolarSigmoid', 'tanh', 'arctan', 'binaryStep', 'relu', 'leakyRelu', 'softplus', 'linear'];
const OUTPUTS: { activation: ActivationName; loss: LossName; units: number }[] = [
  { activation: 'sigmoid', loss: 'binaryCrossEntropy', units: 1 },
  { activation: 'sigmoid', loss: 'binaryCrossEntropy', units: 3 },
  { activation: 'softmax', loss: 'categoricalCrossEntropy', units: 4 },
  { activation: 'linear', loss: 'meanSquaredError', units: 2 },
  { activation: 'tanh', loss: 'meanSquaredError', units: 2 },
  { activation: 'softmax', loss: 'meanSquaredError', units: 3 },
  { activation: 'linear', loss: 'huber', units: 2 },
  { activation: 'tanh', loss: 'huber', units: 3 },
  { activation: 'sigmoid', loss: 'huber', units: 1 },
];
const ROWS = 7;
const INPUTS = 5;

function targets(loss: LossName, units: number, seed: number): Float32Array {
  const r = randomArray(ROWS * units, seed, 0, 1);
  if (loss === 'meanSquaredError') return randomArray(ROWS * units, seed, -0.8, 0.8);
  // Wide enough that some residuals fall beyond δ = 1 (the linear piece) and some inside.
  if (loss === 'huber') return randomArray(ROWS * units, seed, -2.5, 2.5);
  if (loss === 'binaryCrossEntropy') return r.map((v) => (v > 0.5 ? 1 : 0));
  const y = new Float32Array(ROWS * units);
  for (let i = 0; i < ROWS; i++) y[i * units + Math.floor(r[i]! * units)] = 1;
  return y;
}

// float32 forward passes with ε = 1e-2 give central differences good to a few 1e-3 relative;
// a wrong backward rule is off by O(1). Sums of tiny gradients are judged by absolute error.
// Piecewise activations use a smaller ε so fewer pre-activations straddle a kink.
const KINKED: ActivationName[] = ['relu', 'leakyRelu', 'binaryStep'];
const REL_TOL = 2e-2;
const ABS_TOL = 2e-4;

describe.each(['wasm', 'js'] as const)('gradient check (%s backend)', (backend) => {
  for (const depth of [1, 2, 3]) {
    for (const hidden of depth === 1 ? (['linear'] as ActivationName[]) : HIDDEN) {
      for (const out of OUTPUTS) {
        it(`depth ${depth}, hidden ${hidden}, ${out.activation}+${out.loss}, ${out.units} outputs`, () => {
          const layers = [
            ...Array.from({ length: depth - 1 }, () => ({ type: 'dense' as const, units: 6, activation: hidden, initializer: 'glorotNormal' as const })),
            { type: 'dense' as const, units: out.units, activation: out.activation, initializer: 'glorotNormal' as const },
          ];
          const net = new Network({ inputs: INPUTS, layers, loss: out.loss, seed: depth * 7 + out.units, backend });
          // Non-zero biases: with zero biases a row whose previous layer is all zero sits exactly
          // on the ReLU/step kink, where the derivative is one-sided.
          net.setWeights(net.getWeights().map((w, i) => (i % 2 === 1 ? randomArray(w.length, 100 + i, -0.5, 0.5) : w)));
          const x = { data: randomArray(ROWS * INPUTS, 11 + depth, -1.5, 1.5), rows: ROWS, cols: INPUTS };
          const y = { data: targets(out.loss, out.units, 5 + depth), rows: ROWS, cols: out.units };
          const report = gradientCheck(net, x, y, { epsilon: KINKED.includes(hidden) ? 1e-3 : 1e-2, samplesPerParam: 40 });
          expect(report.length).toBe(2 * depth);
          for (const p of report) {
            const ok = p.maxRelativeError < REL_TOL || p.maxAbsoluteError < ABS_TOL;
            expect(ok, `${p.name}: rel ${p.maxRelativeError}, abs ${p.maxAbsoluteError}`).toBe(true);
          }
        });
      }
    }
  }

  it('catches a wrong gradient (the check can fail)', () => {
    const net = Network.mlp([3, 4, 2], { activation: 'tanh', seed: 3, backend });
    const x = { data: randomArray(12, 1), rows: 4, cols: 3 };
    const y = [0, 1, 1, 0];
    // Corrupt the backward pass: scale dW after it is computed by wrapping the kernel.
    const k = net.engine.kernels as { sumCols: (...a: number[]) => void };
    const original = k.sumCols;
    k.sumCols = (...args: number[]) => {
      original(...args);
      net.engine.heap.f32[args[1]! >> 2]! *= 3;
    };
    const report = gradientCheck(net, x, y);
    k.sumCols = original;
    const biasReports = report.filter((p) => p.name.endsWith('.b'));
    expect(biasReports.some((p) => p.maxRelativeError > 0.1)).toBe(true);
  });
});
