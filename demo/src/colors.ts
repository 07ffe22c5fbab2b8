/** The two class colours, shared by the charts (and by the browser tests that look for them). */
export type Rgb = readonly [number, number, number];

/** Class 0: orange. */
export const CLASS0: Rgb = [234, 120, 28];
/** Class 1: blue. */
export const CLASS1: Rgb = [37, 99, 235];

/** CSS colour for an RGB triple. */
export function css([r, g, b]: Rgb, alpha = 1): string {
  return `rgb(${r} ${g} ${b} / ${alpha})`;
}
