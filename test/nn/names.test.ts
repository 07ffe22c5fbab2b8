/**
 * Every name resolver (activations, losses, initializers, optimizers, pixel scalings) and
 * every way a name reaches one (the API, Network options, model-file headers) rejects keys
 * that plain objects inherit, and still accepts the aliases users type.
 */
import { describe, expect, it } from 'vitest';
import {
  Network, ModelFormatError, createOptimizer, decodeModel, encodeModel, resolveOptimizerName, SGD, Momentum,
} from '../../src/index.js';
import { resolveActivation } from '../../src/nn/activations.js';
import { resolveLoss } from '../../src/nn/losses.js';
import { resolveInitializer } from '../../src/nn/initializers.js';
import { checkScaling } from '../../src/data/pixels.js';
import { withHeader } from '../io/model-header.js';

const INHERITED = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

describe.each(INHERITED)('the inherited key %s', (key) => {
  const quoted = JSON.stringify(key);

  it('is not an activation, loss, initializer, optimizer or pixel scaling', () => {
    const cases: [() => unknown, string][] = [
      [() => resolveActivation(key), `activation: unknown activation ${quoted}; expected one of linear,`],
      [() => resolveActivation({ name: key as 'relu' }), `activation: unknown activation ${quoted}`],
      [() => resolveLoss(key), `loss: unknown loss ${quoted}; expected one of binaryCrossEntropy,`],
      [() => resolveInitializer(key), `initializer: unknown initializer ${quoted}; expected one of zeros,`],
      [() => resolveOptimizerName(key), `optimizer: unknown optimizer ${quoted}; expected one of sgd,`],
      [() => createOptimizer(key), `optimizer: unknown optimizer ${quoted}`],
      [() => checkScaling(key), `scaling: unknown pixel scaling ${quoted}; expected one of unit, seeds, raw`],
    ];
    for (const [call, message] of cases) {
      expect(call).toThrow(TypeError);
      expect(call).toThrow(message);
    }
  });

  it('is refused by Network as activation, initializer and loss', () => {
    expect(() => Network.mlp([2, 3, 1], { backend: 'js', activation: key as 'relu' })).toThrow(`layer 0 (dense): unknown activation ${quoted}`);
    expect(() => Network.mlp([2, 3, 1], { backend: 'js', initializer: key as 'zeros' })).toThrow(`layer 0 (dense): unknown initializer ${quoted}`);
    expect(() => Network.mlp([2, 3, 1], { backend: 'js', loss: key })).toThrow(`Network: loss: unknown loss ${quoted}`);
  });

  it.each(['activation', 'initializer', 'loss'] as const)('is refused as the %s in a model-file header', (field) => {
    const bytes = withHeader(encodeModel(Network.mlp([2, 3, 1], { backend: 'js' })), (h) => {
      const output = h.layers[1]!;
      if (output.type !== 'dense') throw new Error('expected a dense output layer');
      if (field === 'activation') output.activation = { name: key };
      else if (field === 'initializer') output.initializer = key;
      else h.loss = key;
    });
    const decode = () => decodeModel(bytes, { backend: 'js', source: 'bad.sdnt' });
    expect(decode).toThrow(ModelFormatError);
    expect(decode).toThrow(`bad.sdnt: header describes an invalid network: `);
    expect(decode).toThrow(`unknown ${field} ${quoted}`);
  });
});

describe('aliases and canonical names still resolve', () => {
  it.each([
    ['leaky-relu', 'leakyRelu'], ['leakyrelu', 'leakyRelu'], ['identity', 'linear'], ['atan', 'arctan'], ['softmax', 'softmax'], ['tanh', 'tanh'],
  ])('activation %s → %s', (input, name) => {
    expect(resolveActivation(input).name).toBe(name);
  });

  it('keeps the { name, alpha } form and its default slope', () => {
    expect(resolveActivation({ name: 'leakyRelu', alpha: 0.2 }).param).toBeCloseTo(0.2);
    expect(resolveActivation('leaky_relu').param).toBeCloseTo(0.01);
    expect(() => resolveActivation({ name: 'leakyRelu', alpha: 2 }, 'act')).toThrow(RangeError);
  });

  it.each([['mse', 'meanSquaredError'], ['bce', 'binaryCrossEntropy'], ['cross-entropy', 'categoricalCrossEntropy']])('loss %s → %s', (input, name) => {
    expect(resolveLoss(input)).toBe(name);
  });

  it.each([['xavierUniform', 'glorotUniform'], ['he-normal', 'heNormal'], ['randn', 'standardNormal'], ['zeros', 'zeros']])('initializer %s → %s', (input, name) => {
    expect(resolveInitializer(input)).toBe(name);
  });

  it('optimizer gd is sgd', () => {
    expect(resolveOptimizerName('gd')).toBe('sgd');
    expect(createOptimizer('gd', 0.5)).toBeInstanceOf(SGD);
    expect(createOptimizer('nesterov')).toBeInstanceOf(Momentum);
  });

  it('pixel scalings pass the check', () => {
    for (const s of ['unit', 'seeds', 'raw']) expect(() => checkScaling(s)).not.toThrow();
  });
});

describe('input that is not a name', () => {
  it('gets a TypeError naming its type, not an engine error', () => {
    expect(() => resolveActivation(3 as unknown as string, 'act')).toThrow('act: activation name must be a string, got a number (3)');
    expect(() => resolveActivation(undefined as unknown as string, 'act')).toThrow(TypeError);
    expect(() => resolveActivation(null as unknown as string, 'act')).toThrow('act: activation name must be a string, got null');
    expect(() => resolveActivation({} as { name: 'relu' }, 'act')).toThrow('act: activation name must be a string, got undefined');
    expect(() => resolveLoss(7 as unknown as string)).toThrow('loss: loss name must be a string, got a number (7)');
    expect(() => createOptimizer(undefined as unknown as string)).toThrow('optimizer: optimizer name must be a string, got undefined');
  });
});

