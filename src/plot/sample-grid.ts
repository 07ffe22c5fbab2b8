/**
 * A grid of pictures (test digits, or the images of an image-folder data set), each captioned
 * with the predicted class; wrong predictions get a red frame and "true …" in the caption.
 */
import { featuresToRaster, hexToRgb, pngDataUrl, type PictureShape, type Raster } from './png.js';
import { svgDocument, image, markGroup, text, textWidth, titleHeight } from './svg.js';

/** One picture of the grid. */
export interface GridSample {
  /** The sample's features (a flattened picture, channels-last). */
  features: ArrayLike<number>;
  predicted: string;
  truth: string;
}

/** Layout of {@link sampleGridSvg}. */
export interface SampleGridOptions {
  shape: PictureShape;
  /** Pictures per row. Default 10. */
  columns?: number;
  title?: string;
}

const WRONG = '#d7301f';
/** Pictures are drawn about this many pixels wide. */
const TARGET_PIXELS = 56;

function frame(raster: Raster, color: string, thickness: number): void {
  const [r, g, b] = hexToRgb(color);
  for (let y = 0; y < raster.height; y++) {
    for (let x = 0; x < raster.width; x++) {
      const edge = x < thickness || y < thickness || x >= raster.width - thickness || y >= raster.height - thickness;
      if (!edge) continue;
      const o = (y * raster.width + x) * 4;
      raster.rgba.set([r, g, b, 255], o);
    }
  }
}

/** An SVG grid of captioned pictures. */
export async function sampleGridSvg(samples: readonly GridSample[], options: SampleGridOptions): Promise<string> {
  const columns = options.columns ?? 10;
  const scale = Math.max(1, Math.round(TARGET_PIXELS / Math.max(options.shape.width, options.shape.height)));
  const size = Math.max(options.shape.width, options.shape.height) * scale;
  const wrongCount = samples.filter((s) => s.predicted !== s.truth).length;
  const title = options.title ?? 'Test samples: predicted class';
  const subtitle = `${wrongCount} of ${samples.length} wrong (red frame, true class in brackets)`;
  const [stepX, stepY] = [size + 42, size + 30];
  const top = titleHeight(subtitle) + 4;
  const pictures: string[] = [];
  const captions: string[] = [];
  samples.forEach((s, i) => {
    const raster = featuresToRaster(s.features, options.shape, scale);
    const wrong = s.predicted !== s.truth;
    if (wrong) frame(raster, WRONG, Math.max(2, scale));
    const [x, y] = [12 + (i % columns) * stepX, top + Math.floor(i / columns) * stepY];
    pictures.push(image(x + (stepX - size) / 2, y, size, size, pngDataUrl(raster)));
    captions.push(text(x + stepX / 2, y + size + 14, wrong ? `${s.predicted} (true ${s.truth})` : s.predicted, { anchor: 'middle', size: 11, color: wrong ? WRONG : '#222222' }));
  });
  const rows = Math.ceil(samples.length / columns);
  const width = Math.max(24 + Math.min(columns, samples.length) * stepX, textWidth(subtitle, 10) + 24);
  return svgDocument(width, top + rows * stepY + 8, title, subtitle, [markGroup('image', pictures), markGroup('text', captions)]);
}
