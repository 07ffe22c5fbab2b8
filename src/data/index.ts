/**
 * Data: seeded generators, MNIST (bundled, CSV, IDX), tabular CSV, image folders,
 * preprocessing and allocation-free batching. Everything returns plain {@link Dataset}s,
 * independent of the WASM heap.
 */
export { type Dataset, type TargetFormat, checkDataset } from './dataset.js';
export { DataError, type DataErrorLocation } from './errors.js';
export { Rng, type SeedOrRng, type MutableArrayLike, toRng } from './rng.js';
export {
  makeMoons, makeCircles, makeBlobs, makeSpirals, xor,
  type GeneratorOptions, type BlobOptions, type SpiralOptions,
} from './generators.js';
export {
  oneHot, labelsFromOneHot, classIndices, selectRows, shuffleDataset, trainTestSplit, stratifiedIndices,
  fitStandardizer, fitMinMax,
  type SplitOptions, type Split, type Standardizer, type MinMaxScaler,
} from './preprocess.js';
export { BatchIterator, type BatchOptions, type Batch } from './batches.js';
export { type PixelScaling, PIXEL_SCALINGS } from './pixels.js';
export { loadMnistCsv, loadCsv, type MnistCsvOptions, type CsvOptions, type CsvDataset } from './csv.js';
export { loadIdx, loadIdxPrefix, idxCandidates, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, type IdxOptions, type IdxDataset } from './idx.js';
export { loadBundledMnist, MNIST_FEATURES, MNIST_CLASSES, type BundledMnistOptions, type MnistSplit } from './mnist.js';
export {
  loadImage, loadImageFolder, decodeImage, resizeImage, imageToFeatures,
  type ImageOptions, type ImageFolderOptions, type ImageDataset, type ImageSize, type ResizeMethod, type RgbaImage,
} from './images.js';
