/**
 * The tap groups of the direct convolution's filter gradient, f32_conv2d_nhwc_filter_grad
 * (assembly/conv.ts, tapGroupFirst), which takes a range of them: the backend calls it with
 * all of them, the thread pool cuts between them (src/threads/split.ts).
 */

/**
 * The kernel's tap groups in its order, as the taps of each: every kernel row's first
 * ⌊run/4⌋·4 taps (run = kw·c) in groups of 4, row by row; then the rows' tails of r = run mod 4
 * taps, 4 consecutive rows to a group when r = 1, 2 when r = 2, 1 when r = 3. Each (tap group,
 * filter group) is one pass over dz, so cutting between groups adds no pass.
 */
export function filterGradTapGroups(kh: number, run: number): number[][] {
  const groups: number[][] = [];
  const full = run - (run % 4), tail = run % 4;
  for (let row = 0; row < kh * run; row += run) {
    for (let t = row; t < row + full; t += 4) groups.push([t, t + 1, t + 2, t + 3]);
  }
  if (tail === 0) return groups;
  const rowsPerGroup = Math.floor(4 / tail);
  for (let ky = 0; ky < kh; ky += rowsPerGroup) {
    const taps: number[] = [];
    for (let k = ky; k < Math.min(kh, ky + rowsPerGroup); k++) for (let i = 0; i < tail; i++) taps.push(k * run + full + i);
    groups.push(taps);
  }
  return groups;
}

/** How many groups {@link filterGradTapGroups} forms, without listing them. */
export function filterGradTapGroupCount(kh: number, run: number): number {
  const tail = run % 4;
  return kh * Math.floor(run / 4) + (tail === 0 ? 0 : Math.ceil(kh / Math.floor(4 / tail)));
}
