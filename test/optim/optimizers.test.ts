import { describe, expect, it } from 'vitest';
import { Adam, Momentum, RMSprop, SGD, cosineDecay, createEngine, createOptimizer, exponentialDecay, stepDecay, type Optimizer } from '../../src/index.js';
import type { Param } from '../../src/nn/layer.js';

/** Run `steps` updates of `opt` on one parameter array with a fixed gradient; return the values. */
function run(opt: Optimizer, backend: 'wasm' | 'js', w0: number[], grads: number[][]): number[] {
  const engine = createEngine({ backend });
  const n = w0.length;
  const value = engine.heap.alloc(n * 4);
  const grad = engine.heap.alloc(n * 4);
  engine.heap.floats(value, n).set(w0);
  const p: Param = { name: 'w', value, grad, size: n, decay: true };
  for (const g of grads) {
    engine.heap.floats(grad, n).set(g);
    opt.step(engine, [p]);
  }
  return Array.from(engine.heap.floats(value, n));
}

describe.each(['wasm', 'js'] as const)('optimizers (%s)', (backend) => {
  it('SGD is the seeds W := W − α·dW', () => {
    expect(run(new SGD({ learningRate: 0.5 }), backend, [1, -2], [[0.2, -0.4]])).toEqual([0.9, -1.8].map(Math.fround));
  });

  it('momentum accumulates velocity; Nesterov looks ahead', () => {
    // v1 = g = 1, w1 = 1 − 0.1 = 0.9; v2 = 0.9 + 1 = 1.9, w2 = 0.9 − 0.19 = 0.71
    expect(run(new Momentum({ learningRate: 0.1, momentum: 0.9 }), backend, [1], [[1], [1]])[0]).toBeCloseTo(0.71, 6);
    // Nesterov: w −= lr(g + μ v): v1 = 1, w1 = 1 − 0.1·1.9 = 0.81; v2 = 1.9, w2 = 0.81 − 0.1·(1 + 1.71) = 0.539
    expect(run(new Momentum({ learningRate: 0.1, momentum: 0.9, nesterov: true }), backend, [1], [[1], [1]])[0]).toBeCloseTo(0.539, 6);
  });

  it('RMSprop divides by the running RMS', () => {
    // s = 0.1·4 = 0.4; w = 1 − 0.01·2/(√0.4 + 1e-7)
    expect(run(new RMSprop({ learningRate: 0.01, rho: 0.9 }), backend, [1], [[2]])[0]).toBeCloseTo(1 - 0.02 / Math.sqrt(0.4), 6);
  });

  it('Adam’s first step moves each weight by about lr against the gradient sign', () => {
    const w = run(new Adam({ learningRate: 0.01 }), backend, [1, 1, 1], [[3, -0.001, 0]]);
    expect(w[0]).toBeCloseTo(0.99, 6);
    expect(w[1]).toBeCloseTo(1.01, 4);
    expect(w[2]).toBe(1);
  });

  it('follows a learning-rate schedule update by update', () => {
    const opt = new SGD({ learningRate: stepDecay(1, 0.5, 2) });
    // rates 1, 1, 0.5, 0.5 with gradient 1: w = 10 − 3
    expect(run(opt, backend, [10], [[1], [1], [1], [1]])[0]).toBe(7);
    expect(opt.iterations).toBe(4);
  });
});

describe('schedules and validation', () => {
  it('computes step, exponential and cosine decay', () => {
    expect([0, 1, 2, 5].map(stepDecay(0.1, 0.5, 2))).toEqual([0.1, 0.1, 0.05, 0.025]);
    expect(exponentialDecay(1, 0.5, 10)(20)).toBeCloseTo(0.25, 12);
    const cos = cosineDecay(1, 100, 0.1);
    expect(cos(0)).toBe(1);
    expect(cos(50)).toBeCloseTo(0.55, 12);
    expect(cos(100)).toBeCloseTo(0.1, 12);
    expect(cos(1000)).toBeCloseTo(0.1, 12);
  });

  it('validates hyper-parameters in the constructor', () => {
    expect(() => new SGD({ learningRate: -1 })).toThrow('SGD: learningRate must be a number in [0, Infinity], got -1');
    expect(() => new Adam({ beta1: 1 })).toThrow('Adam: beta1 must be a number in [0, 0.999999], got 1');
    expect(() => new Momentum({ momentum: Number.NaN })).toThrow('Momentum: momentum must be');
    expect(() => new RMSprop({ rho: 2 })).toThrow('RMSprop: rho must be');
    expect(() => stepDecay(0.1, 0.5, 0)).toThrow('stepDecay every must be a positive integer, got 0');
    expect(() => createOptimizer('adagrad')).toThrow('unknown optimizer "adagrad"; expected one of sgd, momentum, nesterov, rmsprop, adam');
  });
});
