/**
 * Properties of the public data boundary (src/data/boundary.ts), checked through the calls
 * users make: every accepted form of the same data gives bit-identical results; junk of any
 * kind is a TypeError or RangeError naming the call, never an engine error, and a rejected
 * `fit` leaves the network as it was; datasets with named classes are mapped by name.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Network, gradientCheck, type Dataset } from '../../src/index.js';

const SEED = 20261130;

type Kind = 'binary' | 'categorical' | 'values';

/** One network per shape and target kind, built once (predict and evaluate do not change it). */
const nets = new Map<string, Network>();
function netFor(features: number, outputs: number, kind: Kind): Network {
  const key = `${features}|${outputs}|${kind}`;
  let net = nets.get(key);
  if (!net) {
    const outputActivation = kind === 'values' ? 'linear' : kind === 'binary' ? 'sigmoid' : 'softmax';
    net = Network.mlp([features, 5, outputs], { seed: features * 10 + outputs, threads: 1, outputActivation });
    nets.set(key, net);
  }
  return net;
}

/** The target kinds a network of `outputs` outputs can have. */
function kindsFor(outputs: number): Kind[] {
  return outputs === 1 ? ['binary', 'values'] : ['binary', 'categorical', 'values'];
}

function bytes(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function nestedOf(data: ArrayLike<number>, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => data[r * cols + c]!));
}

function transposed(data: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

function oneHotOf(labels: readonly number[], k: number): Float32Array {
  const y = new Float32Array(labels.length * k);
  labels.forEach((l, r) => (y[r * k + l] = 1));
  return y;
}

/** What a call did: its result, or the error it threw or rejected with. */
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
async function outcome(call: () => unknown): Promise<Outcome> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Messages the engine writes itself; none may reach a user of the boundary. */
const ENGINE_MESSAGES = /Cannot read properties|is not a function|Cannot use 'in' operator|is not iterable|Cannot convert|Invalid (typed )?array length|Maximum call stack/;

/** `result` is a TypeError or RangeError whose message starts with `call:`. */
function expectRejection(result: Outcome, call: string, what: string): void {
  if (result.ok) expect.fail(`${call} accepted ${what}`);
  const error = result.error;
  const message = error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
  expect(error instanceof TypeError || error instanceof RangeError, `${call} with ${what} threw ${message}`).toBe(true);
  expect((error as Error).message.startsWith(`${call}: `), `${call} with ${what}: ${message}`).toBe(true);
  expect((error as Error).message).not.toMatch(ENGINE_MESSAGES);
}

/** A shape, a target kind and finite float32 samples of that shape. */
const samplesCase = fc
  .record({ rows: fc.integer({ min: 0, max: 20 }), features: fc.integer({ min: 1, max: 6 }), outputs: fc.integer({ min: 1, max: 5 }) })
  .chain((shape) => fc.record({
    shape: fc.constant(shape),
    kind: fc.constantFrom(...kindsFor(shape.outputs)),
    x: fc.float32Array({ noNaN: true, noDefaultInfinity: true, minLength: shape.rows * shape.features, maxLength: shape.rows * shape.features }),
  }));

describe('every accepted form of the same data gives the same result', () => {
  it('samples: nested, flat, { data, rows, cols }, a Dataset, and the columns layout predict bit-identically', () => {
    fc.assert(
      fc.property(samplesCase, ({ shape: { rows, features, outputs }, kind, x }) => {
        const net = netFor(features, outputs, kind);
        const expected = bytes(net.predict({ data: Float32Array.from(x), rows, cols: features }));
        const t = transposed(x, rows, features);
        const dataset: Dataset = { x: Float32Array.from(x), y: new Float32Array(rows * outputs), rows, features, outputs };
        const forms: [string, () => Float32Array][] = [
          ['nested rows', () => net.predict(nestedOf(x, rows, features))],
          ['flat Float32Array', () => net.predict(Float32Array.from(x))],
          ['flat number[]', () => net.predict(Array.from(x))],
          ['{ data: number[], rows, cols }', () => net.predict({ data: Array.from(x), rows, cols: features })],
          ['{ data: Float64Array, rows, cols }', () => net.predict({ data: Float64Array.from(x), rows, cols: features })],
          ['a Dataset', () => net.predict(dataset)],
          ["nested, layout 'rows' given", () => net.predict(nestedOf(x, rows, features), { layout: 'rows' })],
          ["nested, layout 'columns'", () => net.predict(nestedOf(t, features, rows), { layout: 'columns' })],
          ["flat Float32Array, layout 'columns'", () => net.predict(Float32Array.from(t), { layout: 'columns' })],
          ["flat number[], layout 'columns'", () => net.predict(Array.from(t), { layout: 'columns' })],
          ["{ data, rows, cols }, layout 'columns'", () => net.predict({ data: Float32Array.from(t), rows: features, cols: rows }, { layout: 'columns' })],
        ];
        for (const [form, predict] of forms) expect(bytes(predict()), form).toEqual(expected);
        expect(net.classify(nestedOf(x, rows, features))).toEqual(net.classify({ data: x, rows, cols: features }));
      }),
      { seed: SEED, numRuns: 120 },
    );
  });

  it('targets: class indices and one-hot rows, given apart or in a Dataset, evaluate identically', () => {
    const labelled = fc
      .record({ rows: fc.integer({ min: 1, max: 20 }), features: fc.integer({ min: 1, max: 6 }), outputs: fc.integer({ min: 2, max: 5 }) })
      .chain((shape) => fc.record({
        shape: fc.constant(shape),
        x: fc.float32Array({ min: -100, max: 100, noNaN: true, minLength: shape.rows * shape.features, maxLength: shape.rows * shape.features }),
        labels: fc.array(fc.integer({ min: 0, max: shape.outputs - 1 }), { minLength: shape.rows, maxLength: shape.rows }),
      }));
    fc.assert(
      fc.property(labelled, ({ shape: { rows, features, outputs }, x, labels }) => {
        const net = netFor(features, outputs, 'categorical');
        const X = { data: x, rows, cols: features };
        const oneHot = oneHotOf(labels, outputs);
        const expected = net.evaluate(X, { data: oneHot, rows, cols: outputs });
        const Xt = { data: transposed(x, rows, features), rows: features, cols: rows };
        const forms: [string, () => unknown][] = [
          ['indices number[]', () => net.evaluate(X, labels)],
          ['indices Int32Array', () => net.evaluate(X, Int32Array.from(labels))],
          ['indices Float32Array', () => net.evaluate(X, Float32Array.from(labels))],
          ['one-hot nested', () => net.evaluate(X, nestedOf(oneHot, rows, outputs))],
          ['one-hot flat', () => net.evaluate(X, oneHot)],
          ["indices, layout 'columns'", () => net.evaluate(Xt, labels, { layout: 'columns' })],
          ["one-hot, layout 'columns'", () => net.evaluate(Xt, { data: transposed(oneHot, rows, outputs), rows: outputs, cols: rows }, { layout: 'columns' })],
          ['Dataset, index targets', () => net.evaluate({ x, y: Float32Array.from(labels), rows, features, outputs: 1 })],
          ['Dataset, index targets and labels', () => net.evaluate({ x, y: Float32Array.from(labels), labels: Int32Array.from(labels), rows, features, outputs: 1 })],
          ['Dataset, one-hot targets', () => net.evaluate({ x, y: oneHot, rows, features, outputs })],
          ['Dataset, one-hot targets and labels', () => net.evaluate({ x, y: oneHot, labels: Int32Array.from(labels), rows, features, outputs })],
        ];
        for (const [form, evaluate] of forms) expect(evaluate(), form).toEqual(expected);
      }),
      { seed: SEED, numRuns: 80 },
    );
  });
});

/** Rows of valid samples and targets for a network, to put junk beside (the network is looked up, never generated: printing one dumps its heap). */
interface Base {
  kind: Kind;
  rows: number;
  features: number;
  outputs: number;
  x: number[][];
  y: number[][];
}

const baseCase: fc.Arbitrary<Base> = fc
  .record({ rows: fc.integer({ min: 2, max: 8 }), features: fc.integer({ min: 1, max: 4 }), outputs: fc.integer({ min: 1, max: 4 }) })
  .chain(({ rows, features, outputs }) => fc.record({
    kind: fc.constantFrom(...kindsFor(outputs)),
    x: fc.array(fc.array(fc.float({ min: -10, max: 10, noNaN: true }), { minLength: features, maxLength: features }), { minLength: rows, maxLength: rows }),
    classes: fc.array(fc.integer({ min: 0, max: outputs === 1 ? 1 : outputs - 1 }), { minLength: rows, maxLength: rows }),
  }).map(({ kind, x, classes }) => {
    // Two classes at least, so fit's one-class check never decides the outcome.
    classes[0] = 0;
    classes[1] = 1;
    const y = classes.map((c) => (outputs === 1 ? [c] : Array.from({ length: outputs }, (_, j) => +(j === c))));
    return { kind, rows, features, outputs, x, y };
  }));

/** Arguments for one call: samples, targets (absent for predict), options. */
interface Junk {
  what: string;
  x: unknown;
  y: unknown;
  options: unknown;
}

const CALLS = ['predict', 'classify', 'evaluate', 'fit', 'gradientCheck'] as const;
type Call = (typeof CALLS)[number];

/** Make `call` on `net` with the arguments of `junk`. */
function invoke(net: Network, call: Call, junk: Junk): unknown {
  const { x, y, options } = junk;
  const any = net as unknown as Record<string, (...args: unknown[]) => unknown>;
  if (call === 'predict' || call === 'classify') return any[call]!(x, options);
  const args = options === undefined ? [x, y] : [x, y, options];
  if (call === 'gradientCheck') return (gradientCheck as (...a: unknown[]) => unknown)(net, ...args);
  if (call === 'fit') return any.fit!(...(options === undefined ? [x, y, { epochs: 1 }] : args));
  return any.evaluate!(...args);
}

/** Is `v` a number the boundary accepts (finite once stored as float32)? */
function finiteNumber(v: unknown): boolean {
  return typeof v === 'number' && Number.isFinite(Math.fround(v));
}

/**
 * The rows `v` holds as samples of `features` values in the forms fast-check's `anything`
 * builds (arrays, typed arrays, objects), or undefined when the boundary must reject it.
 */
function acceptedRows(v: unknown, features: number): number | undefined {
  if (ArrayBuffer.isView(v)) {
    if (v instanceof DataView || v instanceof BigInt64Array || v instanceof BigUint64Array) return undefined;
    const a = v as unknown as ArrayLike<number>;
    return a.length % features === 0 && Array.prototype.every.call(a, finiteNumber) ? a.length / features : undefined;
  }
  if (!Array.isArray(v)) return undefined;
  if (v.length === 0) return 0;
  const all = (row: unknown[]) => Array.from({ length: row.length }, (_, i) => row[i]).every(finiteNumber);
  if (Array.isArray(v[0])) {
    for (let i = 0; i < v.length; i++) {
      const row: unknown = v[i];
      if (!Array.isArray(row) || row.length !== features || !all(row)) return undefined;
    }
    return v.length;
  }
  return v.length % features === 0 && all(v) ? v.length / features : undefined;
}

/** Objects whose keys could make `anything` a matrix or a Dataset: left to the other cases. */
function matrixLike(v: unknown): boolean {
  return typeof v === 'object' && v !== null && ['x', 'data', 'features', 'rows', 'cols'].some((k) => k in v);
}

const anything = fc.anything({ withTypedArray: true, withSparseArray: true, withBoxedValues: true, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true });

/** A value the boundary must reject as samples of `features` values. */
function junkSamples(features: number): fc.Arbitrary<unknown> {
  return anything.filter((v) => !matrixLike(v) && acceptedRows(v, features) === undefined);
}

/** Targets that are never targets: neither arrays nor objects shaped like a matrix. */
const junkTargets = anything.filter((v) => v !== undefined && !Array.isArray(v) && !ArrayBuffer.isView(v) && !matrixLike(v));

const junkLayout = fc.oneof(
  fc.constantFrom('cols', 'diagonal', '', 'ROWS', 'Rows', 'column', ' rows', 'row'),
  anything.filter((v) => v !== undefined && v !== 'rows' && v !== 'columns'),
);

/** Options that are not an options object. */
const junkOptions = anything.filter((v) => v !== undefined && (typeof v !== 'object' || v === null || Array.isArray(v) || ArrayBuffer.isView(v)));

/** `rows` with the value at a random position replaced by `bad`. */
function withValueAt(rows: number[][], at: number, bad: number): number[][] {
  const copy = rows.map((r) => r.slice());
  const cols = copy[0]!.length;
  const i = at % (copy.length * cols);
  copy[Math.floor(i / cols)]![i % cols] = bad;
  return copy;
}

/** `rows` in one of the accepted matrix forms. */
function asForm(rows: number[][], form: number): unknown {
  const flat = rows.flat();
  const cols = rows[0]!.length;
  switch (form % 4) {
    case 0: return rows;
    case 1: return { data: flat, rows: rows.length, cols };
    case 2: return Float64Array.from(flat);
    default: return { data: Float64Array.from(flat), rows: rows.length, cols };
  }
}

/** Targets of `base` whose values the network's loss rejects (class indices for a categorical network). */
function badTargets(base: Base, at: number, choice: number): fc.Arbitrary<[string, unknown]> | undefined {
  const row = at % base.rows;
  if (base.kind === 'binary') {
    const bad = [2, -1, 1.5, -0.25][choice % 4]!;
    return fc.constant([`binary target ${bad}`, withValueAt(base.y, at, bad)]);
  }
  if (base.kind === 'categorical') {
    const index = [-1, 0.5, base.outputs, base.outputs + 3, NaN][choice % 5]!;
    const indices = base.y.map((r) => r.indexOf(1));
    indices[row] = index;
    const hot = [7, -1, 2][choice % 3]!;
    const rowsY = base.y.map((r) => r.slice());
    rowsY[row]![at % base.outputs] = hot;
    return fc.constantFrom<[string, unknown]>([`class index ${index}`, indices], [`one-hot value ${hot}`, rowsY]);
  }
  return undefined;
}

/** Every kind of junk, for a call that takes samples and (unless predict/classify) targets. */
function junkFor(base: Base, call: Call): fc.Arbitrary<Junk> {
  const { features, outputs, rows, x, y } = base;
  const takesTargets = call !== 'predict' && call !== 'classify';
  const cases: fc.Arbitrary<Junk>[] = [
    junkSamples(features).map((v) => ({ what: `samples ${describeJunk(v)}`, x: v, y, options: undefined })),
    fc.constantFrom(null, undefined, 'x', '').map((v) => ({ what: `samples ${String(v)}`, x: v, y, options: undefined })),
    junkLayout.map((layout) => ({ what: `layout ${describeJunk(layout)}`, x, y, options: { layout } })),
    junkOptions.map((options) => ({ what: `options ${describeJunk(options)}`, x, y, options })),
    fc.tuple(fc.nat(), fc.constantFrom(NaN, Infinity, -Infinity, 1e300), fc.nat()).map(([at, bad, form]) => ({
      what: `sample value ${bad} (form ${form % 4})`, x: asForm(withValueAt(x, at, bad), form), y, options: undefined,
    })),
    fc.integer({ min: -3, max: 3 }).filter((d) => d !== 0 && features + d > 0).map((d) => ({
      what: `rows of ${features + d} values`, x: x.map((r) => Array.from({ length: features + d }, (_, j) => r[j] ?? 0)), y, options: undefined,
    })),
    fc.nat().map((at) => ({
      what: 'ragged rows', x: x.map((r, i) => (i === at % rows ? [...r, 0] : r)), y, options: undefined,
    })),
    fc.integer({ min: 1, max: 5 }).map((d) => ({
      what: `{ data, rows, cols } of ${features + d} columns`, x: { data: new Float32Array(rows * (features + d)), rows, cols: features + d }, y, options: undefined,
    })),
  ];
  if (takesTargets) {
    cases.push(
      junkTargets.map((v) => ({ what: `targets ${describeJunk(v)}`, x, y: v, options: undefined })),
      fc.constantFrom(null, 'y', '').map((v) => ({ what: `targets ${String(v)}`, x, y: v, options: undefined })),
      // fit(train, validation) mistaken for fit(x, y): the second Dataset is not targets.
      fc.constant({
        what: 'a Dataset as targets', x,
        y: { x: Float32Array.from(x.flat()), y: Float32Array.from(y.flat()), rows, features, outputs }, options: undefined,
      }),
      fc.tuple(fc.nat(), fc.constantFrom(NaN, Infinity, -Infinity)).map(([at, bad]) => ({ what: `target value ${bad}`, x, y: withValueAt(y, at, bad), options: undefined })),
      fc.integer({ min: -rows, max: 4 }).filter((d) => d !== 0).map((d) => ({
        what: `${rows + d} target rows for ${rows} samples`,
        x, y: Array.from({ length: rows + d }, (_, i) => y[i % rows]!), options: undefined,
      })),
      fc.integer({ min: -rows, max: 4 }).filter((d) => d !== 0 && rows + d !== rows * outputs).map((d) => ({
        what: `${rows + d} flat target values for ${rows} samples`,
        x, y: Array.from({ length: rows + d }, (_, i) => y[i % rows]![0]!), options: undefined,
      })),
    );
    const bad = badTargets(base, 0, 0);
    if (bad) {
      cases.push(fc.tuple(fc.nat(), fc.nat()).chain(([at, choice]) => badTargets(base, at, choice)!).map(([what, v]) => ({ what, x, y: v, options: undefined })));
    }
  }
  if (call === 'fit') {
    cases.push(
      fc.constantFrom<unknown>({}, 42, null, [], 'nope', 'ADAM ', () => 1).map((optimizer) => ({ what: `optimizer ${describeJunk(optimizer)}`, x, y, options: { optimizer } })),
      fc.constantFrom<unknown>('x', -1, NaN, Infinity, {}, null).map((learningRate) => ({
        what: `learningRate ${describeJunk(learningRate)}`, x, y, options: { optimizer: 'adam', learningRate },
      })),
      fc.constantFrom<unknown>(NaN, -0.5, 1, 2, '0.2', 0.01).map((validationSplit) => ({
        what: `validationSplit ${describeJunk(validationSplit)}`, x, y, options: { validationSplit },
      })),
      fc.constantFrom<unknown>(0, -1, 1.5, 'ten', NaN).map((epochs) => ({ what: `epochs ${describeJunk(epochs)}`, x, y, options: { epochs } })),
      fc.constantFrom<unknown>(0, -1, 1.5, 'all', NaN).map((batchSize) => ({ what: `batchSize ${describeJunk(batchSize)}`, x, y, options: { batchSize } })),
      fc.constantFrom<unknown>(5, 'x', { onBatchEnd: 5 }, { onEpochEnd: 'x' }).map((callbacks) => ({ what: `callbacks ${describeJunk(callbacks)}`, x, y, options: { epochs: 1, callbacks } })),
      fc.constantFrom<unknown>('yes', 5, { patience: -1 }, { monitor: 'valLoss' }, { monitor: 'banana' }).map((earlyStopping) => ({
        what: `earlyStopping ${describeJunk(earlyStopping)}`, x, y, options: { epochs: 1, earlyStopping },
      })),
      fc.constantFrom<unknown>(5, 'x', [x], [x, y, y], { x, y }).map((validationData) => ({
        what: `validationData ${describeJunk(validationData)}`, x, y, options: { epochs: 1, validationData },
      })),
    );
  }
  return fc.oneof(...cases);
}

function describeJunk(v: unknown): string {
  try {
    return fc.stringify(v).slice(0, 80);
  } catch {
    return typeof v;
  }
}

describe('junk is a TypeError or RangeError naming the call', () => {
  it('predict and classify accept exactly the sample forms they document', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), anything.filter((v) => !matrixLike(v)), (features, outputs, v) => {
        const net = netFor(features, outputs, outputs === 1 ? 'binary' : 'categorical');
        const rows = acceptedRows(v, features);
        for (const call of ['predict', 'classify'] as const) {
          let result: Outcome;
          try {
            result = { ok: true, value: net[call](v as number[]) };
          } catch (error) {
            result = { ok: false, error };
          }
          if (rows === undefined) expectRejection(result, call, describeJunk(v));
          else {
            expect(result.ok, `${call} rejected ${describeJunk(v)}: ${String(!result.ok && result.error)}`).toBe(true);
            expect((result as { value: ArrayLike<number> }).value.length).toBe(call === 'predict' ? rows * outputs : rows);
          }
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('predict, classify, evaluate, fit and gradientCheck reject junk; a rejected fit leaves the network as it was', async () => {
    const junkCase = fc.tuple(baseCase, fc.constantFrom(...CALLS)).chain(([base, call]) => fc.record({
      base: fc.constant(base), call: fc.constant(call), junk: junkFor(base, call),
    }));
    await fc.assert(
      fc.asyncProperty(junkCase, async ({ base, call, junk }) => {
        const net = netFor(base.features, base.outputs, base.kind);
        const weights = net.getWeights();
        const names = net.classNames;
        expectRejection(await outcome(() => invoke(net, call, junk)), call, junk.what);
        expect(net.getWeights(), `${call} with ${junk.what} changed the weights`).toEqual(weights);
        expect(net.classNames).toBe(names);
      }),
      { seed: SEED, numRuns: 400, endOnFailure: true },
    );
  });

  it('a Dataset with a junk field is rejected by evaluate, fit and gradientCheck, and fit leaves the network as it was', async () => {
    const fields = ['x', 'y', 'rows', 'features', 'outputs', 'labels', 'classNames'] as const;
    const junkDataset = fc.tuple(baseCase, fc.constantFrom('evaluate', 'fit', 'gradientCheck') as fc.Arbitrary<Call>, fc.constantFrom(...fields)).chain(([base, call, field]) => {
      const valid: Record<string, unknown> = {
        x: Float32Array.from(base.x.flat()), y: Float32Array.from(base.y.flat()), rows: base.rows, features: base.features, outputs: base.outputs,
      };
      const junk: fc.Arbitrary<unknown> = {
        x: anything.filter((v) => !ArrayBuffer.isView(v) && !Array.isArray(v)),
        y: anything.filter((v) => !ArrayBuffer.isView(v) && !Array.isArray(v)),
        rows: anything.filter((v) => v !== base.rows),
        features: anything.filter((v) => v !== base.features),
        // A one-output dataset is class indices, which a network of several outputs may take.
        outputs: anything.filter((v) => v !== base.outputs && v !== 1),
        labels: anything.filter((v) => v !== undefined && !ArrayBuffer.isView(v) && !Array.isArray(v)),
        classNames: fc.oneof(
          anything.filter((v) => v !== undefined && !(Array.isArray(v) && v.length > 0 && v.every((n) => typeof n === 'string'))),
          fc.constant(['a', 'a']),
          fc.constant([1, 2]),
          fc.constant(Array.from({ length: base.outputs + 2 }, (_, i) => `c${i}`)),
        ),
      }[field];
      return fc.record({ base: fc.constant(base), call: fc.constant(call), field: fc.constant(field), value: junk, valid: fc.constant(valid) });
    });
    await fc.assert(
      fc.asyncProperty(junkDataset, async ({ base, call, field, value, valid }) => {
        const net = netFor(base.features, base.outputs, base.kind);
        const data = { ...valid, [field]: value };
        const weights = net.getWeights();
        const names = net.classNames;
        const options = call === 'fit' ? { epochs: 1 } : undefined;
        const what = `a Dataset whose ${field} is ${describeJunk(value)}`;
        expectRejection(await outcome(() => invoke(net, call, { what, x: data, y: options, options: undefined })), call, what);
        expect(net.getWeights(), `${call} with ${what} changed the weights`).toEqual(weights);
        expect(net.classNames).toBe(names);
      }),
      { seed: SEED, numRuns: 250, endOnFailure: true },
    );
  });

  it("a Dataset with layout 'columns' is a TypeError: a Dataset always holds one sample per row", async () => {
    await fc.assert(
      fc.asyncProperty(baseCase, fc.constantFrom(...CALLS), async (base, call) => {
        const data: Dataset = { x: Float32Array.from(base.x.flat()), y: Float32Array.from(base.y.flat()), rows: base.rows, features: base.features, outputs: base.outputs };
        // Square data would transpose into a valid shape: make sure the layout is refused, not misread.
        const options = { layout: 'columns', epochs: 1 };
        const args = call === 'predict' || call === 'classify' ? { x: data, y: undefined, options } : { x: data, y: options, options: undefined };
        const result = await outcome(() => invoke(netFor(base.features, base.outputs, base.kind), call, { what: '', ...args }));
        expectRejection(result, call, "a Dataset with layout 'columns'");
        expect((result as { error: Error }).error).toBeInstanceOf(TypeError);
      }),
      { seed: SEED, numRuns: 60, endOnFailure: true },
    );
  });
});

describe('named classes are mapped by name', () => {
  const NAMES = ['ant', 'bee', 'cat', 'dog', 'eel'];

  /** A labelled dataset of `k` named classes (names in a random order) and its permuted copy. */
  const namedCase = fc
    .record({ k: fc.integer({ min: 2, max: 5 }), rows: fc.integer({ min: 4, max: 24 }), oneHot: fc.boolean(), labels: fc.boolean(), seed: fc.nat() })
    .chain((s) => fc.record({
      s: fc.constant(s),
      names: fc.shuffledSubarray(NAMES, { minLength: s.k, maxLength: s.k }),
      order: fc.shuffledSubarray(Array.from({ length: s.k }, (_, i) => i), { minLength: s.k, maxLength: s.k }),
      classes: fc.array(fc.integer({ min: 0, max: s.k - 1 }), { minLength: s.rows, maxLength: s.rows }),
      x: fc.float32Array({ min: -3, max: 3, noNaN: true, minLength: s.rows * 2, maxLength: s.rows * 2 }),
    }));

  function datasetOf(x: Float32Array, classes: number[], names: string[], k: number, oneHot: boolean, withLabels: boolean): Dataset {
    const outputs = oneHot && k > 2 ? k : oneHot ? 2 : 1;
    const y = outputs === 1 ? Float32Array.from(classes) : oneHotOf(classes, outputs);
    const data: Dataset = { x, y, rows: classes.length, features: 2, outputs, classNames: names };
    if (withLabels) data.labels = Int32Array.from(classes);
    return data;
  }

  it('a network trained on named classes evaluates a permuted copy of its data exactly as the original', async () => {
    await fc.assert(
      fc.asyncProperty(namedCase, async ({ s: { k, oneHot, labels, seed }, names, order, classes, x }) => {
        // Two classes at least in the training rows.
        classes[0] = 0;
        classes[1] = 1;
        const original = datasetOf(x, classes, names, k, oneHot, labels);
        // Class c of the original is class order.indexOf(c) of the copy.
        const permutedNames = order.map((c) => names[c]!);
        const permuted = datasetOf(x, classes.map((c) => order.indexOf(c)), permutedNames, k, oneHot, labels);
        const net = Network.mlp([2, 4, k === 2 ? 1 : k], { seed: seed % 1000, threads: 1 });
        await net.fit(original, { epochs: 2, batchSize: 8 });
        expect(net.classNames).toEqual(names);
        expect(net.evaluate(permuted)).toEqual(net.evaluate(original));

        const stranger = names[0] === 'ant' ? 'fox' : 'ant';
        const unknown = { ...permuted, classNames: [...permutedNames.slice(0, -1), stranger].filter((n, i, all) => all.indexOf(n) === i) };
        if (!names.includes(stranger)) {
          const result = await outcome(() => net.evaluate(unknown));
          expectRejection(result, 'evaluate', `class ${stranger}`);
          expect((result as { error: Error }).error).toBeInstanceOf(RangeError);
          expect((result as { error: Error }).error.message).toContain(JSON.stringify(stranger));
        }
      }),
      { seed: SEED, numRuns: 40, endOnFailure: true },
    );
  });
});
