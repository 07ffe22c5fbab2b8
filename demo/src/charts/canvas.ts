/**
 * Canvases drawn at the screen's resolution: the backing store follows the element's CSS size
 * times the device pixel ratio (sharp on phones), and drawing happens in CSS pixels.
 */

/** A 2D context scaled to CSS pixels, and the canvas's size in them. */
export interface Surface {
  ctx: CanvasRenderingContext2D;
  width: number;
  height: number;
}

/**
 * Size `canvas`'s backing store for its current CSS width (its height follows the width
 * attributes' aspect ratio, which CSS keeps with `height: auto`) and return a context that
 * draws in CSS pixels. A canvas not laid out (a hidden tab) keeps its attribute size.
 */
export function surface(canvas: HTMLCanvasElement, aspect: number): Surface {
  const cssWidth = canvas.clientWidth || canvas.width;
  const ratio = Math.min(3, Math.max(1, window.devicePixelRatio || 1));
  const width = Math.round(cssWidth * ratio);
  const height = Math.round(width / aspect);
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(width / cssWidth, 0, 0, width / cssWidth, 0, 0);
  return { ctx, width: cssWidth, height: height * (cssWidth / width) };
}
