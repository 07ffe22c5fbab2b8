/**
 * The digits view: train an MNIST classifier in a worker on the bundled digits (or load a
 * model file saved by the CLI), then draw on the pad and watch the class probabilities.
 */
import { decodeModel, trainInWorker, type Network, type WasmBuild } from './simdnet.js';
import { digitRows, loadDigits, PIXELS } from './digits-data.js';
import { field, numberField } from './form.js';
import { mnistInput } from './mnist-input.js';
import { setupPad } from './pad.js';
import { notePrediction, showSamplesPerSecond, showThreads } from './status.js';

/** The last 1,000 bundled digits are never trained on; test accuracy is measured there. */
const HOLDOUT = 1000;

/** A loaded classifier and how its inputs are scaled. */
interface Classifier {
  net: Network;
  /** Map a pixel in [0, 1] to the network's input scale. */
  scale: (v: number) => number;
}

/**
 * How a model expects pixels, from the `transform` that `simdnet train` stores in the model
 * metadata: `unit` is [0, 1] (the default), `seeds` is 0.01 + 0.99·v, `raw` is 0–255.
 */
function pixelScaling(metadata: Record<string, unknown>): (v: number) => number {
  const transform = metadata['transform'] as { kind?: string; scaling?: string } | undefined;
  if (transform?.kind !== 'pixels') return (v) => v;
  if (transform.scaling === 'seeds') return (v) => 0.01 + 0.99 * v;
  if (transform.scaling === 'raw') return (v) => 255 * v;
  return (v) => v;
}

/** Wire the digits view; `build` is the WASM build chosen for the page. */
export function setupDigits(build: WasmBuild): void {
  const form = document.getElementById('dg-form') as HTMLFormElement;
  const trainButton = document.getElementById('dg-train') as HTMLButtonElement;
  const stopButton = document.getElementById('dg-stop') as HTMLButtonElement;
  const fileInput = document.getElementById('dg-file') as HTMLInputElement;
  const progress = document.getElementById('dg-progress') as HTMLProgressElement;
  const status = document.getElementById('dg-status') as HTMLOutputElement;
  const classEl = document.getElementById('dg-class')!;
  const probsList = document.getElementById('dg-probs')!;
  const preview = document.getElementById('dg-input') as HTMLCanvasElement;
  const padCanvas = document.getElementById('dg-pad') as HTMLCanvasElement;

  const bars = Array.from({ length: 10 }, (_, d) => {
    const li = document.createElement('li');
    li.innerHTML = `<span class="digit">${d}</span><span class="bar"><span></span></span><span class="pct">–</span>`;
    probsList.append(li);
    return { li, fill: li.querySelector<HTMLElement>('.bar > span')!, pct: li.querySelector<HTMLElement>('.pct')! };
  });

  let model: Classifier | undefined;
  let running: AbortController | undefined;

  const setStatus = (state: string, text: string): void => {
    status.dataset.state = state;
    status.textContent = text;
  };

  const classify = (): void => {
    const input = mnistInput(padCanvas, preview);
    if (!input || !model) {
      classEl.textContent = input ? 'no model yet' : '–';
      delete classEl.dataset.digit;
      for (const b of bars) {
        b.fill.style.width = '0';
        b.pct.textContent = '–';
        b.li.classList.remove('best');
      }
      return;
    }
    const scaled = input.map(model.scale);
    const probs = model.net.predict({ data: scaled, rows: 1, cols: PIXELS });
    let best = 0;
    probs.forEach((p, d) => {
      if (p > probs[best]!) best = d;
      bars[d]!.fill.style.width = `${(p * 100).toFixed(1)}%`;
      bars[d]!.pct.textContent = `${(p * 100).toFixed(1)}%`;
    });
    bars.forEach((b, d) => b.li.classList.toggle('best', d === best));
    classEl.textContent = String(best);
    classEl.dataset.digit = String(best);
    classEl.dataset.probability = probs[best]!.toFixed(4);
    notePrediction();
  };
  const pad = setupPad(padCanvas, classify);

  document.getElementById('dg-clear')!.addEventListener('click', () => pad.clear());
  document.getElementById('dg-sample')!.addEventListener('click', () => {
    void loadDigits().then((digits) => {
      const i = digits.count - HOLDOUT + Math.floor(Math.random() * HOLDOUT);
      pad.showImage(digits.x.subarray(i * PIXELS, (i + 1) * PIXELS));
    }, (err: Error) => setStatus('error', err.message));
  });
  stopButton.addEventListener('click', () => running?.abort());

  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (!file) return;
    void file.arrayBuffer().then((buffer) => {
      try {
        const { network, header } = decodeModel(new Uint8Array(buffer), { build, source: file.name });
        if (network.inputs !== PIXELS || network.outputs !== 10) {
          throw new RangeError(`${file.name}: the model takes ${network.inputs} inputs and gives ${network.outputs} outputs; the pad needs 784 → 10`);
        }
        model = { net: network, scale: pixelScaling(header.metadata) };
        const dims = [network.inputs, ...network.layerConfigs().flatMap((c) => (c.type === 'dense' ? [c.units] : []))].join('-');
        setStatus('ready', `Loaded ${file.name}: ${dims}, ${network.parameterCount.toLocaleString()} parameters. Draw a digit.`);
        classify();
      } catch (err) {
        setStatus('error', (err as Error).message);
      }
    });
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (running) return;
    running = new AbortController();
    trainButton.disabled = true;
    stopButton.disabled = false;
    void train(running.signal).finally(() => {
      running = undefined;
      trainButton.disabled = false;
      stopButton.disabled = true;
    });
  });

  async function train(signal: AbortSignal): Promise<void> {
    try {
      const rows = numberField(form, 'rows', 'Training digits', 100, 9000, true);
      const hidden = numberField(form, 'hidden', 'Hidden units', 1, 1024, true);
      const epochs = numberField(form, 'epochs', 'Epochs', 1, 100, true);
      setStatus('loading', 'Loading the bundled digits…');
      const digits = await loadDigits();
      progress.max = epochs;
      progress.value = 0;
      setStatus('training', 'Starting the worker…');
      const done = await trainInWorker(
        {
          model: { layerDims: [PIXELS, hidden, 10], activation: 'relu', seed: 1 },
          data: digitRows(digits, 0, rows),
          fit: { epochs, batchSize: 64, optimizer: 'adam', learningRate: 0.002 },
          build,
          metadata: { transform: { kind: 'pixels', scaling: 'unit' }, classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] },
        },
        {
          signal,
          onStarted: ({ threads }) => showThreads(threads),
          onProgress: (p) => {
            progress.value = p.epoch;
            showSamplesPerSecond(p.samplesPerSecond);
            setStatus('training', `Epoch ${p.epoch} of ${epochs}: loss ${p.loss.toFixed(4)}, training accuracy ${((p.accuracy ?? NaN) * 100).toFixed(1)}%`);
          },
        },
      );
      const test = digitRows(digits, digits.count - HOLDOUT, digits.count);
      const { accuracy = NaN } = done.network.evaluate({ data: test.x, rows: test.rows, cols: PIXELS }, test.y);
      model = { net: done.network, scale: pixelScaling(done.header.metadata) };
      status.dataset.accuracy = accuracy.toFixed(4);
      setStatus('ready', `Trained ${field(form, 'hidden')} hidden units on ${rows.toLocaleString()} digits in ${done.history.seconds.toFixed(1)} s: test accuracy ${(accuracy * 100).toFixed(1)}% on ${HOLDOUT} held-out digits. Draw a digit.`);
      classify();
    } catch (err) {
      setStatus('error', `Training failed: ${(err as Error).message}`);
    }
  }
}
