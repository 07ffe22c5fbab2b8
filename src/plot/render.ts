/**
 * The colours every chart shares.
 */
/** Palette shared by every chart: class 0 red and class 1 blue, as the seeds' Spectral map. */
export const CLASS_COLORS: readonly string[] = [
  '#d7301f', '#2c7bb6', '#1a9850', '#984ea3', '#ff7f00', '#a6761d', '#e7298a', '#666666', '#66c2a5', '#e6ab02',
];

/** Colour of class `k` (cycles past the palette). */
export function classColor(k: number): string {
  return CLASS_COLORS[k % CLASS_COLORS.length]!;
}
