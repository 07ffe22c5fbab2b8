/**
 * im2col and col2im (assembly/conv.ts) for both WASM builds against the reference backend,
 * over the window shape table. Both are data movement plus in-order adds, so results must be
 * bit-identical to the reference; outputs start as NaN and guard zones catch overruns. The
 * pair is also checked against a direct convolution: im2col·W is the convolution, and col2im
 * is im2col's adjoint (⟨im2col(x), d⟩ = ⟨x, col2im(d)⟩). The direct convolution kernels
 * (forward with bias and activation, filter and bias gradients) are one f32 sum per output in
 * a fixed order, so they too match the reference exactly, for every filter count 1…17 (one
 * f32x4 and its tails, two, then a second group of 8 and its tails) and 24, 32 (three and four
 * full groups); activations are compared with the build's own activation kernel. A property
 * test draws further geometries (any kernel row width, so every kind of tap group of the filter
 * gradient, strides, both paddings, 1…20 filters) for the direct kernels of both builds.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Act } from '../../src/backend/kernels.js';
import { windowGeometry } from '../../src/nn/geometry.js';
import { expectClose, makeRig, randomArray, type Rig } from '../helpers/harness.js';
import { WINDOW_CASES, geometryArgs } from '../helpers/windows.js';

const rig: Rig = makeRig();
afterEach(() => rig.releaseAll());

describe.each(WINDOW_CASES)('$name', ({ batch, geometry: g }) => {
  const inputs = batch * g.h * g.w * g.c;
  const k = g.kh * g.kw * g.c;
  const rows = batch * g.oh * g.ow;
  const args = geometryArgs(batch, g);

  it.each(rig.builds.map((kernels) => [kernels.flavor, kernels] as const))('im2col (%s) matches the reference exactly', (_flavor, kernels) => {
    const xValues = randomArray(inputs, 1);
    const x = rig.buffer(inputs, xValues);
    const cols = rig.buffer(rows * k);
    const expected = rig.buffer(rows * k);
    rig.ref.im2col(x, ...args, expected);
    kernels.im2col(x, ...args, cols);
    expect(rig.read(cols, rows * k)).toEqual(rig.read(expected, rows * k));
    rig.expectGuard(cols, rows * k, 'im2col');
    expect(rig.read(x, inputs)).toEqual(xValues);
  });

  it.each(rig.builds.map((kernels) => [kernels.flavor, kernels] as const))('col2im (%s) matches the reference exactly', (_flavor, kernels) => {
    const dValues = randomArray(rows * k, 2);
    const d = rig.buffer(rows * k, dValues);
    const dx = rig.buffer(inputs);
    const expected = rig.buffer(inputs);
    rig.ref.col2im(d, ...args, expected);
    kernels.col2im(d, ...args, dx);
    expect(rig.read(dx, inputs)).toEqual(rig.read(expected, inputs));
    rig.expectGuard(dx, inputs, 'col2im');
    expect(rig.read(d, rows * k)).toEqual(dValues);
  });

  it('im2col times the filter is the direct convolution', () => {
    const f = 3;
    const xValues = randomArray(inputs, 3);
    const wValues = randomArray(k * f, 4);
    const x = rig.buffer(inputs, xValues);
    const cols = rig.buffer(rows * k);
    rig.ref.im2col(x, ...args, cols);
    const colValues = rig.read(cols, rows * k);
    for (let b = 0; b < batch; b++) {
      for (let oy = 0; oy < g.oh; oy++) {
        for (let ox = 0; ox < g.ow; ox++) {
          const r = (b * g.oh + oy) * g.ow + ox;
          for (let o = 0; o < f; o++) {
            let direct = 0;
            let lowered = 0;
            for (let ky = 0; ky < g.kh; ky++) {
              for (let kx = 0; kx < g.kw; kx++) {
                for (let ci = 0; ci < g.c; ci++) {
                  const p = (ky * g.kw + kx) * g.c + ci;
                  const iy = oy * g.sh - g.pt + ky;
                  const ix = ox * g.sw - g.pl + kx;
                  const v = iy >= 0 && iy < g.h && ix >= 0 && ix < g.w ? xValues[((b * g.h + iy) * g.w + ix) * g.c + ci]! : 0;
                  direct += v * wValues[p * f + o]!;
                  lowered += colValues[r * k + p]! * wValues[p * f + o]!;
                }
              }
            }
            expect(lowered).toBe(direct);
          }
        }
      }
    }
  });

  const FILTERS = [...Array.from({ length: 17 }, (_, i) => i + 1), 24, 32];
  const cases = rig.builds.flatMap((kernels) => FILTERS.map((f) => [kernels.flavor, f, kernels] as const));

  it.each(cases)('direct conv2d (%s, %i filters) matches the reference exactly', (_flavor, f, kernels) => {
    const xValues = randomArray(inputs, 7);
    const x = rig.buffer(inputs, xValues);
    const wt = rig.buffer(k * f, randomArray(k * f, 8));
    const bias = rig.buffer(f, randomArray(f, 9));
    const outputs = rows * f;
    for (const act of [Act.identity, Act.relu]) {
      const [y, expected] = [rig.buffer(outputs), rig.buffer(outputs)];
      rig.ref.conv2d(x, ...args, wt, f, bias, act, 0, expected);
      kernels.conv2d(x, ...args, wt, f, bias, act, 0, y);
      expect(rig.read(y, outputs), `act ${act}`).toEqual(rig.read(expected, outputs));
      rig.expectGuard(y, outputs, 'conv2d');
    }
    // Any other activation: the identity output through the build's activation kernel.
    const [y, z] = [rig.buffer(outputs), rig.buffer(outputs)];
    kernels.conv2d(x, ...args, wt, f, bias, Act.tanh, 0, y);
    kernels.conv2d(x, ...args, wt, f, bias, Act.identity, 0, z);
    kernels.activationForward(Act.tanh, 0, z, z, outputs);
    expect(rig.read(y, outputs)).toEqual(rig.read(z, outputs));
    expect(rig.read(x, inputs)).toEqual(xValues);
  });

  it.each(cases)('direct conv2d filter gradient (%s, %i filters) matches the reference exactly', (_flavor, f, kernels) => {
    const x = rig.buffer(inputs, randomArray(inputs, 10));
    const dzValues = randomArray(rows * f, 11);
    const dz = rig.buffer(rows * f, dzValues);
    const [dw, db, dwRef, dbRef] = [rig.buffer(k * f), rig.buffer(f), rig.buffer(k * f), rig.buffer(f)];
    rig.ref.conv2dFilterGrad(x, ...args, dz, f, dwRef, dbRef);
    kernels.conv2dFilterGrad(x, ...args, dz, f, dw, db);
    expect(rig.read(dw, k * f)).toEqual(rig.read(dwRef, k * f));
    expect(rig.read(db, f)).toEqual(rig.read(dbRef, f));
    rig.expectGuard(dw, k * f, 'conv2dFilterGrad dw');
    rig.expectGuard(db, f, 'conv2dFilterGrad db');
    expect(rig.read(dz, rows * f)).toEqual(dzValues);
    // db 0: only dw is written.
    const dw2 = rig.buffer(k * f);
    kernels.conv2dFilterGrad(x, ...args, dz, f, dw2, 0);
    expect(rig.read(dw2, k * f)).toEqual(rig.read(dwRef, k * f));
  });

  it('the direct kernels agree with im2col and the reference GEMM', () => {
    const f = 5;
    const x = rig.buffer(inputs, randomArray(inputs, 12));
    const wt = rig.buffer(k * f, randomArray(k * f, 13));
    const bias = rig.buffer(f, new Float32Array(f));
    const dz = rig.buffer(rows * f, randomArray(rows * f, 14));
    const [cols, y, yGemm, dw, dwGemm, db] = [rig.buffer(rows * k), rig.buffer(rows * f), rig.buffer(rows * f), rig.buffer(k * f), rig.buffer(k * f), rig.buffer(f)];
    rig.ref.im2col(x, ...args, cols);
    rig.ref.gemm(false, false, rows, f, k, 1, cols, k, wt, f, 0, yGemm, f, 0, Act.identity, 0, 0);
    rig.ref.gemm(true, false, k, f, rows, 1, cols, k, dz, f, 0, dwGemm, f, 0, Act.identity, 0, 0);
    rig.builds[0]!.conv2d(x, ...args, wt, f, bias, Act.identity, 0, y);
    rig.builds[0]!.conv2dFilterGrad(x, ...args, dz, f, dw, db);
    const tol = 1e-5 * Math.sqrt(Math.max(k, rows));
    expectClose(rig.read(y, rows * f), rig.read(yGemm, rows * f), tol, tol, 'conv2d vs GEMM');
    expectClose(rig.read(dw, k * f), rig.read(dwGemm, k * f), tol, tol * Math.sqrt(rows), 'conv2dFilterGrad vs GEMM');
  });

  it('col2im is the adjoint of im2col', () => {
    const xValues = randomArray(inputs, 5);
    const dValues = randomArray(rows * k, 6);
    const x = rig.buffer(inputs, xValues);
    const d = rig.buffer(rows * k, dValues);
    const cols = rig.buffer(rows * k);
    const dx = rig.buffer(inputs);
    rig.builds[0]!.im2col(x, ...args, cols);
    rig.builds[0]!.col2im(d, ...args, dx);
    const colValues = rig.read(cols, rows * k);
    const dxValues = rig.read(dx, inputs);
    let left = 0;
    let right = 0;
    for (let i = 0; i < rows * k; i++) left += colValues[i]! * dValues[i]!;
    for (let i = 0; i < inputs; i++) right += xValues[i]! * dxValues[i]!;
    expect(Math.abs(left - right)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(left)) * Math.sqrt(rows * k));
  });
});

describe('the direct kernels on random geometries', () => {
  const geometry = fc.record({
    batch: fc.integer({ min: 0, max: 3 }),
    h: fc.integer({ min: 1, max: 9 }), w: fc.integer({ min: 1, max: 9 }), c: fc.integer({ min: 1, max: 6 }),
    kh: fc.integer({ min: 1, max: 7 }), kw: fc.integer({ min: 1, max: 7 }),
    sh: fc.integer({ min: 1, max: 3 }), sw: fc.integer({ min: 1, max: 3 }),
    same: fc.boolean(), filters: fc.integer({ min: 1, max: 20 }), seed: fc.integer({ min: 1, max: 1_000_000 }),
  }).filter((r) => r.same || (r.kh <= r.h && r.kw <= r.w));

  it.each(rig.builds.map((kernels) => [kernels.flavor, kernels] as const))('forward and filter gradient (%s) match the reference exactly', (_flavor, kernels) => {
    fc.assert(fc.property(geometry, ({ batch, h, w, c, kh, kw, sh, sw, same, filters: f, seed }) => {
      const g = windowGeometry([h, w, c], [kh, kw], [sh, sw], same ? 'same' : 'valid', 'property', 'kernel');
      const args = geometryArgs(batch, g);
      const inputs = batch * h * w * c, k = kh * kw * c, outputs = batch * g.oh * g.ow * f;
      const x = rig.buffer(inputs, randomArray(inputs, seed));
      const wt = rig.buffer(k * f, randomArray(k * f, seed + 1));
      const bias = rig.buffer(f, randomArray(f, seed + 2));
      const dz = rig.buffer(outputs, randomArray(outputs, seed + 3));
      const [y, yRef, dw, db, dwRef, dbRef] = [rig.buffer(outputs), rig.buffer(outputs), rig.buffer(k * f), rig.buffer(f), rig.buffer(k * f), rig.buffer(f)];
      rig.ref.conv2d(x, ...args, wt, f, bias, Act.relu, 0, yRef);
      kernels.conv2d(x, ...args, wt, f, bias, Act.relu, 0, y);
      rig.ref.conv2dFilterGrad(x, ...args, dz, f, dwRef, dbRef);
      kernels.conv2dFilterGrad(x, ...args, dz, f, dw, db);
      expect(rig.read(y, outputs)).toEqual(rig.read(yRef, outputs));
      expect(rig.read(dw, k * f)).toEqual(rig.read(dwRef, k * f));
      expect(rig.read(db, f)).toEqual(rig.read(dbRef, f));
      rig.expectGuard(y, outputs, 'conv2d');
      rig.expectGuard(dw, k * f, 'conv2dFilterGrad dw');
      rig.releaseAll();
    }), { numRuns: 150 });
  });
});
