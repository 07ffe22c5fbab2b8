/**
 * Batch-norm statistics, forward and backward (assembly/batchnorm.ts) for both WASM builds
 * against the reference backend, over rows×cols shapes: one row, channel counts 1, 3, 4, 17
 * (f32x4 body and every tail), rows = a conv layer's batch·h·w. The kernels sum in f32, the
 * reference in f64: the tolerance is √rows·u relative to the sums' magnitude. Both builds
 * agree bit for bit, and the backward may run in place (dx = dy).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectClose, makeRig, randomArray, type Rig } from '../helpers/harness.js';

const rig: Rig = makeRig();
afterEach(() => rig.releaseAll());
const U = 2 ** -24;

const SHAPES: [rows: number, cols: number][] = [[1, 3], [2, 1], [7, 4], [33, 17], [64, 10], [4 * 24 * 24, 8], [0, 5]];

/** Statistics, invstd (as the layer computes it) and gamma/beta for a rows×cols input. */
function setup(rows: number, cols: number, seed: number) {
  const x = rig.buffer(rows * cols, randomArray(rows * cols, seed, -2, 3));
  const [mean, variance] = [rig.buffer(cols), rig.buffer(cols)];
  if (rows > 0) rig.ref.batchNormStats(x, rows, cols, mean, variance);
  const invstd = rig.buffer(cols, rig.read(variance, cols).map((v) => 1 / Math.sqrt(v + 1e-3)));
  const gamma = rig.buffer(cols, randomArray(cols, seed + 1, 0.5, 1.5));
  const beta = rig.buffer(cols, randomArray(cols, seed + 2));
  return { x, mean, variance, invstd, gamma, beta };
}

describe.each(SHAPES)('%i rows × %i channels', (rows, cols) => {
  const n = rows * cols;
  const tol = 8 * Math.sqrt(Math.max(rows, 1)) * U;

  it.each(rig.builds.map((k) => [k.flavor, k] as const))('stats, forward, backward (%s) match the reference', (_flavor, kernels) => {
    const s = setup(rows, cols, 1);
    if (rows > 0) {
      const [mean, variance] = [rig.buffer(cols), rig.buffer(cols)];
      kernels.batchNormStats(s.x, rows, cols, mean, variance);
      expectClose(rig.read(mean, cols), rig.read(s.mean, cols), tol, tol, 'mean');
      expectClose(rig.read(variance, cols), rig.read(s.variance, cols), tol, tol, 'variance');
      rig.expectGuard(variance, cols, 'variance');
    }
    const [y, yRef] = [rig.buffer(n), rig.buffer(n)];
    rig.ref.batchNormForward(s.x, rows, cols, s.mean, s.invstd, s.gamma, s.beta, yRef);
    kernels.batchNormForward(s.x, rows, cols, s.mean, s.invstd, s.gamma, s.beta, y);
    expectClose(rig.read(y, n), rig.read(yRef, n), 4 * U, 4 * U, 'forward');
    rig.expectGuard(y, n, 'forward');

    for (const batchStats of [true, false]) {
      const dyValues = randomArray(n, 7);
      const [dy, dyRef] = [rig.buffer(n, dyValues), rig.buffer(n, dyValues)];
      const [dg, db, dgRef, dbRef] = [rig.buffer(cols), rig.buffer(cols), rig.buffer(cols), rig.buffer(cols)];
      rig.ref.batchNormBackward(s.x, dyRef, rows, cols, s.mean, s.invstd, s.gamma, batchStats, dyRef, dgRef, dbRef);
      // In place: dx overwrites dy.
      kernels.batchNormBackward(s.x, dy, rows, cols, s.mean, s.invstd, s.gamma, batchStats, dy, dg, db);
      const what = `backward (batchStats ${batchStats})`;
      expectClose(rig.read(db, cols), rig.read(dbRef, cols), tol, tol * Math.sqrt(rows + 1), `${what} dbeta`);
      expectClose(rig.read(dg, cols), rig.read(dgRef, cols), tol, tol * Math.sqrt(rows + 1), `${what} dgamma`);
      expectClose(rig.read(dy, n), rig.read(dyRef, n), tol, 4 * tol, `${what} dx`);
      rig.expectGuard(dy, n, `${what} dx`);
      rig.expectGuard(db, cols, `${what} dbeta`);
    }
  });

  it('both builds agree bit for bit', () => {
    const s = setup(rows, cols, 2);
    const results = rig.builds.map((kernels) => {
      const [mean, variance, y, dg, db] = [rig.buffer(cols), rig.buffer(cols), rig.buffer(n), rig.buffer(cols), rig.buffer(cols)];
      if (rows > 0) kernels.batchNormStats(s.x, rows, cols, mean, variance);
      kernels.batchNormForward(s.x, rows, cols, s.mean, s.invstd, s.gamma, s.beta, y);
      const dx = rig.buffer(n);
      kernels.batchNormBackward(s.x, y, rows, cols, s.mean, s.invstd, s.gamma, true, dx, dg, db);
      return [...(rows > 0 ? [...rig.read(mean, cols), ...rig.read(variance, cols)] : []), ...rig.read(y, n), ...rig.read(dx, n), ...rig.read(dg, cols), ...rig.read(db, cols)];
    });
    expect(results[1]).toEqual(results[0]);
  });
});
