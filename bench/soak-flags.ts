/**
 * Node flags the soak runs under (test/train/soak.test.ts, and `npm run bench:soak` in
 * package.json, which spells them out): V8's young generation at a fixed 16 MB per semi-space.
 * Left to itself V8 may grow it mid-run when the machine is busy, and the fresh pages land in
 * RSS at once (10–20 MB on Node 24) with no live data behind them; a soak reads RSS growth as a
 * leak, so the heap's size must not be a moving part.
 */
export const SOAK_NODE_FLAGS: readonly string[] = ['--min-semi-space-size=16', '--max-semi-space-size=16'];
