/**
 * The pure-JS baseline: what one would write by hand with Float32Array and plain loops. No
 * blocking, no unrolling, only a cache-friendly loop order. Its kernel outputs are also the
 * reference the other peers' outputs are checked against.
 */
import type { Dataset, GemmCase, KernelSet, ModelSpec, Peer, Prepared, Trainer, TrainOptions } from './peer.js';
import { accuracyOf } from './peer.js';
import { seededRandom, shuffleInPlace } from './harness.js';

/** C (m×n) = op(A)·op(B), overwriting C; A is k×m when `transA`, B is n×k when `transB`. */
export function gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, a: Float32Array, b: Float32Array, c: Float32Array): void {
  if (transA && transB) throw new RangeError('plain-js gemm: Aᵀ·Bᵀ is not needed by the suite');
  if (transB) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * k + p]! * b[j * k + p]!;
        c[i * n + j] = s;
      }
    }
    return;
  }
  c.fill(0, 0, m * n);
  if (transA) {
    for (let p = 0; p < k; p++) {
      for (let i = 0; i < m; i++) {
        const aip = a[p * m + i]!;
        for (let j = 0; j < n; j++) c[i * n + j]! += aip * b[p * n + j]!;
      }
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!;
      for (let j = 0; j < n; j++) c[i * n + j]! += aip * b[p * n + j]!;
    }
  }
}

function relu(x: Float32Array, y: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) y[i] = x[i]! > 0 ? x[i]! : 0;
}

function tanh(x: Float32Array, y: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]!);
}

function softmaxRows(x: Float32Array, y: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = -Infinity;
    for (let j = 0; j < cols; j++) max = Math.max(max, x[o + j]!);
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      const e = Math.exp(x[o + j]! - max);
      y[o + j] = e;
      sum += e;
    }
    for (let j = 0; j < cols; j++) y[o + j]! /= sum;
  }
}

/** One dense layer's parameters and per-batch buffers. */
interface Layer {
  readonly inputs: number;
  readonly units: number;
  readonly act: 'tanh' | 'relu' | 'softmax';
  readonly w: Float32Array; // inputs×units
  readonly b: Float32Array;
  readonly dw: Float32Array;
  readonly db: Float32Array;
  a: Float32Array; // batch×units activations
  da: Float32Array; // gradient with respect to the layer's output (pre-activation after the fix-up)
}

/** A plain MLP: He-uniform weights before ReLU, Glorot-uniform otherwise, zero biases. */
class PlainMlp {
  readonly layers: Layer[] = [];
  private capacity = 0;

  constructor(readonly spec: ModelSpec, seed: number) {
    const next = seededRandom(seed);
    const sizes = spec.sizes;
    for (let l = 1; l < sizes.length; l++) {
      const inputs = sizes[l - 1]!;
      const units = sizes[l]!;
      const act = l === sizes.length - 1 ? 'softmax' : spec.hidden;
      const limit = act === 'relu' ? Math.sqrt(6 / inputs) : Math.sqrt(6 / (inputs + units));
      const w = new Float32Array(inputs * units);
      for (let i = 0; i < w.length; i++) w[i] = (2 * next() - 1) * limit;
      this.layers.push({
        inputs, units, act, w, b: new Float32Array(units),
        dw: new Float32Array(w.length), db: new Float32Array(units),
        a: new Float32Array(0), da: new Float32Array(0),
      });
    }
  }

  private reserve(rows: number): void {
    if (rows <= this.capacity) return;
    for (const l of this.layers) {
      l.a = new Float32Array(rows * l.units);
      l.da = new Float32Array(rows * l.units);
    }
    this.capacity = rows;
  }

  /** Forward over `rows` rows of `x`; returns the softmax output (valid until the next call). */
  forward(x: Float32Array, rows: number): Float32Array {
    this.reserve(rows);
    let input = x;
    for (const l of this.layers) {
      gemm(false, false, rows, l.units, l.inputs, input, l.w, l.a);
      for (let i = 0; i < rows; i++) for (let j = 0; j < l.units; j++) l.a[i * l.units + j]! += l.b[j]!;
      if (l.act === 'relu') relu(l.a, l.a, rows * l.units);
      else if (l.act === 'tanh') tanh(l.a, l.a, rows * l.units);
      else softmaxRows(l.a, l.a, rows, l.units);
      input = l.a;
    }
    return input;
  }

  /** One SGD step on a batch: softmax cross-entropy averaged over the rows. */
  step(x: Float32Array, y: Float32Array, rows: number, lr: number): void {
    const probs = this.forward(x, rows);
    const last = this.layers[this.layers.length - 1]!;
    for (let i = 0; i < rows * last.units; i++) last.da[i] = (probs[i]! - y[i]!) / rows;
    for (let li = this.layers.length - 1; li >= 0; li--) {
      const l = this.layers[li]!;
      const input = li === 0 ? x : this.layers[li - 1]!.a;
      gemm(true, false, l.inputs, l.units, rows, input, l.da, l.dw);
      l.db.fill(0);
      for (let i = 0; i < rows; i++) for (let j = 0; j < l.units; j++) l.db[j]! += l.da[i * l.units + j]!;
      if (li > 0) {
        const prev = this.layers[li - 1]!;
        gemm(false, true, rows, l.inputs, l.units, l.da, l.w, prev.da);
        const n = rows * prev.units;
        if (prev.act === 'relu') for (let i = 0; i < n; i++) prev.da[i] = prev.a[i]! > 0 ? prev.da[i]! : 0;
        else for (let i = 0; i < n; i++) prev.da[i]! *= 1 - prev.a[i]! * prev.a[i]!;
      }
      for (let i = 0; i < l.w.length; i++) l.w[i]! -= lr * l.dw[i]!;
      for (let j = 0; j < l.units; j++) l.b[j]! -= lr * l.db[j]!;
    }
  }
}

class PlainTrainer implements Trainer {
  private readonly net: PlainMlp;
  private readonly order: Uint32Array;
  private readonly next: () => number;
  private readonly bx: Float32Array;
  private readonly by: Float32Array;

  constructor(spec: ModelSpec, private readonly data: Dataset, private readonly options: TrainOptions) {
    this.net = new PlainMlp(spec, options.seed);
    this.order = Uint32Array.from({ length: data.rows }, (_, i) => i);
    this.next = seededRandom(options.seed + 1);
    this.bx = new Float32Array(options.batchSize * data.cols);
    this.by = new Float32Array(options.batchSize * data.classes);
  }

  async epoch(): Promise<void> {
    const { data, order, bx, by } = this;
    const { cols, classes } = data;
    shuffleInPlace(order, this.next);
    for (let from = 0; from < data.rows; from += this.options.batchSize) {
      const rows = Math.min(this.options.batchSize, data.rows - from);
      for (let i = 0; i < rows; i++) {
        const r = order[from + i]!;
        bx.set(data.x.subarray(r * cols, r * cols + cols), i * cols);
        by.set(data.oneHot.subarray(r * classes, r * classes + classes), i * classes);
      }
      this.net.step(bx, by, rows, this.options.learningRate);
    }
  }

  accuracy(test: Dataset): number {
    return accuracyOf(this.net.forward(test.x, test.rows), test.labels, test.classes);
  }

  dispose(): void {}
}

function prepared(out: Float32Array, run: () => void): Prepared {
  return { run, output: () => out, dispose: () => {} };
}

const kernels: KernelSet = {
  gemm(c: GemmCase, a: Float32Array, b: Float32Array): Prepared {
    const out = new Float32Array(c.m * c.n);
    return prepared(out, () => gemm(c.transA, c.transB, c.m, c.n, c.k, a, b, out));
  },
  unary(op, x) {
    const out = new Float32Array(x.length);
    const f = op === 'relu' ? relu : tanh;
    return prepared(out, () => f(x, out, x.length));
  },
  softmax(x, rows, cols) {
    const out = new Float32Array(x.length);
    return prepared(out, () => softmaxRows(x, out, rows, cols));
  },
};

/** The hand-written baseline peer. */
export function plainJsPeer(): Peer {
  return {
    id: 'plain-js',
    library: `hand-written Float32Array loops (Node ${process.versions.node})`,
    notes: ['plain-js: a hand-written MLP and kernels over Float32Array with simple loops (i-k-j order), no blocking or unrolling.'],
    activate: async () => {},
    trainer: async (spec, train, options) => new PlainTrainer(spec, train, options),
    forward: async (spec, x, rows, seed) => {
      const net = new PlainMlp(spec, seed);
      let out: Float32Array = new Float32Array(0);
      return { run: () => void (out = net.forward(x, rows)), output: () => out, dispose: () => {} };
    },
    kernels,
  };
}
