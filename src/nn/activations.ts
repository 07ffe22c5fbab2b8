/**
 * The activation table: names users write, the kernel code that computes each, and what
 * its derivative is computed from.
 */
import { Act, type ActCode } from '../backend/kernels.js';
import { checkNumber } from '../util/check.js';
import { nameTable } from '../util/names.js';

/** Activation names accepted everywhere (the seeds' table plus linear and softmax). */
export type ActivationName =
  | 'linear' | 'sigmoid' | 'bipolarSigmoid' | 'tanh' | 'arctan' | 'binaryStep'
  | 'relu' | 'leakyRelu' | 'softplus' | 'softmax';

/** An activation with its parameter (leaky ReLU's slope α for negative inputs). */
export interface ActivationSpec {
  name: ActivationName;
  /** Leaky ReLU slope for z < 0, in [0, 1). Default 0.01. */
  alpha?: number;
}

/** What a layer needs to run an activation. */
export interface ResolvedActivation {
  readonly name: ActivationName;
  /** Elementwise kernel code; softmax is row-wise and has none. */
  readonly code: ActCode | undefined;
  readonly param: number;
  /**
   * True when g'(z) can be computed exactly from a = g(z) alone, so the layer need not keep z
   * and the GEMM epilogue can write a directly (for ReLU and leaky ReLU, a > 0 exactly when
   * z > 0; sigmoid, tanh and bipolar sigmoid have derivatives in a).
   */
  readonly derivativeFromOutput: boolean;
}

const CODES: Record<Exclude<ActivationName, 'softmax'>, ActCode> = {
  linear: Act.identity,
  sigmoid: Act.sigmoid,
  bipolarSigmoid: Act.bipolarSigmoid,
  tanh: Act.tanh,
  arctan: Act.arctan,
  binaryStep: Act.binaryStep,
  relu: Act.relu,
  leakyRelu: Act.leakyRelu,
  softplus: Act.softplus,
};

/** Canonical names and the other spellings users type (CLI flags, Keras habits). */
const ACTIVATIONS = nameTable<ActivationName>('activation', [...(Object.keys(CODES) as ActivationName[]), 'softmax'], {
  identity: 'linear', none: 'linear',
  'bipolar-sigmoid': 'bipolarSigmoid', bipolar_sigmoid: 'bipolarSigmoid',
  atan: 'arctan', 'binary-step': 'binaryStep', binary_step: 'binaryStep', step: 'binaryStep',
  'leaky-relu': 'leakyRelu', leaky_relu: 'leakyRelu', leakyrelu: 'leakyRelu',
  'smooth-relu': 'softplus',
});

/** Every canonical activation name. */
export const ACTIVATION_NAMES: readonly ActivationName[] = ACTIVATIONS.names;

/**
 * Turn a user's activation (name or spec) into what the layers run; throws a TypeError on
 * unknown names and on input that is neither a name nor a spec.
 */
export function resolveActivation(input: ActivationName | ActivationSpec | string, where = 'activation'): ResolvedActivation {
  // Anything but a spec object goes to the table as a name, so a number gets a TypeError too.
  const spec: { name: unknown; alpha?: number } = typeof input === 'object' && input !== null ? input : { name: input };
  const name = ACTIVATIONS.resolve(spec.name, where);
  const alpha = name === 'leakyRelu' ? checkNumber(spec.alpha ?? 0.01, `${where}: leakyRelu alpha`, 0, 0.999999) : 0;
  if (name === 'softmax') return { name, code: undefined, param: 0, derivativeFromOutput: true };
  const fromOutput = name !== 'arctan' && name !== 'softplus';
  return { name, code: CODES[name], param: alpha, derivativeFromOutput: fromOutput };
}

/** The plain-data form of an activation, as saved in model files. */
export function activationToJSON(a: ResolvedActivation): ActivationSpec {
  return a.name === 'leakyRelu' ? { name: a.name, alpha: a.param } : { name: a.name };
}
