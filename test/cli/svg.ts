/**
 * Checks on the SVG files the CLI writes: size attributes, line vertices, embedded PNGs.
 */
import { PNG } from 'pngjs';

/** Width and height attributes of the root `<svg>` element. */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const attr = (name: string) => Number(new RegExp(`\\b${name}="([\\d.]+)"`).exec(root)?.[1] ?? NaN);
  return { width: attr('width'), height: attr('height') };
}

/** Vertex counts of every line mark path (`M x,y L x,y …`), in document order. */
export function lineVertexCounts(svg: string): number[] {
  const counts: number[] = [];
  const group = /<g class="mark-line role-mark[^"]*"[^>]*>(.*?)<\/g>/gs;
  for (const g of svg.matchAll(group)) {
    for (const path of g[1]!.matchAll(/<path[^>]*\sd="([^"]*)"/g)) counts.push((path[1]!.match(/[ML]/g) ?? []).length);
  }
  return counts;
}

/** Decode every embedded `data:image/png;base64,…` image. */
export function embeddedPngs(svg: string): PNG[] {
  return [...svg.matchAll(/href="data:image\/png;base64,([A-Za-z0-9+/=]+)"/g)].map((m) => PNG.sync.read(Buffer.from(m[1]!, 'base64')));
}
