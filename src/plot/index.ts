/**
 * Charts the command line writes: cost curve, decision boundary, confusion matrix and a grid
 * of captioned samples. Each returns a standalone SVG document.
 */
export { renderSvg, classColor, CLASS_COLORS } from './render.js';
export { costCurveSvg, type CurvePoint, type CostCurveOptions } from './cost-curve.js';
export { decisionBoundarySvg, type DecisionBoundaryInput } from './decision-boundary.js';
export { confusionMatrix, formatConfusionMatrix, confusionMatrixSvg, type ConfusionMatrix } from './confusion-matrix.js';
export { sampleGridSvg, type GridSample, type SampleGridOptions } from './sample-grid.js';
export { encodePng, pngDataUrl, featuresToRaster, createRaster, type Raster, type PictureShape } from './png.js';
