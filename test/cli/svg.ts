/**
 * Checks on the SVG files the CLI writes: size attributes, line vertices, embedded PNGs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { expect } from 'vitest';

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

/** A well-formed standalone SVG document of a sensible size. */
export function readSvg(path: string): string {
  expect(existsSync(path), path).toBe(true);
  const svg = readFileSync(path, 'utf8');
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  const { width, height } = svgSize(svg);
  expect(width).toBeGreaterThan(100);
  expect(height).toBeGreaterThan(100);
  return svg;
}
