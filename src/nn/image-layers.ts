/**
 * The specs of the layers that know about image shapes — conv2d, pooling and flatten, and
 * batch norm and the standalone activation, which work on images and rows alike — and their
 * planning: each spec is checked against the shape coming in, resolved to a plan (geometry,
 * names, output shape) and sized, before anything is allocated; building a plan makes the layer.
 */
import type { Engine } from '../engine.js';
import type { Rng } from '../util/rng.js';
import { checkNumber, checkPositiveInt } from '../util/check.js';
import { resolveActivation, type ActivationName, type ActivationSpec, type ResolvedActivation } from './activations.js';
import { defaultInitializer, resolveInitializer, type InitializerName } from './initializers.js';
import { checkPadding, windowGeometry, type Padding, type Shape3, type WindowGeometry } from './geometry.js';
import { Conv2D, conv2dParamBytes } from './conv2d.js';
import { Pool2D, type PoolType } from './pool2d.js';
import { Flatten } from './flatten.js';
import { BatchNorm, batchNormParamBytes } from './batch-norm.js';
import { ActivationLayer } from './activation-layer.js';
import type { Layer } from './layer.js';

/** A size or stride: one number for both directions, or [rows, columns]. */
export type Size2 = number | readonly [number, number];

/** A 2-D convolution in a network description (channels last). */
export interface Conv2dSpec {
  type: 'conv2d';
  /** Output channels. */
  filters: number;
  /** Kernel height and width (one number for a square kernel). */
  kernelSize: Size2;
  /** Default 1. */
  stride?: Size2;
  /** Default `'valid'`. */
  padding?: Padding;
  /** Elementwise activation (not softmax); default `'linear'`. */
  activation?: ActivationName | ActivationSpec;
  /** Weight initializer; default He for ReLU-like activations, Glorot otherwise. */
  initializer?: InitializerName;
}

/** Max or average pooling in a network description. */
export interface Pool2dSpec {
  type: 'maxPool2d' | 'avgPool2d';
  /** Window height and width. */
  size: Size2;
  /** Default: the window size (non-overlapping windows). */
  stride?: Size2;
  /** Default `'valid'`; with `'same'` padding is never a candidate (max) nor counted (average). */
  padding?: Padding;
}

/** Average over each channel's whole h×w map; outputs c features. */
export interface GlobalAvgPoolSpec {
  type: 'globalAvgPool';
}

/** Image to feature rows (dense after an image layer does this implicitly). */
export interface FlattenSpec {
  type: 'flatten';
}

/** Batch normalisation, after a dense layer (per unit) or an image layer (per channel). */
export interface BatchNormSpec {
  type: 'batchNorm';
  /** Weight of the old running mean/variance per update, in [0, 1). Default 0.99. */
  momentum?: number;
  /** Added to the variance. Default 1e-3. */
  epsilon?: number;
}

/**
 * An elementwise activation as a layer of its own (not softmax, which a dense output layer
 * computes), e.g. after batch norm or pooling; keeps the shape.
 */
export interface ActivationLayerSpec {
  type: 'activation';
  activation: ActivationName | ActivationSpec;
}

/** Any image-layer spec. */
export type ImageLayerSpec = Conv2dSpec | Pool2dSpec | GlobalAvgPoolSpec | FlattenSpec | BatchNormSpec | ActivationLayerSpec;

/** The layer types {@link planImageLayer} knows. */
export const IMAGE_LAYER_TYPES: readonly string[] = ['conv2d', 'maxPool2d', 'avgPool2d', 'globalAvgPool', 'flatten', 'batchNorm', 'activation'];

/** An image layer checked and sized, nothing allocated yet. */
export interface ImageLayerPlan {
  readonly type: ImageLayerSpec['type'];
  readonly where: string;
  readonly inputs: number;
  readonly outputs: number;
  /** Image shape of the output; undefined for feature rows. */
  readonly shape: Shape3 | undefined;
  /** Parameter (and state) bytes and how an error message names them; undefined without parameters. */
  readonly params: { bytes: number; what: string; valueBytes: number } | undefined;
  /** Sizes of the parameter arrays and of the saved state arrays the layer will have. */
  readonly arrays: { params: number[]; state: number[] };
  /** Allocate and initialise the layer. */
  build(engine: Engine, name: string, rng: Rng): Layer;
}

function size2(value: unknown, where: string): [number, number] {
  if (Array.isArray(value) && value.length === 2) return [checkPositiveInt(value[0], `${where}[0]`), checkPositiveInt(value[1], `${where}[1]`)];
  const n = checkPositiveInt(value, where);
  return [n, n];
}

/** The image shape an image layer at `where` needs, or a TypeError saying how to give one. */
function needImage(shape: Shape3 | undefined, width: number, label: string): Shape3 {
  if (shape) return shape;
  throw new TypeError(`${label}: needs an image input (height×width×channels), got ${width} features; give the network inputShape: [h, w, c] and no dense or flatten layer before it`);
}

/** Check one image-layer spec against its input (an image `shape`, or `width` features) and plan it. */
export function planImageLayer(spec: ImageLayerSpec, where: string, shape: Shape3 | undefined, width: number): ImageLayerPlan {
  const label = `${where} (${spec.type})`;
  switch (spec.type) {
    case 'conv2d': {
      const input = needImage(shape, width, label);
      const filters = checkPositiveInt(spec.filters, `${label}: filters`);
      const kernel = size2(spec.kernelSize, `${label}: kernelSize`);
      const stride = size2(spec.stride ?? 1, `${label}: stride`);
      const padding = checkPadding(spec.padding ?? 'valid', label);
      const activation: ResolvedActivation = resolveActivation(spec.activation ?? 'linear', label);
      if (activation.code === undefined) throw new TypeError(`${label}: softmax is not an activation for conv2d; end the network with a dense softmax layer`);
      const initializer = spec.initializer ? resolveInitializer(spec.initializer, label) : defaultInitializer(activation.name);
      const g = windowGeometry(input, kernel, stride, padding, label, 'kernel');
      const weights = g.kh * g.kw * g.c * filters;
      return {
        type: 'conv2d', where, inputs: width, outputs: g.oh * g.ow * filters, shape: [g.oh, g.ow, filters],
        params: { bytes: conv2dParamBytes(g, filters), what: `${g.kh}×${g.kw}×${g.c}×${filters} weights`, valueBytes: weights * 4 },
        arrays: { params: [weights, filters], state: [] },
        build: (engine, name, rng) => new Conv2D(engine, name, g, filters, padding, activation, initializer, rng),
      };
    }
    case 'maxPool2d':
    case 'avgPool2d': {
      const input = needImage(shape, width, label);
      const window = size2(spec.size, `${label}: size`);
      const stride = size2(spec.stride ?? window, `${label}: stride`);
      const padding = checkPadding(spec.padding ?? 'valid', label);
      const g = windowGeometry(input, window, stride, padding, label, 'window');
      return poolPlan(spec.type, where, g, padding, [g.oh, g.ow, g.c]);
    }
    case 'globalAvgPool': {
      const [h, w, c] = needImage(shape, width, label);
      const g: WindowGeometry = { h, w, c, kh: h, kw: w, sh: 1, sw: 1, pt: 0, pl: 0, oh: 1, ow: 1 };
      return poolPlan('globalAvgPool', where, g, 'valid', undefined);
    }
    case 'flatten':
      return { type: 'flatten', where, inputs: width, outputs: width, shape: undefined, params: undefined, arrays: NO_ARRAYS, build: (_e, name) => new Flatten(name, width) };
    case 'batchNorm': {
      const momentum = checkNumber(spec.momentum ?? 0.99, `${label}: momentum`, 0, 0.999999);
      const epsilon = checkNumber(spec.epsilon ?? 1e-3, `${label}: epsilon`, 1e-12);
      const channels = shape ? shape[2] : width;
      const what = `${channels} channels' scales, shifts and statistics`;
      return {
        type: 'batchNorm', where, inputs: width, outputs: width, shape,
        params: { bytes: batchNormParamBytes(channels), what, valueBytes: 4 * channels * 4 },
        arrays: { params: [channels, channels], state: [channels, channels] },
        build: (engine, name) => new BatchNorm(engine, name, width, channels, momentum, epsilon),
      };
    }
    case 'activation': {
      const activation = resolveActivation(spec.activation, label);
      const { code } = activation;
      if (code === undefined) throw new TypeError(`${label}: softmax is not a layer of its own; give the last dense layer activation 'softmax'`);
      return {
        type: 'activation', where, inputs: width, outputs: width, shape, params: undefined, arrays: NO_ARRAYS,
        build: (engine, name) => new ActivationLayer(engine, name, width, { ...activation, code }),
      };
    }
  }
}

const NO_ARRAYS = { params: [], state: [] };

function poolPlan(type: PoolType, where: string, g: WindowGeometry, padding: Padding, shape: Shape3 | undefined): ImageLayerPlan {
  const inputs = g.h * g.w * g.c;
  return {
    type, where, inputs, outputs: g.oh * g.ow * g.c, shape, params: undefined, arrays: NO_ARRAYS,
    build: (engine, name) => new Pool2D(engine, name, type, g, padding),
  };
}

