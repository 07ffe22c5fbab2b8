/**
 * Charts the command line writes: cost curve, decision boundary, confusion matrix, a grid of
 * captioned samples, and for regression predicted against actual values and the fitted curve.
 * Each returns a standalone SVG document.
 */
export { classColor, CLASS_COLORS } from './render.js';
export { costCurveSvg, type CurvePoint, type CostCurveOptions } from './cost-curve.js';
export { decisionBoundarySvg, type DecisionBoundaryInput } from './decision-boundary.js';
export { confusionMatrix, formatConfusionMatrix, confusionMatrixSvg, type ConfusionMatrix } from './confusion-matrix.js';
export { predictedVsActualSvg, fitCurveSvg, type PredictedVsActualInput, type FitCurveInput } from './regression.js';
export { sampleGridSvg, type GridSample, type SampleGridOptions } from './sample-grid.js';
export { encodePng, pngDataUrl, featuresToRaster, createRaster, type Raster, type PictureShape } from './png.js';
