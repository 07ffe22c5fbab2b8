import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.js';
import { Dropout } from '../../src/nn/dropout.js';
import { Rng } from '../../src/util/rng.js';
import { randomArray } from '../helpers/harness.js';

describe.each(['wasm', 'js'] as const)('Dropout (%s)', (backend) => {
  const ROWS = 64;
  const WIDTH = 50;
  const RATE = 0.3;

  function setup() {
    const engine = createEngine({ backend, threads: 1 });
    const layer = new Dropout(engine, 'dropout_0', WIDTH, RATE, new Rng(7));
    layer.reserve(ROWS);
    const n = ROWS * WIDTH;
    const x = engine.heap.alloc(n * 4);
    const g = engine.heap.alloc(n * 4);
    const xs = randomArray(n, 1, 0.5, 2); // never 0, so a dropped unit is recognisable
    const gs = randomArray(n, 2, -1, 1);
    engine.heap.floats(x, n).set(xs);
    engine.heap.floats(g, n).set(gs);
    return { engine, layer, x, g, xs, gs, n };
  }

  it('keeps about 1 − rate of the units, scaled by 1/(1 − rate), and the backward uses the same mask', () => {
    const { engine, layer, x, g, xs, gs, n } = setup();
    const out = engine.heap.floats(layer.forward(x, ROWS, { training: true, logits: false }), n).slice();
    const dx = engine.heap.floats(layer.backward(g, ROWS, true), n).slice();
    let kept = 0;
    for (let i = 0; i < n; i++) {
      if (out[i] === 0) {
        expect(Math.abs(dx[i]!)).toBe(0);
      } else {
        kept++;
        expect(out[i]).toBeCloseTo(xs[i]! / (1 - RATE), 5);
        expect(dx[i]).toBeCloseTo(gs[i]! / (1 - RATE), 5);
      }
    }
    // 3,200 Bernoulli(0.7) draws: the kept fraction is within 5 standard deviations of 0.7.
    expect(Math.abs(kept / n - (1 - RATE))).toBeLessThan(5 * Math.sqrt((RATE * (1 - RATE)) / n));
  });

  it('is the identity at inference and passes the gradient through', () => {
    const { layer, x, g } = setup();
    expect(layer.forward(x, ROWS, { training: false, logits: false })).toBe(x);
    expect(layer.backward(g, ROWS, true)).toBe(g);
    expect(layer.backward(g, ROWS, false)).toBe(0);
  });

  it('draws a new mask every training step', () => {
    const { engine, layer, x, n } = setup();
    const first = engine.heap.floats(layer.forward(x, ROWS, { training: true, logits: false }), n).slice();
    const second = engine.heap.floats(layer.forward(x, ROWS, { training: true, logits: false }), n).slice();
    expect(second).not.toEqual(first);
  });
});
