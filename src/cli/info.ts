/**
 * `simdnet info`: version, runtime, which WASM build runs (simd, relaxed or scalar), SIMD and
 * relaxed-SIMD support, and how many threads the kernels use, or why only one.
 */
import type { Command } from 'commander';
import { activeKernels, machineDescription, packageVersion, runtimeSimd } from './about.js';
import { relaxedSimdSupported } from '../wasm/features.js';
import { createEngine } from '../engine.js';
import { availableCores } from '../threads/support.js';

interface InfoOptions {
  json?: boolean;
}

/** What `info` reports. */
export interface InfoReport {
  version: string;
  node: string;
  machine: string;
  simdSupported: boolean;
  /** The build a network gets by default: `simd`, `relaxed` or `scalar` (or why none loads). */
  wasmBuild: string;
  /** Whether this runtime enables relaxed SIMD (and so the relaxed build can run). */
  relaxedSimd: boolean;
  /** Threads a network uses by default (the calling thread included). */
  threads: number;
  /** Logical cores (`os.availableParallelism()`), the default thread count. */
  cores: number;
  /** Why threads are not used, or null when they are. */
  threadsUnavailable: string | null;
  backends: string[];
}

/** Gather the report. */
export function collectInfo(): InfoReport {
  const active = activeKernels();
  let build = 'flavor' in active ? active.flavor.replace('wasm-', '') : `unavailable (${active.error})`;
  let threads = { count: 1, reason: undefined as string | undefined };
  if ('flavor' in active) {
    // What a network built with default options gets (no worker starts: nothing is computed).
    const engine = createEngine();
    build = engine.build ?? build;
    threads = { count: engine.threads.count, reason: engine.threads.reason };
    engine.close();
  }
  return {
    version: packageVersion(),
    node: process.versions.node,
    machine: machineDescription(),
    simdSupported: runtimeSimd(),
    wasmBuild: build,
    relaxedSimd: relaxedSimdSupported(),
    threads: threads.count,
    cores: availableCores(),
    threadsUnavailable: threads.reason ?? null,
    backends: ['wasm', 'js'],
  };
}

function describeThreads(report: InfoReport): string {
  const cores = `${report.cores} core${report.cores === 1 ? '' : 's'}`;
  if (report.threadsUnavailable) return `1 (threads unavailable: ${report.threadsUnavailable})`;
  return `${report.threads} (${cores}; set with the threads option)`;
}

/** Register the `info` command. */
export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('show the version, the active WASM build (simd, relaxed or scalar), SIMD support and threads')
    .option('--json', 'print the report as JSON')
    .action((options: InfoOptions) => {
      const report = collectInfo();
      if (options.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return;
      }
      const rows: [string, string][] = [
        ['node', report.node],
        ['machine', report.machine],
        ['wasm build', report.wasmBuild],
        ['simd', report.simdSupported ? 'supported' : 'not supported (the scalar build runs)'],
        ['relaxed simd', report.relaxedSimd
          ? (report.wasmBuild === 'relaxed' ? 'supported (the relaxed build runs)' : 'supported')
          : 'not enabled in this runtime (Node 20: --experimental-wasm-relaxed-simd)'],
        ['threads', describeThreads(report)],
        ['backends', 'wasm (default), js (reference kernels in TypeScript)'],
      ];
      process.stdout.write(`simdnet ${report.version}\n${rows.map(([k, v]) => `  ${k.padEnd(13)}${v}`).join('\n')}\n`);
    });
}
