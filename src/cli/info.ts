/**
 * `simdnet info`: version, runtime, which WASM build runs, SIMD support and threads.
 */
import type { Command } from 'commander';
import { activeKernels, machineDescription, packageVersion, runtimeSimd } from './about.js';

interface InfoOptions {
  json?: boolean;
}

/** What `info` reports. */
export interface InfoReport {
  version: string;
  node: string;
  machine: string;
  simdSupported: boolean;
  wasmBuild: string;
  relaxedSimd: boolean;
  threads: number;
  backends: string[];
}

/** Gather the report. */
export function collectInfo(): InfoReport {
  const active = activeKernels();
  return {
    version: packageVersion(),
    node: process.versions.node,
    machine: machineDescription(),
    simdSupported: runtimeSimd(),
    wasmBuild: 'flavor' in active ? active.flavor.replace('wasm-', '') : `unavailable (${active.error})`,
    // The kernels use fixed-width SIMD only; relaxed SIMD would make results machine-dependent.
    relaxedSimd: false,
    threads: 1,
    backends: ['wasm', 'js'],
  };
}

/** Register the `info` command. */
export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('show the version, the active WASM build (SIMD or scalar), SIMD support and threads')
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
        ['relaxed simd', 'not used'],
        ['threads', String(report.threads)],
        ['backends', 'wasm (default), js (reference kernels in TypeScript)'],
      ];
      process.stdout.write(`simdnet ${report.version}\n${rows.map(([k, v]) => `  ${k.padEnd(13)}${v}`).join('\n')}\n`);
    });
}
