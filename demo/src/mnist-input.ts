/**
 * Turning a drawing into what an MNIST network expects, the way the MNIST digits were made:
 * crop the ink, scale its larger side to 20 px (keeping the aspect ratio), and place it in a
 * 28×28 field so that its centre of mass sits at the centre.
 */

const SIZE = 28;
const BOX = 20;

/** Ink per pixel of `canvas` in [0, 1] (white strokes on a dark background). */
function inkOf(ctx: CanvasRenderingContext2D, width: number, height: number): Float32Array {
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const ink = new Float32Array(width * height);
  for (let i = 0; i < ink.length; i++) ink[i] = rgba[4 * i]! / 255;
  return ink;
}

function centreOfMass(ink: Float32Array, width: number): [number, number] {
  let total = 0;
  let cx = 0;
  let cy = 0;
  ink.forEach((v, i) => {
    total += v;
    cx += v * (i % width);
    cy += v * Math.floor(i / width);
  });
  return total > 0 ? [cx / total, cy / total] : [width / 2, width / 2];
}

/**
 * The 28×28 input for the drawing on `pad`, row-major in [0, 1], or `undefined` when the pad
 * is empty. `preview`, if given, shows the result.
 */
export function mnistInput(pad: HTMLCanvasElement, preview?: HTMLCanvasElement): Float32Array | undefined {
  const padCtx = pad.getContext('2d', { willReadFrequently: true })!;
  const ink = inkOf(padCtx, pad.width, pad.height);
  let [x0, y0, x1, y1] = [pad.width, pad.height, -1, -1];
  ink.forEach((v, i) => {
    if (v < 0.1) return;
    const x = i % pad.width;
    const y = Math.floor(i / pad.width);
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  });
  if (x1 < 0) return undefined;
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const scale = BOX / Math.max(w, h);
  const small = document.createElement('canvas');
  small.width = SIZE;
  small.height = SIZE;
  const ctx = small.getContext('2d', { willReadFrequently: true })!;
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  const draw = (dx: number, dy: number): void => {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, SIZE, SIZE);
    ctx.drawImage(pad, x0, y0, w, h, dx, dy, w * scale, h * scale);
  };
  const dx = (SIZE - w * scale) / 2;
  const dy = (SIZE - h * scale) / 2;
  draw(dx, dy);
  const [cx, cy] = centreOfMass(inkOf(ctx, SIZE, SIZE), SIZE);
  draw(dx + Math.round(SIZE / 2 - 0.5 - cx), dy + Math.round(SIZE / 2 - 0.5 - cy));
  if (preview) preview.getContext('2d')!.drawImage(small, 0, 0);
  return inkOf(ctx, SIZE, SIZE);
}
