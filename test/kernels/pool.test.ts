/**
 * Max and average pooling (assembly/pool.ts) for both WASM builds against the reference
 * backend over the window shape table, forward and backward. Max pooling and its scatter
 * are exact; average pooling sums in f32 and multiplies by 1/count where the reference sums in
 * f64 and divides, so it is compared within a few ulps. The two builds agree bit for bit.
 * Ties and NaN: the first largest wins and NaN is never chosen.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectClose, makeRig, randomArray, type Rig } from '../helpers/harness.js';
import { WINDOW_CASES, geometryArgs, windowCase } from '../helpers/windows.js';

const rig: Rig = makeRig();
afterEach(() => rig.releaseAll());
const builds = rig.builds.map((kernels) => [kernels.flavor, kernels] as const);

/**
 * The SIMD max pool keeps 4–16 channels of a window in registers: channel counts that fill
 * each width, two blocks of 16 and a block plus a tail, with windows clipped by 'same' padding.
 */
const CHANNEL_CASES = [8, 12, 16, 20, 32, 35].flatMap((c) => [
  windowCase(`pool channels ${c}`, 2, [6, 7, c], [2, 2], [2, 2], 'same'),
  windowCase(`pool channels ${c}, 3×3`, 1, [7, 5, c], [3, 3], [2, 1], 'same'),
]);

describe.each([...WINDOW_CASES, ...CHANNEL_CASES])('$name', ({ batch, geometry: g }) => {
  const inputs = batch * g.h * g.w * g.c;
  const outputs = batch * g.oh * g.ow * g.c;
  const args = geometryArgs(batch, g);

  it.each(builds)('max pool forward and backward (%s) match the reference exactly', (_flavor, kernels) => {
    // Quantised values make ties common, so the first-largest rule is exercised.
    const xValues = randomArray(inputs, 1).map((v) => Math.round(v * 4) / 4);
    const x = rig.buffer(inputs, xValues);
    const [y, yRef, at, atRef] = [rig.buffer(outputs), rig.buffer(outputs), rig.buffer(outputs), rig.buffer(outputs)];
    rig.ref.maxPool2d(x, ...args, yRef, atRef);
    kernels.maxPool2d(x, ...args, y, at);
    expect(rig.read(y, outputs)).toEqual(rig.read(yRef, outputs));
    expect(rig.heap.i32.slice(at >> 2, (at >> 2) + outputs)).toEqual(rig.heap.i32.slice(atRef >> 2, (atRef >> 2) + outputs));
    rig.expectGuard(y, outputs, 'maxPool2d y');
    rig.expectGuard(at, outputs, 'maxPool2d argmax');
    // Indices count from each output's own image, so an image's outputs do not depend on the others.
    expect(rig.heap.i32.slice(at >> 2, (at >> 2) + outputs).every((i) => i >= 0 && i < g.h * g.w * g.c)).toBe(true);

    const dy = rig.buffer(outputs, randomArray(outputs, 2));
    const [dx, dxRef] = [rig.buffer(inputs), rig.buffer(inputs)];
    rig.ref.maxPool2dBackward(dy, atRef, batch, g.oh * g.ow * g.c, dxRef, g.h * g.w * g.c);
    kernels.maxPool2dBackward(dy, at, batch, g.oh * g.ow * g.c, dx, g.h * g.w * g.c);
    expect(rig.read(dx, inputs)).toEqual(rig.read(dxRef, inputs));
    rig.expectGuard(dx, inputs, 'maxPool2dBackward');
    expect(rig.read(x, inputs)).toEqual(xValues);
  });

  it.each(builds)('average pool forward and backward (%s) match the reference', (_flavor, kernels) => {
    const x = rig.buffer(inputs, randomArray(inputs, 3));
    const [y, yRef] = [rig.buffer(outputs), rig.buffer(outputs)];
    rig.ref.avgPool2d(x, ...args, yRef);
    kernels.avgPool2d(x, ...args, y);
    const window = g.kh * g.kw;
    expectClose(rig.read(y, outputs), rig.read(yRef, outputs), 0, window * 2 ** -23, 'avgPool2d');
    rig.expectGuard(y, outputs, 'avgPool2d');

    const dy = rig.buffer(outputs, randomArray(outputs, 4));
    const [dx, dxRef] = [rig.buffer(inputs), rig.buffer(inputs)];
    rig.ref.avgPool2dBackward(dy, ...args, dxRef);
    kernels.avgPool2dBackward(dy, ...args, dx);
    expectClose(rig.read(dx, inputs), rig.read(dxRef, inputs), 0, window * 2 ** -22, 'avgPool2dBackward');
    rig.expectGuard(dx, inputs, 'avgPool2dBackward');
  });

  it('both builds agree bit for bit', () => {
    const x = rig.buffer(inputs, randomArray(inputs, 5));
    const dy = rig.buffer(outputs, randomArray(outputs, 6));
    const results = rig.builds.map((kernels) => {
      const [y, dx] = [rig.buffer(outputs), rig.buffer(inputs)];
      kernels.avgPool2d(x, ...args, y);
      kernels.avgPool2dBackward(dy, ...args, dx);
      return [...rig.read(y, outputs), ...rig.read(dx, inputs)];
    });
    expect(results[1]).toEqual(results[0]);
  });
});

describe('max pool special values', () => {
  it.each(builds)('(%s) skips NaN and gives −∞ with the first index for an all-NaN window', (_flavor, kernels) => {
    // 1×2×2×5, one 2×2 window: channel 0 all NaN, channel 1 one NaN, channels 3 and 4 ties.
    const values = [NaN, NaN, 3, 0, 0, NaN, 1, 1, 0, 0, NaN, 2, 1, 0, 5, NaN, -1, 1, 0, 5];
    const x = rig.buffer(20, values);
    const [y, at] = [rig.buffer(5), rig.buffer(5)];
    kernels.maxPool2d(x, 1, 2, 2, 5, 2, 2, 1, 1, 0, 0, 1, 1, y, at);
    expect([...rig.read(y, 5)]).toEqual([-Infinity, 2, 3, 0, 5]);
    expect([...rig.heap.i32.slice(at >> 2, (at >> 2) + 5)]).toEqual([0, 11, 2, 3, 14]);
  });
});
