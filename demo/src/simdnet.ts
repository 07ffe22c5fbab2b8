/**
 * The package as the demo uses it: the browser-safe core plus the browser extras, straight
 * from source (what `import … from 'simdnet'` and `'simdnet/browser'` give a bundler).
 */
export * from '../../src/index.js';
export * from '../../src/browser/index.js';
