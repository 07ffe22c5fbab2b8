/**
 * Confusion matrix: counting, text rendering for the terminal and a heat-map chart.
 */
import { svgDocument, markGroup, num, text, textWidth, titleHeight } from './svg.js';

/** counts[t][p] = samples of true class t predicted as p. */
export type ConfusionMatrix = number[][];

/** Count (true, predicted) pairs for `classes` classes. */
export function confusionMatrix(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): ConfusionMatrix {
  if (truth.length !== predicted.length) throw new RangeError(`confusionMatrix: ${truth.length} labels but ${predicted.length} predictions`);
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < truth.length; i++) {
    const row = m[truth[i]!];
    if (row && predicted[i]! < classes) row[predicted[i]!]! += 1;
  }
  return m;
}

/** A fixed-width table: rows are true classes, columns predicted classes. */
export function formatConfusionMatrix(m: ConfusionMatrix, names: readonly string[]): string {
  const cell = Math.max(5, ...names.map((n) => n.length + 1), ...m.flat().map((v) => String(v).length + 1));
  const label = Math.max(6, ...names.map((n) => n.length + 1));
  const header = `${'true\\pred'.padEnd(label + 3)}${names.map((n) => n.padStart(cell)).join('')}`;
  const rows = m.map((row, t) => `${(names[t] ?? String(t)).padEnd(label + 3)}${row.map((v) => String(v).padStart(cell)).join('')}`);
  return [header, ...rows].join('\n');
}

/** ColorBrewer's Blues, light to dark: the cell colour for 0 up to the largest count. */
const BLUES = ['#f7fbff', '#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b'];

/** The Blues colour at `t` in [0, 1], interpolated between the scheme's steps. */
function blues(t: number): string {
  const at = Math.min(1, Math.max(0, t)) * (BLUES.length - 1);
  const i = Math.min(BLUES.length - 2, Math.floor(at));
  const mix = (a: string, b: string, k: number) => {
    const [x, y] = [Number.parseInt(a.slice(1), 16), Number.parseInt(b.slice(1), 16)];
    return [16, 8, 0].map((shift) => Math.round(((x >> shift) & 255) * (1 - k) + ((y >> shift) & 255) * k).toString(16).padStart(2, '0')).join('');
  };
  return `#${mix(BLUES[i]!, BLUES[i + 1]!, at - i)}`;
}

/** A heat map with the count in every cell; the diagonal is what the model got right. */
export async function confusionMatrixSvg(m: ConfusionMatrix, names: readonly string[], title = 'Confusion matrix'): Promise<string> {
  const n = m.length;
  const label = (k: number) => names[k] ?? String(k);
  const max = Math.max(1, ...m.flat());
  const size = Math.max(200, Math.min(560, 44 * n));
  const cell = size / Math.max(1, n);
  const labelWidth = Math.max(...Array.from({ length: n }, (_, k) => textWidth(label(k), 10)), 10);
  const left = 8 + 18 + labelWidth + 8;
  const top = titleHeight(undefined) + 18 + 18;
  const cells: string[] = [];
  const counts: string[] = [];
  m.forEach((row, t) => row.forEach((count, p) => {
    const [x, y] = [left + p * cell, top + t * cell];
    cells.push(`<rect aria-roledescription="rect mark" aria-label="true ${label(t)}, predicted ${label(p)}: ${count}" x="${num(x)}" y="${num(y)}" width="${num(cell)}" height="${num(cell)}" fill="${blues(count / max)}"/>`);
    counts.push(text(x + cell / 2, y + cell / 2, String(count), { anchor: 'middle', baseline: 'middle', size: 11, color: count > max / 2 ? 'white' : 'black' }));
  }));
  const axes: string[] = [text(left + size / 2, top - 26, 'predicted', { anchor: 'middle', bold: true, size: 11 }), text(12, top + size / 2, 'true', { anchor: 'middle', bold: true, size: 11, rotate: true })];
  for (let k = 0; k < n; k++) {
    axes.push(text(left + (k + 0.5) * cell, top - 8, label(k), { anchor: 'middle' }));
    axes.push(text(left - 8, top + (k + 0.5) * cell, label(k), { anchor: 'end', baseline: 'middle' }));
  }
  const body = [`<g class="axes">${axes.join('')}</g>`, markGroup('rect', cells), markGroup('text', counts)];
  return svgDocument(Math.max(left + size + 16, textWidth(title, 13) + 16), top + size + 16, title, undefined, body);
}
