/**
 * A drawing pad for mouse, pen and touch (pointer events): thick white strokes on black,
 * reporting after every change.
 */

/** The pad's controls. */
export interface Pad {
  clear(): void;
  /** Paint a 28×28 image (values in [0, 1]) over the whole pad, e.g. a sample digit. */
  showImage(pixels: ArrayLike<number>): void;
}

/** Make `canvas` drawable; `onChange` runs after each stroke segment (at most once a frame). */
export function setupPad(canvas: HTMLCanvasElement, onChange: () => void): Pad {
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const clear = (): void => {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
  };
  clear();
  let last: { x: number; y: number } | undefined;
  let queued = false;
  const changed = (): void => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      onChange();
    });
  };
  const at = (event: PointerEvent): { x: number; y: number } => {
    const rect = canvas.getBoundingClientRect();
    return { x: ((event.clientX - rect.left) / rect.width) * canvas.width, y: ((event.clientY - rect.top) / rect.height) * canvas.height };
  };
  const segment = (to: { x: number; y: number }): void => {
    const from = last ?? to;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = canvas.width / 13;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
    last = to;
    changed();
  };
  canvas.addEventListener('pointerdown', (event) => {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    last = undefined;
    segment(at(event));
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!canvas.hasPointerCapture(event.pointerId)) return;
    for (const e of event.getCoalescedEvents?.() ?? [event]) segment(at(e));
  });
  const end = (): void => {
    last = undefined;
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  return {
    clear: () => {
      clear();
      changed();
    },
    showImage: (pixels) => {
      const image = new ImageData(28, 28);
      for (let i = 0; i < 784; i++) {
        const v = Math.round(pixels[i]! * 255);
        image.data.set([v, v, v, 255], 4 * i);
      }
      const tile = document.createElement('canvas');
      tile.width = 28;
      tile.height = 28;
      tile.getContext('2d')!.putImageData(image, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(tile, 0, 0, canvas.width, canvas.height);
      changed();
    },
  };
}
