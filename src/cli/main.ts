#!/usr/bin/env node
/**
 * The `simdnet` command line: train, eval, predict, export, bench, info.
 */
import { Command, CommanderError } from 'commander';
import { packageVersion } from './about.js';
import { registerBench } from './bench.js';
import { ExitCode, reportError } from './errors.js';
import { registerEval } from './eval.js';
import { registerExport } from './export.js';
import { registerInfo } from './info.js';
import { registerPredict } from './predict.js';
import { registerTrain } from './train.js';

/** Commander reports parse errors over several lines ("error: …", "(Did you mean …?)"); keep one. */
function oneLineError(text: string): string {
  return `simdnet: ${text.replace(/^error: /, '').replace(/\s*\n\s*(?=\S)/g, ' ').trim()}\n`;
}

/** The program with every command registered; parse errors throw instead of exiting. */
export function buildProgram(): Command {
  const program = new Command('simdnet')
    .description('neural networks on the CPU with WebAssembly SIMD kernels')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(oneLineError(text)) })
    .addHelpText('after', '\nRun `simdnet <command> --help` for the options of a command. `simdnet train` alone trains\nthe default network on the bundled MNIST digits.');
  registerTrain(program);
  registerEval(program);
  registerPredict(program);
  registerExport(program);
  registerBench(program);
  registerInfo(program);
  return program;
}

/** Run the CLI on `argv` (as in process.argv) and return the exit code. */
export async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with code 0; every parse problem is a usage error.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    return reportError(error, verbose);
  }
}

// A reader that stops early (`simdnet … | head`) closes the pipe: that ends the output, it is
// not a failure worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? ExitCode.ok);
});

process.exitCode = await main(process.argv);
// Exit explicitly once the output is flushed. Left to drain, Node closes its SIGINT watcher
// while it tears down (worker threads included), and a Ctrl-C landing then would kill the
// process by the signal although every file was written; this way Ctrl-C is handled to the end.
process.stdout.write('', () => process.stderr.write('', () => process.exit()));
