/**
 * The toy-problem playground: pick a data set and a network, train it in a worker, and watch
 * the decision boundary and the cost curve while it learns. The boundary is predicted on
 * this thread by a twin network that receives the worker's weight snapshots.
 */
import { Network, trainInWorker, type ActivationName, type Dataset, type OptimizerName, type WasmBuild } from './simdnet.js';
import { BoundaryChart } from './charts/boundary.js';
import { CostChart } from './charts/cost-curve.js';
import { field, numberField, parseLayers } from './form.js';
import { frameScheduler } from './frame.js';
import { BATCH_SIZE, PROBLEMS, SEED, type Problem } from './problems.js';
import { formatCount, formatLoss, formatPercent, formatSeconds } from './format.js';
import { notePrediction, runMeter, showThreads } from './status.js';

function problemOf(form: HTMLFormElement): Problem {
  const problem = PROBLEMS.get(field(form, 'dataset'));
  if (!problem) throw new RangeError(`Data set: unknown choice ${field(form, 'dataset')}`);
  return problem;
}

/** Everything the form asks for, checked. */
interface Settings {
  data: Dataset;
  hidden: number[];
  activation: ActivationName;
  optimizer: OptimizerName;
  learningRate: number;
  epochs: number;
}

function readEpochs(form: HTMLFormElement): number {
  return numberField(form, 'epochs', 'Epochs', 1, 100_000, true);
}

function readSettings(form: HTMLFormElement): Settings {
  return {
    data: problemOf(form).make(numberField(form, 'noise', 'Noise', 0, 1)),
    hidden: parseLayers(field(form, 'layers')),
    activation: field(form, 'activation') as ActivationName,
    optimizer: field(form, 'optimizer') as OptimizerName,
    learningRate: numberField(form, 'learningRate', 'Learning rate', 1e-5, 10),
    epochs: readEpochs(form),
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
  const control = (name: string): HTMLElement => form.elements.namedItem(name) as HTMLElement;
  const setControl = (name: string, value: string | number): void => {
    (control(name) as HTMLInputElement).value = String(value);
  };
  const suggestRate = (): void => {
    const rate = problemOf(form).learningRates.get(field(form, 'optimizer') as OptimizerName);
    if (rate !== undefined) setControl('learningRate', rate);
  };
  control('dataset').addEventListener('change', () => {
    const problem = problemOf(form);
    setControl('activation', problem.activation);
    setControl('layers', problem.hidden);
    setControl('epochs', formatCount(problem.epochs));
    suggestRate();
    if (!running) showData();
  });
  control('noise').addEventListener('change', () => running || showData());
  // Typed counts are rewritten the page's way ("1000" becomes "1,000") once they parse.
  control('epochs').addEventListener('change', () => {
    try {
      setControl('epochs', formatCount(readEpochs(form)));
    } catch {
      // Left as typed; training reports the problem.
    }
  });
  control('optimizer').addEventListener('change', suggestRate);
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
    cost.reset(s.epochs);
    probs = undefined;
    twin = Network.mlp(layerDims, { activation: s.activation, seed: SEED, build });
    result.dataset.state = 'training';
    result.textContent = 'Starting the worker…';
    redraw();
    let meter: ((epochs: number) => void) | undefined;
    try {
      const done = await trainInWorker(
        {
          model,
          data: { x: data.x, y: data.y, rows: data.rows },
          fit: { epochs: s.epochs, batchSize: BATCH_SIZE, optimizer: s.optimizer, learningRate: s.learningRate },
          build,
          progressInterval: 30,
          snapshotInterval: 100,
        },
        {
          signal,
          onStarted: ({ threads }) => {
            showThreads(threads);
            meter = runMeter(data.rows);
          },
          onProgress: (p) => {
            cost.push(p.epoch, p.loss);
            meter?.(p.epoch);
            result.dataset.loss = String(p.loss);
            result.textContent = `Epoch ${formatCount(p.epoch)} of ${formatCount(s.epochs)}: loss ${formatLoss(p.loss)}, training accuracy ${formatPercent(p.accuracy ?? NaN)}`;
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
      result.dataset.loss = String(loss);
      result.textContent = `${how} after ${formatCount(done.history.epochs.length)} epochs (${formatSeconds(done.history.seconds)}): loss ${formatLoss(loss)}, accuracy ${formatPercent(accuracy)}`;
    } catch (err) {
      result.dataset.state = 'error';
      result.textContent = '';
      error.textContent = `Training failed: ${(err as Error).message}`;
    }
  }

  showData();
}
