/**
 * A grid of pictures (test digits, or the images of an image-folder data set), each captioned
 * with the predicted class; wrong predictions get a red frame and "true …" in the caption.
 */
import type { TopLevelSpec } from 'vega-lite';
import { featuresToRaster, hexToRgb, pngDataUrl, type PictureShape, type Raster } from './png.js';
import { renderSvg } from './render.js';

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
  const values = samples.map((s, i) => {
    const raster = featuresToRaster(s.features, options.shape, scale);
    const wrong = s.predicted !== s.truth;
    if (wrong) frame(raster, WRONG, Math.max(2, scale));
    return {
      col: i % columns, row: Math.floor(i / columns), url: pngDataUrl(raster), wrong,
      caption: wrong ? `${s.predicted} (true ${s.truth})` : s.predicted,
    };
  });
  const wrongCount = values.filter((v) => v.wrong).length;
  const step = size + 30;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: options.title ?? 'Test samples: predicted class', subtitle: `${wrongCount} of ${values.length} wrong (red frame, true class in brackets)` },
    background: 'white',
    config: { view: { stroke: null } },
    data: { values },
    width: { step: step + 12 },
    height: { step: step },
    encoding: {
      x: { field: 'col', type: 'ordinal', axis: null },
      y: { field: 'row', type: 'ordinal', axis: null },
    },
    layer: [
      { mark: { type: 'image', width: size, height: size, yOffset: -9, aria: false }, encoding: { url: { field: 'url', type: 'nominal' } } },
      {
        mark: { type: 'text', yOffset: size / 2 + 4, fontSize: 11 },
        encoding: {
          text: { field: 'caption', type: 'nominal' },
          color: { condition: { test: 'datum.wrong', value: WRONG }, value: '#222222' },
        },
      },
    ],
  };
  return renderSvg(spec);
}
