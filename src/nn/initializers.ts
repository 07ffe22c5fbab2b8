/**
 * Weight initializers. Each fills a fanIn×fanOut weight matrix from a seeded RNG, so the
 * same seed always gives the same weights.
 */
import type { Rng } from '../util/rng.js';
import { nameTable } from '../util/names.js';

/**
 * Initializer names. `small` is the seeds' `np.random.randn(...) * 0.01`; `standardNormal` is
 * the L-layer seed's unscaled `np.random.randn(...)`.
 */
export type InitializerName = 'zeros' | 'small' | 'standardNormal' | 'glorotUniform' | 'glorotNormal' | 'heUniform' | 'heNormal';

const INITIALIZERS = nameTable<InitializerName>('initializer', ['zeros', 'small', 'standardNormal', 'glorotUniform', 'glorotNormal', 'heUniform', 'heNormal'], {
  xavierUniform: 'glorotUniform', xavierNormal: 'glorotNormal', 'glorot-uniform': 'glorotUniform',
  'glorot-normal': 'glorotNormal', 'he-uniform': 'heUniform', 'he-normal': 'heNormal', random: 'small', randn: 'standardNormal', 'standard-normal': 'standardNormal',
});

/** Every initializer name. */
export const INITIALIZER_NAMES: readonly InitializerName[] = INITIALIZERS.names;

/** Check an initializer name from user input, accepting common aliases; throws a TypeError otherwise. */
export function resolveInitializer(name: string, where = 'initializer'): InitializerName {
  return INITIALIZERS.resolve(name, where);
}

/** Fill `out` (fanIn·fanOut floats) with initial weights. */
export function initializeWeights(name: InitializerName, out: Float32Array, fanIn: number, fanOut: number, rng: Rng): void {
  const uniform = (limit: number) => {
    for (let i = 0; i < out.length; i++) out[i] = (2 * rng.next() - 1) * limit;
  };
  const normal = (std: number) => {
    for (let i = 0; i < out.length; i++) out[i] = rng.normal(0, std);
  };
  switch (name) {
    case 'zeros': return void out.fill(0);
    case 'small': return normal(0.01);
    case 'standardNormal': return normal(1);
    case 'glorotUniform': return uniform(Math.sqrt(6 / (fanIn + fanOut)));
    case 'glorotNormal': return normal(Math.sqrt(2 / (fanIn + fanOut)));
    case 'heUniform': return uniform(Math.sqrt(6 / fanIn));
    case 'heNormal': return normal(Math.sqrt(2 / fanIn));
  }
}

/** The default initializer for a hidden activation: He for the ReLU family, Glorot otherwise. */
export function defaultInitializer(activation: string): InitializerName {
  return activation === 'relu' || activation === 'leakyRelu' ? 'heNormal' : 'glorotUniform';
}
