/**
 * The digits view: train an MNIST classifier (a small CNN, or an MLP) in a worker on the
 * bundled digits (or load a model file saved by the CLI), then draw on the pad and watch the
 * class probabilities.
 */
import { decodeModel, trainInWorker, type Network, type WasmBuild } from './simdnet.js';
import { cnn, mlp } from './digit-models.js';
import { digitImage, firstRows, loadDigits, PIXELS, TRAIN_DIGITS } from './digits-data.js';
import { field, numberField } from './form.js';
import { formatCount, formatLoss, formatPercent, formatSeconds } from './format.js';
import { mnistInput } from './mnist-input.js';
import { setupPad } from './pad.js';
import { notePrediction, runMeter, showThreads } from './status.js';

/** The layers of `net` as a short chain, e.g. "conv2d → maxPool2d → dense". */
function architecture(net: Network): string {
  return net.layerConfigs().map((c) => c.type).join(' → ');
}

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
  const modelSelect = form.elements.namedItem('model') as HTMLSelectElement;
  const hiddenSelect = form.elements.namedItem('hidden') as HTMLSelectElement;
  // Hidden units size the MLP only.
  const syncHidden = (): void => {
    hiddenSelect.disabled = modelSelect.value !== 'mlp';
  };
  modelSelect.addEventListener('change', syncHidden);
  syncHidden();

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
      bars[d]!.fill.style.width = formatPercent(p);
      bars[d]!.pct.textContent = formatPercent(p);
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
      pad.showImage(digitImage(digits.test, Math.floor(Math.random() * digits.test.rows)));
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
        const dims = network.inputShape
          ? architecture(network)
          : [network.inputs, ...network.layerConfigs().flatMap((c) => (c.type === 'dense' ? [c.units] : []))].join('-');
        status.dataset.architecture = architecture(network);
        setStatus('ready', `Loaded ${file.name}: ${dims}, ${formatCount(network.parameterCount)} parameters. Draw a digit.`);
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
      const rows = numberField(form, 'rows', 'Training digits', 100, TRAIN_DIGITS, true);
      const epochs = numberField(form, 'epochs', 'Epochs', 1, 100, true);
      const chosen = field(form, 'model') === 'mlp' ? mlp(numberField(form, 'hidden', 'Hidden units', 1, 1024, true)) : cnn();
      setStatus('loading', 'Loading the bundled digits…');
      const digits = await loadDigits();
      progress.max = epochs;
      progress.value = 0;
      setStatus('training', 'Starting the worker…');
      let meter: ((epochs: number) => void) | undefined;
      const done = await trainInWorker(
        {
          model: chosen.model,
          data: firstRows(digits.train, rows),
          test: digits.test,
          fit: { ...chosen.fit, epochs },
          build,
          batchInterval: 100,
          metadata: { transform: { kind: 'pixels', scaling: 'unit' }, classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] },
        },
        {
          signal,
          onStarted: ({ threads }) => {
            showThreads(threads);
            meter = runMeter(rows);
          },
          onBatch: (b) => {
            progress.value = b.epoch - 1 + b.batches / b.of;
            meter?.(progress.value);
            setStatus('training', `Epoch ${formatCount(b.epoch)} of ${formatCount(epochs)}, batch ${formatCount(b.batches)} of ${formatCount(b.of)}: loss ${formatLoss(b.loss)}`);
          },
          onProgress: (p) => {
            progress.value = p.epoch;
            meter?.(p.epoch);
            status.dataset.loss = String(p.loss);
            setStatus('training', `Epoch ${formatCount(p.epoch)} of ${formatCount(epochs)}: loss ${formatLoss(p.loss)}, training accuracy ${formatPercent(p.accuracy ?? NaN)}`);
          },
        },
      );
      const { accuracy = NaN } = done.testEvaluation ?? {};
      model = { net: done.network, scale: pixelScaling(done.header.metadata) };
      status.dataset.accuracy = accuracy.toFixed(4);
      status.dataset.architecture = architecture(done.network);
      const how = done.history.stopReason === 'aborted' ? `Stopped after ${formatCount(done.history.epochs.length)} epochs: trained` : 'Trained';
      setStatus(
        'ready',
        `${how} ${chosen.name} on ${formatCount(rows)} digits in ${formatSeconds(done.history.seconds)}: ` +
          `test accuracy ${formatPercent(accuracy)} on ${formatCount(digits.test.rows)} held-out digits. Draw a digit.`,
      );
      classify();
    } catch (err) {
      setStatus('error', `Training failed: ${(err as Error).message}`);
    }
  }
}
