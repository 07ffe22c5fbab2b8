/**
 * Model conversion: exportOnnx / importOnnx and the TF.js layers encoding both ways, on the
 * `mnist-mlp` preset's network (784-256-128-10, 235,146 parameters) and the `mnist-cnn` one,
 * untrained (the cost does not depend on the values). Reported: median time per conversion,
 * the file size, and MB/s of weights (4 bytes per parameter). Beside them, onnxruntime-node's
 * session creation from the same bytes — what a deployment pays to load the file — one thread.
 */
import ort from 'onnxruntime-node';
import { Bench } from 'tinybench';
import { Network, type LayerSpec } from '../src/node.js';
import { exportOnnx } from '../src/io/onnx/export.js';
import { importOnnx } from '../src/io/onnx/import.js';
import { decodeTfjs, encodeTfjs } from '../src/io/tfjs/format.js';

const MLP: LayerSpec[] = [
  { type: 'dense', units: 256, activation: 'relu' }, { type: 'dropout', rate: 0.2 },
  { type: 'dense', units: 128, activation: 'relu' }, { type: 'dropout', rate: 0.2 },
  { type: 'dense', units: 10, activation: 'softmax' },
];
const CNN: LayerSpec[] = [
  { type: 'conv2d', filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' }, { type: 'maxPool2d', size: 2 },
  { type: 'conv2d', filters: 16, kernelSize: 5, activation: 'relu' }, { type: 'maxPool2d', size: 2 },
  { type: 'dense', units: 120, activation: 'relu' }, { type: 'dense', units: 84, activation: 'relu' },
  { type: 'dense', units: 10, activation: 'softmax' },
];

export default async function run(): Promise<void> {
  const nets = [
    { name: 'mnist-mlp', net: new Network({ inputs: 784, layers: MLP, threads: 1 }) },
    { name: 'mnist-cnn', net: new Network({ inputShape: [28, 28, 1], layers: CNN, threads: 1 }) },
  ];
  ort.env.wasm.numThreads = 1;
  console.log('Median time per conversion; MB/s of weights (4 bytes per parameter); one thread.');
  const rows: Record<string, string>[] = [];
  for (const { name, net } of nets) {
    const onnx = exportOnnx(net);
    const { modelJson, weights } = encodeTfjs(net);
    const bench = new Bench({ name, time: 500, warmupIterations: 3, throws: true });
    bench
      .add('exportOnnx', () => void exportOnnx(net))
      .add('importOnnx', () => importOnnx(onnx, { threads: 1 }).engine.close())
      .add('encodeTfjs', () => void encodeTfjs(net))
      .add('decodeTfjs', () => decodeTfjs(modelJson, [weights], { threads: 1 }).engine.close())
      .add('onnxruntime session', async () => (await ort.InferenceSession.create(onnx, { intraOpNumThreads: 1 })).release());
    await bench.run();
    const mb = (net.parameterCount * 4) / 1e6;
    for (const task of bench.tasks) {
      const result = task.result;
      const ms = result && 'latency' in result ? result.latency.p50 : undefined;
      rows.push({
        model: name, parameters: net.parameterCount.toLocaleString('en-US'), conversion: task.name,
        'ms (median)': ms === undefined ? '—' : ms.toFixed(2),
        'MB/s': ms === undefined ? '—' : (mb / (ms / 1e3)).toFixed(0),
        'file bytes': task.name.includes('Tfjs') ? (weights.length + JSON.stringify(modelJson).length).toLocaleString('en-US') : onnx.length.toLocaleString('en-US'),
      });
    }
  }
  console.table(rows);
}
