/**
 * simdnet: neural networks on the CPU with WebAssembly SIMD kernels.
 *
 * @example
 * ```ts
 * import { Network, makeMoons } from 'simdnet';
 * const data = makeMoons(1000, 0.05, 1);
 * const net = Network.mlp([2, 4, 4, 1], { activation: 'relu', seed: 1 });
 * await net.fit(data, data.y, { epochs: 100, optimizer: 'adam', learningRate: 0.01 });
 * ```
 * @packageDocumentation
 */
export { Network, type PredictOptions } from './network.js';
export { Sequential, type NetworkOptions, type MlpOptions, type LayerSpec, type DenseSpec, type DropoutSpec } from './nn/network.js';
export type { Conv2dSpec, Pool2dSpec, GlobalAvgPoolSpec, FlattenSpec, BatchNormSpec, ActivationLayerSpec, Size2 } from './nn/image-layers.js';
export type { Padding } from './nn/geometry.js';
export type { Evaluation, Predictor } from './feed/inference.js';
export type { LayoutOption, ValidationInput } from './feed/args.js';
export { ACTIVATION_NAMES, type ActivationName, type ActivationSpec } from './nn/activations.js';
export { INITIALIZER_NAMES, type InitializerName } from './nn/initializers.js';
export { LOSS_NAMES, type LossName } from './nn/losses.js';
export type { MatrixInput, TargetInput, TargetKind, Layout } from './data/boundary.js';
export type { Param, LayerConfig } from './nn/layer.js';
export * from './optim/index.js';
export { fit, type FitOptions } from './train/fit.js';
export type { CheckpointOptions, ResumeInput } from './train/resume.js';
export { encodeCheckpoint, decodeCheckpoint, CheckpointFormatError, CHECKPOINT_FORMAT_VERSION, type TrainingState, type TrainingSettings, type DataFingerprint } from './train/checkpoint.js';
export { gradientCheck, type GradientCheckOptions, type ParamCheck } from './train/gradient-check.js';
export { NonFiniteError, type History, type EpochLog, type BatchLog, type Callbacks, type EarlyStoppingOptions } from './train/types.js';
export { encodeModel, decodeModel, ModelFormatError, MODEL_FORMAT_VERSION, type ModelHeader, type DecodeOptions } from './io/format.js';
export { exportOnnx, ONNX_OPSET, type OnnxExportOptions } from './io/onnx/export.js';
export { importOnnx } from './io/onnx/import.js';
export type { ImportOptions } from './io/stack.js';
export { createEngine, type Engine, type EngineOptions, type BackendName, type SplitThresholds } from './engine.js';
export { Tensor } from './tensor/tensor.js';
export type { Shape } from './tensor/shape.js';
export { matmul, type MatmulOptions } from './ops/matmul.js';
export { add, sub, mul, scale, addRowVector, sum, sumAxis, argmaxRows, softmax } from './ops/elementwise.js';
export { Heap, type HeapStats, type HeapOptions } from './wasm/heap.js';
export { simdSupported, overrideSimdSupport, relaxedSimdSupported, overrideRelaxedSimdSupport } from './wasm/features.js';
export { threadSupport, overrideThreadSupport, availableCores, type ThreadSupport, type ThreadPlan } from './threads/support.js';
export { preloadWasm, preferredBuild, type WasmBuild, type WasmSource } from './wasm/loader.js';
export { init, type InitOptions } from './wasm/init.js';
export { Act, type ActCode, type Kernels, type KernelFlavor } from './backend/kernels.js';
export * from './data/core.js';
