/**
 * The playground's problems: each data set with the network, run length and learning rates
 * the form suggests for it. No DOM here, so a test can train with exactly these settings.
 */
import { makeCircles, makeMoons, makeSpirals, type Dataset, type OptimizerName } from './simdnet.js';

const SAMPLES = 400;
/** Seed of the data and of the networks' initial weights. */
export const SEED = 7;
/** Rows per training batch. */
export const BATCH_SIZE = 32;

/** A data set, and the network and run the form suggests for it. */
export interface Problem {
  make: (noise: number) => Dataset;
  hidden: string;
  epochs: number;
  /**
   * Learning rate per optimizer: the largest of those tried (seed 7, batch 32, tanh, noise 0.1, the
   * suggested layers and epochs) whose epoch loss never rose more than 5% of the first epoch's
   * above its running minimum. Adam at 0.03 climbs 12% on moons, 19% on circles; on spirals
   * Adam at 0.01 climbs 18% with 16, 16 units, so it gets 0.005 (2%, 92.5% accuracy).
   */
  learningRates: ReadonlyMap<OptimizerName, number>;
}

const EASY_RATES = new Map<OptimizerName, number>([['sgd', 0.03], ['momentum', 0.01], ['rmsprop', 0.01], ['adam', 0.01]]);

/** The playground's data sets by form value. */
export const PROBLEMS = new Map<string, Problem>([
  ['moons', { make: (noise) => makeMoons(SAMPLES, noise, SEED), hidden: '8, 8', epochs: 300, learningRates: EASY_RATES }],
  ['circles', { make: (noise) => makeCircles(SAMPLES, 0.5, noise, SEED), hidden: '8, 8', epochs: 300, learningRates: EASY_RATES }],
  [
    'spirals',
    {
      make: (noise) => makeSpirals(SAMPLES, noise, SEED), hidden: '16, 16', epochs: 1000,
      learningRates: new Map<OptimizerName, number>([['sgd', 0.1], ['momentum', 0.01], ['rmsprop', 0.005], ['adam', 0.005]]),
    },
  ],
]);
