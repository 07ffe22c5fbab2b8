import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Network, decodeModel, encodeModel, loadModel, saveModel, ModelFormatError } from '../../src/node.js';
import { randomArray } from '../helpers/harness.js';
import { crc32 } from '../../src/util/crc32.js';

function trainedNet(): Network {
  const net = new Network({
    inputs: 4, seed: 9,
    layers: [
      { type: 'dense', units: 6, activation: { name: 'leakyRelu', alpha: 0.2 } },
      { type: 'dropout', rate: 0.1 },
      { type: 'dense', units: 3, activation: 'softmax' },
    ],
  });
  net.setWeights(net.getWeights().map((w, i) => randomArray(w.length, i + 1)));
  return net;
}

const X = { data: randomArray(40, 77, -2, 2), rows: 10, cols: 4 };

describe('model files', () => {
  it('save → load gives bit-identical predictions and keeps metadata', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simdnet-io-'));
    const path = join(dir, 'm.sdnt');
    const net = trainedNet();
    await saveModel(net, path, { classes: ['a', 'b', 'c'] });
    const { network, header } = await loadModel(path);
    expect(network.predict(X)).toEqual(net.predict(X));
    expect(header.metadata).toEqual({ classes: ['a', 'b', 'c'] });
    expect(network.layerConfigs()).toEqual(net.layerConfigs());
    expect(readdirSync(dir)).toEqual(['m.sdnt']); // no temp file left behind
  });

  it('loads on the reference backend too', () => {
    const net = trainedNet();
    const { network } = decodeModel(encodeModel(net), { backend: 'js' });
    const a = net.predict(X);
    network.predict(X).forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 5));
  });

  it('overwrites atomically: the old file stays intact until the new one is complete', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simdnet-io-'));
    const path = join(dir, 'm.sdnt');
    await saveModel(trainedNet(), path);
    const first = readFileSync(path);
    const other = Network.mlp([4, 3], { seed: 1 });
    await saveModel(other, path);
    expect(readFileSync(path).equals(first)).toBe(false);
    expect((await loadModel(path)).network.parameterCount).toBe(15);
  });

  it('rejects truncated, corrupted, foreign and future files with the reason and offset', () => {
    const bytes = encodeModel(trainedNet());
    const expectError = (b: Uint8Array, message: string | RegExp) => {
      expect(() => decodeModel(b, { source: 'm.sdnt' })).toThrow(ModelFormatError);
      expect(() => decodeModel(b, { source: 'm.sdnt' })).toThrow(message);
    };
    expectError(bytes.subarray(0, 10), 'm.sdnt: file is 10 bytes, too short');
    expectError(bytes.subarray(0, bytes.length - 100), /checksum mismatch at byte \d+: the file is truncated or corrupted/);
    const flipped = bytes.slice();
    flipped[bytes.length - 50]! ^= 0xff;
    expectError(flipped, 'checksum mismatch');
    expectError(new TextEncoder().encode('{"not":"a model"} padding padding'), 'not a simdnet model (bad magic at byte 0)');
    const future = bytes.slice();
    new DataView(future.buffer).setUint32(4, 99, true);
    expectError(future, 'format version 99 at byte 4 is not supported');
  });

  it('rejects a NaN weight even when the checksum is consistent, naming the parameter and offset', () => {
    const bytes = encodeModel(trainedNet());
    const view = new DataView(bytes.buffer);
    const at = bytes.length - 8; // the last weight: dense_2.b[2]
    view.setFloat32(at, Number.NaN, true);
    view.setUint32(bytes.length - 4, crc32(bytes.subarray(0, bytes.length - 4)), true);
    expect(() => decodeModel(bytes, { source: 'nan.sdnt' })).toThrow(`nan.sdnt: dense_2.b[2] at byte ${at} is NaN`);
  });

  it('reports a missing file by path', async () => {
    await expect(loadModel('/nonexistent/m.sdnt')).rejects.toThrow('cannot read model /nonexistent/m.sdnt: file not found');
  });

  it('keeps the file valid when written to disk and read back by bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'simdnet-io-'));
    const path = join(dir, 'raw.sdnt');
    writeFileSync(path, encodeModel(trainedNet()));
    expect(() => decodeModel(readFileSync(path))).not.toThrow();
  });
});
