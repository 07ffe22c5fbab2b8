/**
 * The toy-problem playground: pick a data set and a network, train it in a worker, and watch
 * the decision boundary and the cost curve while it learns. The boundary is predicted on
 * this thread by a twin network that receives the worker's weight snapshots.
 */
import { Network, trainInWorker, makeCircles, makeMoons, makeSpirals, type ActivationName, type Dataset, type OptimizerName, type WasmBuild } from './simdnet.js';
import { BoundaryChart } from './charts/boundary.js';
import { CostChart } from './charts/cost-curve.js';
import { field, numberField, parseLayers } from './form.js';
import { frameScheduler } from './frame.js';
import { notePrediction, showSamplesPerSecond, showThreads } from './status.js';

const SAMPLES = 400;
const SEED = 7;

const DATASETS: Record<string, (noise: number) => Dataset> = {
  moons: (noise) => makeMoons(SAMPLES, noise, SEED),
  circles: (noise) => makeCircles(SAMPLES, 0.5, noise, SEED),
  spirals: (noise) => makeSpirals(SAMPLES, noise, SEED),
};

/** Everything the form asks for, checked. */
interface Settings {
  data: Dataset;
  hidden: number[];
  activation: ActivationName;
  optimizer: OptimizerName;
  learningRate: number;
  epochs: number;
}

function readSettings(form: HTMLFormElement): Settings {
  const make = DATASETS[field(form, 'dataset')];
  if (!make) throw new RangeError(`Data set: unknown choice ${field(form, 'dataset')}`);
  return {
    data: make(numberField(form, 'noise', 'Noise', 0, 1)),
    hidden: parseLayers(field(form, 'layers')),
    activation: field(form, 'activation') as ActivationName,
    optimizer: field(form, 'optimizer') as OptimizerName,
    learningRate: numberField(form, 'learningRate', 'Learning rate', 1e-5, 10),
    epochs: numberField(form, 'epochs', 'Epochs', 1, 100_000, true),
  };
}

/** Wire the playground view; `build` is the WASM build chosen for the page. */
export function setupPlayground(build: WasmBuild): void {
  const form = document.getElementById('pg-form') as HTMLFormElement;
  const trainButton = document.getElementById('pg-train') as HTMLButtonElement;
  const stopButton = document.getElementById('pg-stop') as HTMLButtonElement;
  const error = document.getElementById('pg-error')!;
  const result = document.getElementById('pg-result') as HTMLOutputElement;
  const boundary = new BoundaryChart(document.getElementById('pg-boundary') as HTMLCanvasElement);
  const cost = new CostChart(document.getElementById('pg-cost') as HTMLCanvasElement);
  const pointsBox = form.elements.namedItem('points') as HTMLInputElement;

  let twin: Network | undefined;
  let probs: Float32Array | undefined;
  let running: AbortController | undefined;
  const redraw = frameScheduler(() => {
    boundary.draw(probs);
    cost.draw();
  });
  const predictGrid = (net: Network): void => {
    probs = net.predict({ data: boundary.grid, rows: boundary.grid.length / 2, cols: 2 });
    notePrediction();
    redraw();
  };
  const showData = (): void => {
    try {
      const { data } = readSettings(form);
      boundary.setData(data.x, data.labels ?? data.y);
      probs = undefined;
      error.textContent = '';
    } catch (err) {
      error.textContent = (err as Error).message;
    }
    redraw();
  };

  pointsBox.addEventListener('change', () => {
    boundary.showPoints = pointsBox.checked;
    redraw();
  });
  for (const name of ['dataset', 'noise']) {
    (form.elements.namedItem(name) as HTMLElement).addEventListener('change', () => running || showData());
  }
  stopButton.addEventListener('click', () => running?.abort());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (running) return;
    let settings: Settings;
    try {
      settings = readSettings(form);
    } catch (err) {
      error.textContent = (err as Error).message;
      return;
    }
    error.textContent = '';
    running = new AbortController();
    trainButton.disabled = true;
    stopButton.disabled = false;
    void train(settings, running.signal).finally(() => {
      running = undefined;
      trainButton.disabled = false;
      stopButton.disabled = true;
    });
  });

  async function train(s: Settings, signal: AbortSignal): Promise<void> {
    const { data } = s;
    const layerDims = [2, ...s.hidden, 1];
    const model = { layerDims, activation: s.activation, seed: SEED };
    boundary.setData(data.x, data.labels ?? data.y);
    cost.reset();
    probs = undefined;
    twin = Network.mlp(layerDims, { activation: s.activation, seed: SEED, build });
    result.dataset.state = 'training';
    result.textContent = 'Starting the worker…';
    redraw();
    try {
      const done = await trainInWorker(
        {
          model,
          data: { x: data.x, y: data.y, rows: data.rows },
          fit: { epochs: s.epochs, batchSize: 32, optimizer: s.optimizer, learningRate: s.learningRate },
          build,
          progressInterval: 30,
          snapshotInterval: 100,
        },
        {
          signal,
          onStarted: ({ threads }) => showThreads(threads),
          onProgress: (p) => {
            cost.push(p.epoch, p.loss);
            showSamplesPerSecond(p.samplesPerSecond);
            result.textContent = `Epoch ${p.epoch} of ${s.epochs}: loss ${p.loss.toFixed(4)}, training accuracy ${((p.accuracy ?? NaN) * 100).toFixed(1)}%`;
            redraw();
          },
          onSnapshot: (weights) => {
            twin?.setWeights(weights);
            if (twin) predictGrid(twin);
          },
        },
      );
      predictGrid(done.network);
      const { accuracy = NaN, loss } = done.evaluation;
      const how = done.history.stopReason === 'aborted' ? 'Stopped' : 'Done';
      result.dataset.state = 'done';
      result.dataset.accuracy = accuracy.toFixed(4);
      result.dataset.build = done.build;
      result.textContent = `${how} after ${done.history.epochs.length} epochs (${done.history.seconds.toFixed(2)} s): loss ${loss.toFixed(4)}, accuracy ${(accuracy * 100).toFixed(1)}%`;
    } catch (err) {
      result.dataset.state = 'error';
      result.textContent = '';
      error.textContent = `Training failed: ${(err as Error).message}`;
    }
  }

  showData();
}
