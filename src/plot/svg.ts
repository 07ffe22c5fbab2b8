/**
 * The few SVG pieces the charts are made of: linear scales with nice ticks, a framed panel
 * with axes and grid lines, marks (lines, circles, rects, images, text), a legend, and the
 * document around them with its title. Written here rather than pulled in from a charting
 * library: the six charts need nothing more, and Vega (about 23 MB installed) was paid for by
 * every user of the package, library users included.
 *
 * Marks are grouped the way Vega groups them (`<g class="mark-line role-mark">`, one
 * `aria-roledescription` per item), so the charts stay readable by screen readers and by the
 * tests that count a chart's vertices, circles and cells.
 */

/** Escape text for an SVG text node or attribute. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A number as SVG coordinates want it: at most two decimals, no trailing zeros. */
export function num(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** Roughly how wide `text` is at `size` px in the charts' sans-serif font (no font metrics here). */
export function textWidth(text: string, size: number): number {
  return text.length * size * 0.58;
}

/** A linear map from a data domain to pixels, with its ticks. */
export interface Scale {
  (v: number): number;
  domain: [number, number];
  ticks: number[];
  /** Tick labels, with as many decimals as the tick step needs. */
  format(v: number): string;
}

/** Tick step for about `count` ticks over `span`: 1, 2 or 5 times a power of ten (as d3 picks it). */
function tickStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m >= Math.sqrt(50) ? 10 : m >= Math.sqrt(10) ? 5 : m >= Math.SQRT2 ? 2 : 1) * power;
}

/**
 * A scale from `domain` onto `range` (pixels; give y ranges bottom first). With `nice`, the
 * domain widens to whole tick steps, as chart axes usually do.
 */
export function linearScale(domain: [number, number], range: [number, number], options: { nice?: boolean; count?: number } = {}): Scale {
  let [lo, hi] = domain;
  if (!(hi > lo)) [lo, hi] = Number.isFinite(lo) ? [lo - 1, lo + 1] : [0, 1];
  const count = options.count ?? 5;
  let step = tickStep(hi - lo, count);
  if (options.nice) {
    lo = Math.floor(lo / step) * step;
    hi = Math.ceil(hi / step) * step;
    step = tickStep(hi - lo, count);
  }
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const [r0, r1] = range;
  const scale = ((v: number) => r0 + ((v - lo) / (hi - lo)) * (r1 - r0)) as Scale;
  scale.domain = [lo, hi];
  scale.ticks = ticks;
  scale.format = (v) => {
    const text = v.toFixed(Math.min(decimals, 10));
    return text.startsWith('-') ? `−${text.slice(1)}` : text;
  };
  return scale;
}

/** The smallest and largest finite values of `lists`; `fallback` when there are none. */
export function extent(lists: readonly (readonly number[])[], fallback: [number, number] = [0, 1]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const list of lists) {
    for (const v of list) {
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : fallback;
}

const FONT = 'font-family="sans-serif"';
const AXIS = '#888888';
const GRID = '#dddddd';
const INK = '#222222';

/** A text element. */
export function text(x: number, y: number, content: string, attrs: { size?: number; anchor?: 'start' | 'middle' | 'end'; color?: string; bold?: boolean; rotate?: boolean; baseline?: 'middle' | 'hanging' } = {}): string {
  const size = attrs.size ?? 10;
  const parts = [`x="${num(x)}"`, `y="${num(y)}"`, `font-size="${size}"`];
  if (attrs.anchor && attrs.anchor !== 'start') parts.push(`text-anchor="${attrs.anchor}"`);
  if (attrs.baseline) parts.push(`dominant-baseline="${attrs.baseline === 'middle' ? 'central' : 'hanging'}"`);
  if (attrs.bold) parts.push('font-weight="bold"');
  parts.push(`fill="${attrs.color ?? INK}"`);
  if (attrs.rotate) parts.push(`transform="rotate(-90 ${num(x)} ${num(y)})"`);
  return `<text ${parts.join(' ')}>${esc(content)}</text>`;
}

/** A group of marks of one kind, labelled as Vega labels its mark groups. */
export function markGroup(kind: 'line' | 'symbol' | 'rect' | 'image' | 'text', items: readonly string[], attrs = ''): string {
  return `<g class="mark-${kind} role-mark" role="graphics-object" aria-roledescription="${kind} mark container"${attrs ? ` ${attrs}` : ''}>${items.join('')}</g>`;
}

/** One polyline through `points` (pixels), `M x,y L x,y …`: one vertex per point. */
export function linePath(points: readonly [number, number][], stroke: string, width = 2, attrs = ''): string {
  const d = points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${num(x)},${num(y)}`).join(' ');
  return `<path aria-roledescription="line mark" d="${d}" fill="none" stroke="${stroke}" stroke-width="${width}"${attrs ? ` ${attrs}` : ''}/>`;
}

/** A circle of Vega's `size` (its area in px²). */
export function circle(x: number, y: number, size: number, fill: string, attrs = '', role = 'circle'): string {
  return `<circle aria-roledescription="${role}" cx="${num(x)}" cy="${num(y)}" r="${num(Math.sqrt(size / Math.PI))}" fill="${fill}"${attrs ? ` ${attrs}` : ''}/>`;
}

/** An embedded picture stretched over a box. */
export function image(x: number, y: number, width: number, height: number, href: string, smooth = false): string {
  return `<image x="${num(x)}" y="${num(y)}" width="${num(width)}" height="${num(height)}" preserveAspectRatio="none"${smooth ? '' : ' style="image-rendering:pixelated"'} href="${href}"/>`;
}

/** What {@link panel} draws and where. */
export interface PanelSpec {
  /** Top-left corner of the plotting area in the document. */
  x: number;
  y: number;
  width: number;
  height: number;
  xScale: Scale;
  yScale: Scale;
  xTitle?: string;
  yTitle?: string;
}

/** Left margin a panel's y axis needs (tick labels and title). */
export function axisMargin(yScale: Scale): number {
  return Math.max(...yScale.ticks.map((t) => textWidth(yScale.format(t), 10))) + 32;
}

/**
 * The panel's frame: grid lines, axes with ticks and labels, axis titles, and a clip path
 * `clipId` the marks can use to stay inside. Marks go between `start` and `end`.
 */
export function panel(spec: PanelSpec, clipId: string): { start: string; end: string } {
  const { x, y, width, height, xScale, yScale } = spec;
  const parts: string[] = [`<g transform="translate(${num(x)},${num(y)})">`];
  parts.push(`<clipPath id="${clipId}"><rect width="${num(width)}" height="${num(height)}"/></clipPath>`);
  const grid: string[] = [];
  const labels: string[] = [];
  for (const t of xScale.ticks) {
    const px = xScale(t) - x;
    grid.push(`<line x1="${num(px)}" y1="0" x2="${num(px)}" y2="${num(height)}" stroke="${GRID}"/>`);
    labels.push(`<line x1="${num(px)}" y1="${num(height)}" x2="${num(px)}" y2="${num(height + 5)}" stroke="${AXIS}"/>`);
    labels.push(text(px, height + 16, xScale.format(t), { anchor: 'middle' }));
  }
  for (const t of yScale.ticks) {
    const py = yScale(t) - y;
    grid.push(`<line x1="0" y1="${num(py)}" x2="${num(width)}" y2="${num(py)}" stroke="${GRID}"/>`);
    labels.push(`<line x1="-5" y1="${num(py)}" x2="0" y2="${num(py)}" stroke="${AXIS}"/>`);
    labels.push(text(-8, py, yScale.format(t), { anchor: 'end', baseline: 'middle' }));
  }
  parts.push(`<g class="grid" aria-hidden="true">${grid.join('')}</g>`);
  const axes = [
    `<line x1="0" y1="${num(height)}" x2="${num(width)}" y2="${num(height)}" stroke="${AXIS}"/>`,
    `<line x1="0" y1="0" x2="0" y2="${num(height)}" stroke="${AXIS}"/>`,
    ...labels,
  ];
  if (spec.xTitle) axes.push(text(width / 2, height + 32, spec.xTitle, { anchor: 'middle', bold: true, size: 11 }));
  if (spec.yTitle) axes.push(text(-axisMargin(yScale) + 12, height / 2, spec.yTitle, { anchor: 'middle', bold: true, size: 11, rotate: true }));
  // Marks are placed in document coordinates, so undo the panel's translation for them.
  return {
    start: `${parts.join('')}<g class="axes">${axes.join('')}</g><g clip-path="url(#${clipId})"><g transform="translate(${num(-x)},${num(-y)})">`,
    end: '</g></g></g>',
  };
}

/** A legend: a title and one swatch per entry, drawn from (x, y) downwards. */
export function legend(x: number, y: number, title: string | undefined, entries: readonly { label: string; color: string; shape?: 'line' | 'circle' }[]): string {
  const parts: string[] = [];
  let at = y;
  if (title) {
    parts.push(text(x, at + 10, title, { bold: true, size: 11 }));
    at += 18;
  }
  for (const e of entries) {
    parts.push(e.shape === 'line'
      ? `<line x1="${num(x)}" y1="${num(at + 6)}" x2="${num(x + 14)}" y2="${num(at + 6)}" stroke="${e.color}" stroke-width="2"/>`
      : `<circle cx="${num(x + 6)}" cy="${num(at + 6)}" r="5" fill="${e.color}" stroke="black" stroke-width="0.4"/>`);
    parts.push(text(x + 20, at + 6, e.label, { baseline: 'middle' }));
    at += 18;
  }
  return `<g class="legend" role="graphics-symbol" aria-roledescription="legend">${parts.join('')}</g>`;
}

/** Width a legend needs. */
export function legendWidth(title: string | undefined, labels: readonly string[]): number {
  return Math.max(title ? textWidth(title, 11) : 0, ...labels.map((l) => 20 + textWidth(l, 10))) + 10;
}

/** Height of the title block: title, and subtitle when given. */
export function titleHeight(subtitle: string | undefined): number {
  return subtitle === undefined ? 30 : 46;
}

/**
 * The standalone document: white background, the title (and subtitle) on top, then `body`.
 * `width` and `height` cover everything.
 */
export function svgDocument(width: number, height: number, title: string, subtitle: string | undefined, body: readonly string[]): string {
  const head = [text(width / 2, 20, title, { anchor: 'middle', bold: true, size: 13 })];
  if (subtitle !== undefined) head.push(text(width / 2, 37, subtitle, { anchor: 'middle', color: '#555555' }));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" ${FONT} role="graphics-document" aria-roledescription="chart">`,
    `<title>${esc(title)}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...head,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
