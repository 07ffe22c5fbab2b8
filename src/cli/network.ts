/**
 * Building the network for a problem: layer sizes from `--layers` or the defaults, checked
 * against the data, and construction errors (a loss that does not fit the output activation)
 * reported as usage errors.
 */
import { Network, type ActivationName, type BackendName, type InitializerName, type LayerConfig, type LayerSpec } from '../node.js';
import { UsageError } from './errors.js';
import { defaultHidden, type DataKind } from './presets.js';

/** Output units for a problem with `classes` classes: one sigmoid unit for two classes. */
export function outputsFor(classes: number): number {
  return classes <= 2 ? 1 : classes;
}

function checkInputSize(layers: number[], features: number): void {
  if (layers[0] !== features) {
    throw new UsageError(`--layers ${layers.join(',')}: the first size must be the data's ${features} input features, not ${layers[0]}`);
  }
}

/** The layer sizes to build, checked against the data's width and class count. */
export function resolveLayers(layers: number[] | undefined, features: number, classes: number, kind: DataKind): number[] {
  if (!layers) return [features, ...defaultHidden(kind), outputsFor(classes)];
  const text = layers.join(',');
  checkInputSize(layers, features);
  const last = layers[layers.length - 1]!;
  const fits = last === classes || (classes === 2 && last === 1);
  if (!fits) {
    const expected = classes === 2 ? '1 (sigmoid) or 2 (softmax)' : String(classes);
    throw new UsageError(`--layers ${text}: the last size must match the data's ${classes} classes, i.e. ${expected}, not ${last}`);
  }
  return layers;
}

/** The layer sizes of a regression network: one output per target. */
export function resolveRegressionLayers(layers: number[] | undefined, features: number, targets: readonly string[], kind: DataKind): number[] {
  if (!layers) return [features, ...defaultHidden(kind), targets.length];
  checkInputSize(layers, features);
  const last = layers[layers.length - 1]!;
  if (last !== targets.length) {
    const names = targets.map((t) => JSON.stringify(t)).join(', ');
    throw new UsageError(`--layers ${layers.join(',')}: the last size must be the data's ${targets.length} target${targets.length === 1 ? '' : 's'} (${names}), not ${last}`);
  }
  return layers;
}

/** What {@link buildNetwork} needs. */
export interface NetworkChoice {
  layers: number[];
  activation: ActivationName;
  outputActivation?: ActivationName | undefined;
  loss?: string | undefined;
  initializer?: InitializerName | undefined;
  dropout?: number | undefined;
  seed: number;
  backend: BackendName;
  threads?: number | undefined;
  /** Image layers before the dense ones (a CNN) and the input image shape they need. */
  convolutions?: LayerSpec[] | undefined;
  inputShape?: [number, number, number] | undefined;
}

/**
 * Build the MLP, or with `convolutions` the CNN whose dense part has the hidden and output
 * sizes of `layers`; an inconsistent choice (e.g. a cross-entropy loss on a linear output,
 * a kernel larger than the image) is a usage error.
 */
export function buildNetwork(c: NetworkChoice): Network {
  try {
    if (c.convolutions) return buildCnn(c, c.convolutions);
    return Network.mlp(c.layers, {
      activation: c.activation, seed: c.seed, backend: c.backend,
      ...(c.outputActivation ? { outputActivation: c.outputActivation } : {}),
      ...(c.loss ? { loss: c.loss } : {}),
      ...(c.initializer ? { initializer: c.initializer } : {}),
      ...(c.dropout ? { dropout: c.dropout } : {}),
      ...(c.threads ? { threads: c.threads } : {}),
    });
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
}

function buildCnn(c: NetworkChoice, convolutions: LayerSpec[]): Network {
  if (!c.inputShape) throw new UsageError('a network with convolutions needs the image shape of its inputs');
  return new Network({
    inputShape: c.inputShape, layers: cnnLayers(c, convolutions), seed: c.seed, backend: c.backend,
    ...(c.loss ? { loss: c.loss } : {}),
    ...(c.threads ? { threads: c.threads } : {}),
  });
}

/**
 * The layers of the CNN that {@link buildNetwork} builds: `convolutions` (a convolution
 * without its own activation takes the hidden one), then dense layers of the hidden and output
 * sizes of `c.layers` (its first entry, the input size, is the images' and skipped).
 */
export function cnnLayers(
  c: Pick<NetworkChoice, 'layers' | 'activation' | 'outputActivation' | 'initializer' | 'dropout'>, convolutions: readonly LayerSpec[],
): LayerSpec[] {
  const sizes = c.layers.slice(1);
  const init = c.initializer ? { initializer: c.initializer } : {};
  const dense: LayerSpec[] = sizes.flatMap((units, i): LayerSpec[] => {
    const last = i === sizes.length - 1;
    const layer: LayerSpec = { type: 'dense', units, activation: last ? c.outputActivation ?? (units === 1 ? 'sigmoid' : 'softmax') : c.activation, ...init };
    return !last && c.dropout ? [layer, { type: 'dropout', rate: c.dropout }] : [layer];
  });
  const image = convolutions.map((l): LayerSpec => (l.type === 'conv2d' && l.activation === undefined ? { ...l, activation: c.activation, ...init } : l));
  return [...image, ...dense];
}

/** One image layer as the run header names it: `conv5×5×6 relu`, `maxpool2×2`, `batchnorm`. */
function describeImageLayer(c: LayerConfig): string {
  switch (c.type) {
    case 'conv2d': return `conv${c.kernelSize.join('×')}×${c.filters}${c.padding === 'same' ? ' same' : ''}${c.stride.some((s) => s > 1) ? ` /${c.stride.join(',')}` : ''} ${c.activation.name}`;
    case 'maxPool2d': return `maxpool${c.size.join('×')}`;
    case 'avgPool2d': return `avgpool${c.size.join('×')}`;
    default: return c.type.toLowerCase();
  }
}

/** `784-128-64-10 relu/softmax`; a CNN as `28×28×1 conv5×5×6 same relu → maxpool2×2 → … → 120-84-10 relu/softmax`. */
export function describeNetwork(net: Network): string {
  const configs = net.layerConfigs();
  const dense = configs.flatMap((c) => (c.type === 'dense' ? [c] : []));
  const image = configs.filter((c) => c.type !== 'dense' && c.type !== 'dropout');
  const acts = dense.map((c) => c.activation.name);
  const hidden = acts.length > 1 ? `${acts[0]}/` : '';
  const units = dense.map((c) => c.units);
  const sizes = net.inputShape && image.length > 0
    ? `${net.inputShape.join('×')} ${image.map(describeImageLayer).join(' → ')} → ${units.join('-')}`
    : [net.inputs, ...units].join('-');
  return `${sizes} ${hidden}${acts[acts.length - 1]}`;
}
