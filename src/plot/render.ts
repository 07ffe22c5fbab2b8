/**
 * Turns a Vega-Lite specification into a standalone SVG document. Rendering is headless
 * (`renderer: 'none'`), so no canvas package or browser is needed.
 */
import type { TopLevelSpec } from 'vega-lite';

/**
 * Render a Vega-Lite spec to an SVG string. Vega is imported on first use: it takes a few
 * hundred milliseconds to load, which commands that draw nothing should not pay.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Palette shared by every chart: class 0 red and class 1 blue, as the seeds' Spectral map. */
export const CLASS_COLORS: readonly string[] = [
  '#d7301f', '#2c7bb6', '#1a9850', '#984ea3', '#ff7f00', '#a6761d', '#e7298a', '#666666', '#66c2a5', '#e6ab02',
];

/** Colour of class `k` (cycles past the palette). */
export function classColor(k: number): string {
  return CLASS_COLORS[k % CLASS_COLORS.length]!;
}
