/**
 * im2col and col2im (assembly/conv.ts) for both WASM builds against the reference backend,
 * over the window shape table. Both are data movement plus in-order adds, so results must be
 * bit-identical to the reference; outputs start as NaN and guard zones catch overruns. The
 * pair is also checked against a direct convolution: im2col·W is the convolution, and col2im
 * is im2col's adjoint (⟨im2col(x), d⟩ = ⟨x, col2im(d)⟩).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeRig, randomArray, type Rig } from '../helpers/harness.js';
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
