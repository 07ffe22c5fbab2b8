/**
 * The layer rules of src/, checked by `npm run arch` (and in CI). docs/architecture.md says what
 * each layer owns and why the order is what it is; change the two together.
 *
 * A module may import from its own layer or a lower one, never a higher one, and src/ has no
 * import cycle at all (inside a folder included). Type-only imports count: a type from a higher
 * layer is still a dependency pointing up. Node built-ins and npm packages are outside the rules.
 */

/** The layers, lowest first; `path` is a regular expression on paths relative to the repo root. */
const layers = [
  { name: 'util', path: '^src/util/' },
  { name: 'runtime', path: '^src/(wasm|threads|backend|plot)/' },
  { name: 'engine', path: '^src/engine\\.ts$' },
  { name: 'tensor', path: '^src/(tensor|ops)/' },
  { name: 'data', path: '^src/data/' },
  { name: 'model', path: '^src/(nn|optim)/' },
  { name: 'feed', path: '^src/feed/' },
  { name: 'train', path: '^src/train/' },
  { name: 'network', path: '^src/(network\\.ts$|io/)' },
  { name: 'entry', path: '^src/(index\\.ts$|node\\.ts$|browser/|cli/)' },
];

const anyLayer = layers.map((layer) => layer.path);

/** "Layer N must not import layers above N", one rule per layer that has a layer above it. */
const layerRules = layers.slice(0, -1).map((layer, n) => ({
  name: `layer-${n}-${layer.name}`,
  comment:
    `Layer ${n} (${layer.name}) must not import layers above ${n}: ` +
    `${layers.slice(n + 1).map((above) => above.name).join(', ')}. See docs/architecture.md.`,
  severity: 'error',
  from: { path: layer.path },
  to: { path: layers.slice(n + 1).map((above) => above.path) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-circular',
      comment: 'No import cycle anywhere in src/, inside a layer or folder included. See docs/architecture.md.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-in-a-layer',
      comment:
        'Every module of src/ belongs to a layer; a new folder or top-level file goes into the ' +
        'layer list here and in docs/architecture.md, or the rules above never see it.',
      severity: 'error',
      from: { path: '^src/', pathNot: anyLayer },
      to: {},
    },
    {
      name: 'not-in-a-layer',
      comment:
        'Every module of src/ belongs to a layer; a new folder or top-level file goes into the ' +
        'layer list here and in docs/architecture.md, or the rules above never see it.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/', pathNot: anyLayer },
    },
  ],
  options: {
    // Only src/ is the subject; npm packages and Node built-ins stay out of the graph.
    includeOnly: '^src/',
    doNotFollow: { path: 'node_modules' },
    // Keep type-only imports (`import type`, inline `type` specifiers) in the graph.
    tsPreCompilationDeps: true,
    // NodeNext resolution: `./x.js` specifiers resolve to `./x.ts`.
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
