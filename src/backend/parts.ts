/**
 * Weight gradients summed in fixed parts of the batch. A convolution's dW sums over every output
 * pixel of the batch (tens of thousands of rows). Split over its outputs, each thread reads all
 * of x and dz, which the threads before it wrote by halves of the batch: half of what it reads
 * comes from the other core's cache, and the next kernel writing those lines pulls them back
 * (bench cnn-threads: im2col ran 0.68× of one thread, the split max-pool backward 0.72×).
 * Summed in parts of the batch instead, each part's product goes to its own buffer and the parts
 * are added in order: a thread reads only the images it produced, and the sum is the same
 * whichever thread computes which part, and however many there are. The parts depend only on
 * the shape ({@link gradientParts}), so results never depend on the thread count.
 */
import { Act, type Kernels } from './kernels.js';

/** Fewest rows (output pixels over the batch) a part sums: fewer would spend more on adding parts than they save. */
export const MIN_PART_ROWS = 1024;

/** Parts at most: enough for 4 threads to balance, few enough that adding them stays negligible. */
export const MAX_PARTS = 8;

/** Floats of partial sums a layer may hold (4 MB): a wide layer's gradient gets fewer parts. */
export const MAX_PARTIAL_FLOATS = 1 << 20;

/**
 * How many parts a weight gradient of `gradientFloats` floats over `images` images of
 * `rowsPerImage` rows each is summed in: one per {@link MIN_PART_ROWS} rows, whole images,
 * {@link MAX_PARTS} at most, partials within {@link MAX_PARTIAL_FLOATS}, and at least one.
 * A dense layer's batch (rows = samples) stays one part up to 2,047 samples.
 */
export function gradientParts(images: number, rowsPerImage: number, gradientFloats: number): number {
  const room = 1 + Math.floor(MAX_PARTIAL_FLOATS / Math.max(1, gradientFloats));
  return Math.max(1, Math.min(MAX_PARTS, images, room, Math.floor((images * rowsPerImage) / MIN_PART_ROWS)));
}

/** `[start, count)` image ranges of `parts` parts of `images` (the first `images mod parts` one larger), in order. */
export function imageRanges(images: number, parts: number): [number, number][] {
  const count = Math.max(1, Math.min(parts, images));
  const out: [number, number][] = [];
  for (let p = 0, start = 0; p < count; p++) {
    const take = Math.floor(images / count) + (p < images % count ? 1 : 0);
    out.push([start, take]);
    start += take;
  }
  return out;
}

/**
 * The {@link Kernels.gemm} argument lists (booleans as 0/1) of {@link Kernels.gemmTnInParts}'s parts:
 * part p multiplies rows [start·rowsPerImage, …) of A and B into C (p = 0) or the p-th m·n partial.
 */
export function gemmTnPartCalls(
  m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number,
  rowsPerImage: number, parts: number, partials: number, work: number,
): number[][] {
  if (!(rowsPerImage > 0) || k % rowsPerImage !== 0) throw new RangeError(`gemmTnInParts: k = ${k} is not a whole number of images of ${rowsPerImage} rows`);
  const images = k / rowsPerImage;
  return imageRanges(images, parts).map(([start, count], p) => {
    const row = start * rowsPerImage;
    const out = p === 0 ? c : partials + 4 * (p - 1) * m * n;
    return [1, 0, m, n, count * rowsPerImage, 1, a + 4 * row * lda, lda, b + 4 * row * ldb, ldb, 0, out, n, 0, Act.identity, 0, work];
  });
}

/**
 * The {@link Kernels.conv2dFilterGrad} argument lists of {@link Kernels.conv2dFilterGradInParts}'s
 * parts: part p's images into dw and db (p = 0) or the p-th partial (K·filters dw floats, then
 * filters db floats).
 */
export function filterGradPartCalls(args: readonly number[], parts: number, partials: number): number[][] {
  const [x, batch, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow, dz, filters, dw, db] = args as number[];
  const size = kh! * kw! * c! * filters!;
  return imageRanges(batch!, parts).map(([start, count], p) => {
    const partial = partials + 4 * (p - 1) * (size + filters!);
    const [pw, pb] = p === 0 ? [dw!, db!] : [partial, db === 0 ? 0 : partial + 4 * size];
    return [x! + 4 * start * h! * w! * c!, count, h!, w!, c!, kh!, kw!, sh!, sw!, pt!, pl!, oh!, ow!, dz! + 4 * start * oh! * ow! * filters!, filters!, pw, pb];
  });
}

/** dest += partial p, for p = 1…count−1 in order (`size` floats at `first` + 4·(p−1)·stride). */
export function addPartials(axpy: Kernels['axpy'], dest: number, first: number, size: number, stride: number, count: number): void {
  for (let p = 1; p < count; p++) axpy(1, first + 4 * (p - 1) * stride, dest, size);
}

/** The kernels built here from the others. */
export type PartMethods = Pick<Kernels, 'gemmTnInParts' | 'conv2dFilterGradInParts'>;

/**
 * {@link Kernels.gemmTnInParts} and {@link Kernels.conv2dFilterGradInParts} on one thread, from
 * the backend's own gemm, filter gradient and axpy: the parts one after the other, then their sum.
 */
export function partKernels(k: Pick<Kernels, 'gemm' | 'conv2dFilterGrad' | 'axpy'>): PartMethods {
  return {
    gemmTnInParts(m, n, kk, a, lda, b, ldb, c, rowsPerImage, parts, partials, work) {
      const calls = gemmTnPartCalls(m, n, kk, a, lda, b, ldb, c, rowsPerImage, parts, partials, work);
      for (const g of calls) k.gemm(true, false, m, n, g[4]!, 1, g[6]!, lda, g[8]!, ldb, 0, g[11]!, n, 0, Act.identity, 0, work);
      addPartials(k.axpy, c, partials, m * n, m * n, calls.length);
    },
    conv2dFilterGradInParts(...args) {
      const [parts, partials] = args.slice(17) as [number, number];
      const calls = filterGradPartCalls(args, parts, partials);
      for (const call of calls) k.conv2dFilterGrad(...(call as Parameters<Kernels['conv2dFilterGrad']>));
      addFilterGradPartials(k.axpy, args, partials, calls.length);
    },
  };
}

/** Add {@link filterGradPartCalls}'s partials 1…count−1 into the layer's dw and db, in order. */
export function addFilterGradPartials(axpy: Kernels['axpy'], args: readonly number[], partials: number, count: number): void {
  const [, , , , c, kh, kw, , , , , , , , filters, dw, db] = args as number[];
  const size = kh! * kw! * c! * filters!;
  addPartials(axpy, dw!, partials, size, size + filters!, count);
  if (db !== 0) addPartials(axpy, db!, partials + 4 * size, filters!, size + filters!, count);
}
