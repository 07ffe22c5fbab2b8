/**
 * The browser-safe part of the data module: no file system, no Node built-ins. Generators,
 * the seeded RNG, preprocessing, batching, pixel scaling and image resampling.
 */
export { type Dataset, type LabeledDataset, type TargetFormat, checkDataset } from './dataset.js';
export { DataError, type DataErrorLocation } from './errors.js';
export { Rng, type SeedOrRng, type MutableArrayLike, type RngState, toRng } from '../util/rng.js';
export {
  makeMoons, makeCircles, makeBlobs, makeSpirals, xor, makeRegression, makeSine,
  type GeneratorOptions, type BlobOptions, type SpiralOptions, type RegressionOptions, type RegressionDataset, type SineOptions,
} from './generators.js';
export {
  oneHot, labelsFromOneHot, classIndices, selectRows, shuffleDataset, trainTestSplit, stratifiedIndices,
  fitStandardizer, fitMinMax,
  type SplitOptions, type Split, type Standardizer, type MinMaxScaler,
} from './preprocess.js';
export { BatchIterator, type BatchOptions, type Batch } from './batches.js';
export { type PixelScaling, PIXEL_SCALINGS, scalePixel } from './pixels.js';
export { resizeImage, type ResizeMethod } from './resize.js';
export { type AugmentOptions } from './augment.js';
