import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataFailure, idxBytes, writeFixture } from './fixtures.js';
import { idxCandidates, idxPairOf, loadIdx, loadIdxPrefix } from '../../src/data/idx.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'simdnet-idx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const COUNT = 6;
const pixels = Uint8Array.from({ length: COUNT * 4 * 3 }, (_, i) => (i * 37) % 256); // 6 images of 4×3
const labelBytes = Uint8Array.from([3, 1, 4, 1, 5, 9]);
const imagesFile = () => idxBytes(0x803, [COUNT, 4, 3], pixels);
const labelsFile = () => idxBytes(0x801, [COUNT], labelBytes);

const write = (name: string, contents: string | Uint8Array): Promise<string> => writeFixture(join(dir, name), contents);

const failure = dataFailure;

describe('loadIdx', () => {
  it('reads an images/labels pair with dimensions, scaling and one-hot labels', async () => {
    const d = await loadIdx(await write('a-images', imagesFile()), await write('a-labels', labelsFile()), { scaling: 'seeds' });
    expect([d.rows, d.features, d.outputs, d.height, d.width]).toEqual([COUNT, 12, 10, 4, 3]);
    expect([...d.labels]).toEqual([...labelBytes]);
    for (let i = 0; i < pixels.length; i++) expect(d.x[i]).toBe(Math.fround((pixels[i]! * 0.99) / 255 + 0.01));
    expect([...d.y.subarray(0, 10)]).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  });

  it('reads a gzipped pair (detected by content) and honours limit and index targets', async () => {
    const images = await write('train-images-idx3-ubyte.gz', gzipSync(imagesFile()));
    const labels = await write('train-labels-idx1-ubyte.gz', gzipSync(labelsFile()));
    const d = await loadIdx(images, labels, { limit: 4, targets: 'index', scaling: 'raw' });
    expect(d.rows).toBe(4);
    expect([...d.y]).toEqual([3, 1, 4, 1]);
    expect([...d.x]).toEqual([...pixels.subarray(0, 48)]);
  });

  it('finds files from a prefix, including t10k for test, and lists what it tried', async () => {
    expect((await loadIdxPrefix(join(dir, 'train'), { targets: 'index' })).rows).toBe(COUNT);
    await write('t10k-images.idx3-ubyte', imagesFile());
    await write('t10k-labels.idx1-ubyte', labelsFile());
    expect((await loadIdxPrefix(join(dir, 'test'))).rows).toBe(COUNT);
    expect(idxCandidates('data/train').images).toEqual([
      'data/train-images-idx3-ubyte', 'data/train-images-idx3-ubyte.gz', 'data/train-images.idx3-ubyte', 'data/train-images.idx3-ubyte.gz',
    ]);
    const e = await failure(loadIdxPrefix(join(dir, 'valid')));
    expect(e.message).toBe(`${join(dir, 'valid')}: no IDX images file found; tried ${idxCandidates(join(dir, 'valid')).images.join(', ')}`);
  });

  it('rejects a wrong magic number at byte 0, saying what the file looks like', async () => {
    const images = await write('m-images', imagesFile());
    const labels = await write('m-labels', labelsFile());
    const e = await failure(loadIdx(labels, images));
    expect(e.message).toMatch(/m-labels, byte 0: expected magic number 0x00000803 for IDX images, found 0x00000801 \(a labels file\)$/);
    expect(e.offset).toBe(0);
    const junk = await write('junk', Uint8Array.from([1, 2, 3, 4, 0, 0, 0, 0]));
    expect((await failure(loadIdx(images, junk))).message).toMatch(/junk, byte 0: expected magic number 0x00000801 for IDX labels, found 0x01020304$/);
  });

  it('rejects truncated data and headers with the byte offset where the file ends', async () => {
    const full = imagesFile();
    const cut = await write('cut-images', full.subarray(0, full.length - 5));
    const labels = await write('ok-labels', labelsFile());
    const e = await failure(loadIdx(cut, labels));
    expect(e.message).toBe(`${cut}, byte ${full.length - 5}: truncated: the header (6×4×3) promises 72 bytes of data, found 67; the file ends at byte ${full.length - 5}`);
    const header = await write('short-header', full.subarray(0, 10));
    expect((await failure(loadIdx(header, labels))).message).toMatch(/short-header, byte 10: expected a 16-byte IDX images header, found only 10 bytes$/);
    const gz = gzipSync(full);
    const badGz = await write('cut.gz', gz.subarray(0, gz.length - 10));
    expect((await failure(loadIdx(badGz, labels))).message).toMatch(/cut\.gz: expected a complete gzip stream, found a damaged or truncated one/);
    const extra = await write('extra-labels', Uint8Array.from([...labelsFile(), 0]));
    expect((await failure(loadIdx(await write('i2', full), extra))).message).toMatch(/extra-labels, byte 14: expected the file to end after 6 bytes of data \(6\), found 1 extra bytes$/);
  });

  it('rejects mismatched counts, labels out of range, empty and missing files', async () => {
    const images = await write('c-images', imagesFile());
    const fewer = await write('c-labels', idxBytes(0x801, [5], labelBytes.subarray(0, 5)));
    expect((await failure(loadIdx(images, fewer))).message).toBe(`${fewer}, byte 4: expected ${COUNT} labels to match ${images}, found 5 in the header`);
    const big = await write('big-labels', idxBytes(0x801, [COUNT], Uint8Array.from([1, 2, 3, 10, 4, 5])));
    const e = await failure(loadIdx(images, big));
    expect(e.message).toBe(`${big}, byte 11: expected a label from 0 to 9 for image 3, found 10`);
    const empty = await write('empty', new Uint8Array(0));
    expect((await failure(loadIdx(empty, big))).message).toBe(`${empty}, byte 0: expected an IDX images file (magic 0x00000803), found an empty file`);
    expect((await failure(loadIdx(join(dir, 'gone'), big))).message).toBe(`${join(dir, 'gone')}: file not found`);
  });
});

describe('idxPairOf', () => {
  it('pairs an images or labels file (either spelling, gzipped or not) with its partner', async () => {
    const root = join(dir, 'pairs');
    const images = await write(join('pairs', 'train-images-idx3-ubyte'), imagesFile());
    const labels = await write(join('pairs', 'train-labels-idx1-ubyte'), labelsFile());
    expect(await idxPairOf(images)).toEqual({ images, labels });
    expect(await idxPairOf(labels)).toEqual({ images, labels });
    const t10kImages = await write(join('pairs', 't10k-images.idx3-ubyte.gz'), gzipSync(imagesFile()));
    const t10kLabels = await write(join('pairs', 't10k-labels.idx1-ubyte.gz'), gzipSync(labelsFile()));
    expect(await idxPairOf(t10kImages)).toEqual({ images: t10kImages, labels: t10kLabels });
    expect(await idxPairOf(t10kLabels)).toEqual({ images: t10kImages, labels: t10kLabels });
    // A gzipped file whose partner was unpacked (or the other way round) still pairs.
    const mixed = await write(join('pairs', 'mix-images-idx3-ubyte.gz'), gzipSync(imagesFile()));
    const mixedLabels = await write(join('pairs', 'mix-labels-idx1-ubyte'), labelsFile());
    expect(await idxPairOf(mixed)).toEqual({ images: mixed, labels: mixedLabels });
    const pair = (await idxPairOf(join(root, 'train-images-idx3-ubyte')))!;
    expect((await loadIdx(pair.images, pair.labels, { targets: 'index' })).rows).toBe(COUNT);
  });

  it('returns undefined for files that are not IDX', async () => {
    expect(await idxPairOf(await write('table.csv', 'a,b,y\n1,2,0\n'))).toBeUndefined();
    expect(await idxPairOf(await write('packed.csv.gz', gzipSync('a,b,y\n1,2,0\n')))).toBeUndefined();
    expect(await idxPairOf(await write('tiny', Uint8Array.of(0, 0)))).toBeUndefined();
    expect(await idxPairOf(await write('nothing', new Uint8Array(0)))).toBeUndefined();
    await mkdir(join(dir, 'folder-images-idx3-ubyte'), { recursive: true });
    expect(await idxPairOf(join(dir, 'folder-images-idx3-ubyte'))).toBeUndefined();
    expect(await idxPairOf(join(dir, 'absent-images-idx3-ubyte'))).toBeUndefined();
  });

  it('names the file and every partner name tried when the partner is missing, and odd names or damaged gzip', async () => {
    const lonely = await write(join('alone', 'train-images-idx3-ubyte.gz'), gzipSync(imagesFile()));
    const tried = ['train-labels-idx1-ubyte.gz', 'train-labels-idx1-ubyte', 'train-labels.idx1-ubyte.gz', 'train-labels.idx1-ubyte'].map((n) => join(dir, 'alone', n));
    const e = await failure(idxPairOf(lonely));
    expect(e.message).toBe(`${lonely}: expected the IDX labels file that goes with these images, found none; tried ${tried.join(', ')}`);
    const orphan = await write(join('alone', 't10k-labels.idx1-ubyte'), labelsFile());
    const triedImages = ['t10k-images.idx3-ubyte', 't10k-images.idx3-ubyte.gz', 't10k-images-idx3-ubyte', 't10k-images-idx3-ubyte.gz'].map((n) => join(dir, 'alone', n));
    expect((await failure(idxPairOf(orphan))).message).toBe(`${orphan}: expected the IDX images file that goes with these labels, found none; tried ${triedImages.join(', ')}`);
    const odd = await write(join('alone', 'digits.bin'), imagesFile());
    expect((await failure(idxPairOf(odd))).message).toBe(
      `${odd}: expected a name like <set>-images-idx3-ubyte to find the labels that go with these IDX images, found "digits.bin" (load the pair with loadIdx(images, labels))`,
    );
    const damaged = await write(join('alone', 'bad-images-idx3-ubyte.gz'), Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff));
    expect((await failure(idxPairOf(damaged))).message).toMatch(/bad-images-idx3-ubyte\.gz: expected a complete gzip stream, found a damaged or truncated one/);
  });
});
