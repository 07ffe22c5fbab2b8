import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataFailure, writeFixture } from './fixtures.js';
import { loadImage, loadImageFolder } from '../../src/data/images.js';
import { resizeImage } from '../../src/data/resize.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'simdnet-img-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** An RGBA image whose pixel (x, y) is (r, g, b) from `color`. */
function rgba(width: number, height: number, color: (x: number, y: number) => [number, number, number]): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data.set([...color(x, y), 255], (y * width + x) * 4);
    }
  }
  return data;
}

function png(width: number, height: number, color: (x: number, y: number) => [number, number, number]): Buffer {
  const image = new pngjs.PNG({ width, height });
  rgba(width, height, color).copy(image.data);
  return pngjs.PNG.sync.write(image);
}

function jpg(width: number, height: number, color: (x: number, y: number) => [number, number, number]): Buffer {
  return jpeg.encode({ width, height, data: rgba(width, height, color) }, 100).data;
}

const write = writeFixture;

const failure = dataFailure;

describe('resizeImage', () => {
  it('area-averages blocks when shrinking by a whole factor', () => {
    // 4×2 grey image → 2×1: each output is the mean of a 2×2 block.
    const out = resizeImage([0, 10, 20, 30, 40, 50, 60, 70], 4, 2, 1, 2, 1, 'area');
    expect([...out]).toEqual([25, 45]);
  });

  it('area-averages fractional coverage and preserves the mean', () => {
    const src = Array.from({ length: 5 * 5 }, (_, i) => (i * 13) % 29);
    const out = resizeImage(src, 5, 5, 1, 3, 3, 'area');
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
    expect(mean(out)).toBeCloseTo(mean(src), 4);
  });

  it('interpolates bilinearly between pixel centres and keeps constants constant', () => {
    expect([...resizeImage([0, 100], 2, 1, 1, 4, 1, 'bilinear')]).toEqual([0, 25, 75, 100]);
    const flat = resizeImage(new Array(3 * 7 * 7).fill(42), 7, 7, 3, 4, 5, 'bilinear');
    expect(flat.every((v) => Math.abs(v - 42) < 1e-4)).toBe(true);
    expect([...resizeImage([1, 2, 3, 4], 2, 2, 1, 2, 2)]).toEqual([1, 2, 3, 4]);
  });
});

describe('loadImage', () => {
  it('flattens channels-last (numpy reshape of H×W×3) and scales to [0, 1]', async () => {
    const color = (x: number, y: number): [number, number, number] => [x * 50, y * 80, 255];
    const path = await write(join(dir, 'one.png'), png(3, 2, color));
    const v = await loadImage(path, [3, 2]);
    expect(v.length).toBe(2 * 3 * 3);
    for (let y = 0; y < 2; y++) {
      for (let x = 0; x < 3; x++) {
        const [r, g, b] = color(x, y);
        expect([v[(y * 3 + x) * 3], v[(y * 3 + x) * 3 + 1], v[(y * 3 + x) * 3 + 2]]).toEqual([r / 255, g / 255, b / 255].map(Math.fround));
      }
    }
    const grey = await loadImage(path, [3, 2], { channels: 1 });
    expect(grey[0]).toBeCloseTo((0.587 * 0 + 0.114 * 255) / 255, 5);
  });

  it("resizes a picture to the seeds' 64×64×3 = 12,288 values", async () => {
    const path = await write(join(dir, 'cat.jpg'), jpg(130, 97, (x, y) => [x, y, 128]));
    const v = await loadImage(path, 64);
    expect(v.length).toBe(12288);
    expect(v.every((p) => p >= 0 && p <= 1)).toBe(true);
    // Blue is constant 128 everywhere (JPEG is lossy, so only roughly).
    expect(Math.abs(v[2]! - 128 / 255)).toBeLessThan(0.03);
  });

  it('names the file for unreadable, empty or missing images', async () => {
    const text = await write(join(dir, 'notes.png'), 'hello');
    expect((await failure(loadImage(text, 8))).message).toBe(`${text}, byte 0: expected a PNG or JPEG image, found bytes "hello"`);
    const empty = await write(join(dir, 'empty.jpg'), new Uint8Array(0));
    expect((await failure(loadImage(empty, 8))).message).toBe(`${empty}, byte 0: expected a PNG or JPEG image, found an empty file`);
    const broken = await write(join(dir, 'broken.png'), png(4, 4, () => [1, 2, 3]).subarray(0, 40));
    expect((await failure(loadImage(broken, 8))).message).toMatch(/broken\.png: cannot decode the PNG image/);
    expect((await failure(loadImage(join(dir, 'absent.png'), 8))).message).toBe(`${join(dir, 'absent.png')}: file not found`);
  });
});

describe('loadImageFolder', () => {
  it('loads one sub-folder per class, sorted, with 0/1 labels for two classes and the folders as class names', async () => {
    const root = join(dir, 'pets');
    await write(join(root, 'non-cat', 'b.jpg'), jpg(10, 10, () => [0, 0, 0]));
    await write(join(root, 'non-cat', 'a.PNG'), png(20, 20, () => [0, 0, 0]));
    await write(join(root, 'cat', 'x.png'), png(8, 12, () => [255, 255, 255]));
    await write(join(root, 'cat', 'readme.txt'), 'ignored');
    const d = await loadImageFolder(root, 4);
    expect(d.classes).toEqual(['cat', 'non-cat']);
    expect(d.classNames).toEqual(['cat', 'non-cat']);
    expect(d.files.map((f) => f.slice(root.length + 1))).toEqual([join('cat', 'x.png'), join('non-cat', 'a.PNG'), join('non-cat', 'b.jpg')]);
    expect([d.rows, d.features, d.outputs, d.width, d.height, d.channels]).toEqual([3, 48, 1, 4, 4, 3]);
    expect([...d.y]).toEqual([0, 1, 1]);
    expect(d.x.subarray(0, 48).every((v) => v === 1)).toBe(true);
    expect(d.x.subarray(48, 96).every((v) => v === 0)).toBe(true);
    const flipped = await loadImageFolder(root, 4, { classes: ['non-cat', 'cat'], targets: 'one-hot' });
    expect([...flipped.labels]).toEqual([0, 0, 1]);
    expect(flipped.classNames).toEqual(['non-cat', 'cat']);
    expect(flipped.outputs).toBe(2);
  });

  it('reports empty class folders, missing classes and folders without classes', async () => {
    const root = join(dir, 'sparse');
    await write(join(root, 'a', 'p.png'), png(2, 2, () => [9, 9, 9]));
    await mkdir(join(root, 'b'), { recursive: true });
    expect((await failure(loadImageFolder(root, 2))).message).toBe(`${join(root, 'b')}: expected PNG or JPEG images (.png, .jpg, .jpeg) in this class folder, found none`);
    expect((await failure(loadImageFolder(root, 2, { classes: ['a', 'c'] }))).message).toBe(`${root}: expected a class folder "c", found "a", "b"`);
    expect((await failure(loadImageFolder(join(root, 'a'), 2))).message).toMatch(/expected one sub-folder per class, found none/);
    expect((await failure(loadImageFolder(join(dir, 'nowhere'), 2))).message).toMatch(/nowhere: file not found/);
  });
});
