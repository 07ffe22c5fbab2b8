// The kernel ABI: every export of the WASM module, one family per file.
// Pointers are byte offsets into the imported memory, counts are elements.
// The TypeScript side binds these names in src/backend/wasm.ts.
export * from './gemm';
export * from './unary';
export * from './binary';
export * from './reduce';
export * from './softmax';
export * from './loss';
export * from './optim';
export * from './conv';
export * from './pool';
export * from './batchnorm';
export * from './finite';
