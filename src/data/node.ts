/**
 * The file-reading part of the data module (Node only): MNIST from the bundled package, CSV
 * and IDX files, tabular CSV, and PNG/JPEG image folders.
 */
export { loadMnistCsv, loadCsv, MAX_CLASS_INDEX, type MnistCsvOptions, type CsvOptions, type CsvTarget, type CsvDataset, type CsvLabelDataset } from './csv.js';
export { loadIdx, loadIdxPrefix, idxCandidates, idxPairOf, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, type IdxOptions, type IdxDataset } from './idx.js';
export { loadBundledMnist, MNIST_FEATURES, MNIST_CLASSES, type BundledMnistOptions, type MnistSplit } from './mnist.js';
export {
  loadImage, loadImageFolder, decodeImage, imageToFeatures,
  type ImageOptions, type ImageFolderOptions, type ImageDataset, type ImageSize, type RgbaImage,
} from './images.js';
